package io.fjord.network;

import io.netty.channel.DefaultFileRegion;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends {@link FileRecords} with sendfile. It must be a {@link DefaultFileRegion}: Netty's epoll
 * transport calls the kernel's sendfile only for that class (any other FileRegion goes through
 * {@code transferTo} into a socket wrapper, which the JDK serves by copying through a buffer).
 *
 * <p>DefaultFileRegion closes its channel when released; the segment's channel is shared by every
 * reader, so {@link #deallocate()} gives back this region's reference on the records instead.
 */
final class FileRecordsRegion extends DefaultFileRegion {
    /** Bytes this process has sent from files, for tests that check the zero-copy path is taken. */
    private static final LongAdder BYTES_SENT = new LongAdder();

    private final FileRecords records;

    FileRecordsRegion(FileRecords records) {
        super(records.channel(), records.position(), records.sizeInBytes());
        this.records = records.retain();
    }

    static long bytesSent() {
        return BYTES_SENT.sum();
    }

    @Override
    protected void deallocate() {
        // Both transports keep transferred() up to date, sendfile included.
        BYTES_SENT.add(transferred());
        records.release();
    }
}
