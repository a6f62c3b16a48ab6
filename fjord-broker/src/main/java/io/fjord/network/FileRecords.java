package io.fjord.network;

import io.fjord.log.LogSlice;
import io.fjord.protocol.BaseRecords;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Records that stay in a segment file until the socket sends them: a byte range of a file channel
 * the log shares between all its readers, plus a hold that keeps the segment open and on disk.
 *
 * <p>Reference counted, because two parties hold it at different times: the response that carries
 * it (one reference, taken over from the handler that made it) and every FileRegion built to send it
 * (one each). When the last lets go, the hold on the segment is given back, exactly once, whatever
 * happened in between: sent, failed, or dropped with a closed connection.
 *
 * <p>A FileRecords belongs to one place in one response. The channel is never closed here.
 */
public final class FileRecords extends AbstractReferenceCounted implements BaseRecords {
    private final FileChannel channel;
    private final long position;
    private final int length;
    private final Runnable onDeallocate;

    /**
     * @param onDeallocate runs once, when the last reference goes; gives back whatever keeps the
     *     channel's bytes valid
     */
    public FileRecords(FileChannel channel, long position, int length, Runnable onDeallocate) {
        if (length < 0 || position < 0) {
            throw new IllegalArgumentException("bad file range: position " + position + ", length " + length);
        }
        this.channel = channel;
        this.position = position;
        this.length = length;
        this.onDeallocate = onDeallocate;
    }

    /** Takes over the caller's reference on {@code slice}: releasing these records releases it. */
    public static FileRecords of(LogSlice slice) {
        return new FileRecords(slice.channel(), slice.position(), slice.length(), slice::release);
    }

    public FileChannel channel() {
        return channel;
    }

    public long position() {
        return position;
    }

    @Override
    public int sizeInBytes() {
        return length;
    }

    /** Copies the bytes into {@code dst}, for senders that cannot use sendfile (TLS) and for tests. */
    public void readInto(ByteBuffer dst) throws IOException {
        if (dst.remaining() < length) {
            throw new IllegalArgumentException(dst.remaining() + " bytes of room for " + length + " bytes of records");
        }
        long at = position;
        long end = position + length;
        int limit = dst.limit();
        dst.limit(dst.position() + length);
        try {
            while (at < end) {
                int read = channel.read(dst, at);
                if (read < 0) {
                    throw new IOException("file ended at " + at + " inside records that end at " + end);
                }
                at += read;
            }
        } finally {
            dst.limit(limit);
        }
    }

    @Override
    protected void deallocate() {
        onDeallocate.run();
    }

    @Override
    public FileRecords touch(Object hint) {
        return this;
    }

    @Override
    public FileRecords retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return "FileRecords(position=" + position + ", length=" + length + ")";
    }
}
