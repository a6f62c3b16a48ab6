package io.fjord.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Whole batches of one segment as a byte range of its file, for zero-copy sends. The slice holds a
 * reference on its segment, so the file stays open (and on disk) until every slice is released, even when
 * retention or truncation removes the segment meanwhile.
 *
 * <p>The channel is shared by every reader of the segment: a sender must never close it. Netty's
 * {@code DefaultFileRegion} closes its channel when released, so the network side wraps a slice in a region
 * whose deallocation calls {@link #release()} instead. Reads use absolute positions only, so concurrent
 * senders of one channel do not disturb each other.
 */
public final class LogSlice {
    /** Nothing to read; holds no reference, so retain and release do nothing. */
    public static final LogSlice EMPTY = new LogSlice(null, null, 0, 0);

    private static final AtomicIntegerFieldUpdater<LogSlice> REF_CNT =
            AtomicIntegerFieldUpdater.newUpdater(LogSlice.class, "refCnt");

    private final LogSegment segment;
    private final FileChannel channel;
    private final long position;
    private final int length;
    @SuppressWarnings("unused") // through REF_CNT
    private volatile int refCnt = 1;

    /** Takes over one reference the caller holds on {@code segment}. */
    LogSlice(LogSegment segment, FileChannel channel, long position, int length) {
        this.segment = segment;
        this.channel = channel;
        this.position = position;
        this.length = length;
    }

    /** The segment's file channel; null for {@link #EMPTY}. Never close it. */
    public FileChannel channel() {
        return channel;
    }

    public long position() {
        return position;
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** Base offset of the segment the bytes come from, or -1 for {@link #EMPTY}. */
    public long segmentBaseOffset() {
        return segment == null ? -1 : segment.baseOffset();
    }

    /** One more holder; each {@code retain} needs its own {@link #release()}. */
    public LogSlice retain() {
        if (segment == null) {
            return this;
        }
        for (;;) {
            int count = refCnt;
            if (count <= 0) {
                throw new IllegalStateException("slice already released");
            }
            if (REF_CNT.compareAndSet(this, count, count + 1)) {
                return this;
            }
        }
    }

    /** Gives up one hold; the last one lets the segment close (and delete, if removed) its files. */
    public void release() {
        if (segment == null) {
            return;
        }
        int count = REF_CNT.decrementAndGet(this);
        if (count == 0) {
            segment.release();
        } else if (count < 0) {
            throw new IllegalStateException("slice released more often than retained");
        }
    }

    /** Copies the bytes into {@code dst} (for paths that cannot use sendfile, such as TLS, and for tests). */
    public void readInto(ByteBuffer dst) throws IOException {
        if (dst.remaining() < length) {
            throw new IllegalArgumentException("buffer has " + dst.remaining() + " bytes free, slice is " + length);
        }
        int end = dst.position() + length;
        int limit = dst.limit();
        dst.limit(end);
        try {
            while (dst.hasRemaining()) {
                long at = position + length - (end - dst.position());
                if (channel.read(dst, at) < 0) {
                    throw new IOException("segment file ended inside a slice at " + at);
                }
            }
        } finally {
            dst.limit(limit);
        }
    }

    /** Sends the bytes to {@code target} with {@link FileChannel#transferTo}, zero-copy where the OS allows. */
    public void transferTo(WritableByteChannel target) throws IOException {
        long done = 0;
        while (done < length) {
            long sent = channel.transferTo(position + done, length - done, target);
            if (sent <= 0) {
                throw new IOException("transfer of slice stalled at " + (position + done));
            }
            done += sent;
        }
    }

    @Override
    public String toString() {
        return segment == null ? "LogSlice(empty)"
                : "LogSlice(segment=" + segment.baseOffset() + ", position=" + position + ", length=" + length + ")";
    }
}
