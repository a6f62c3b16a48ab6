package io.fjord.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The baseline: bare {@link FileChannel#write} to one file, and for the fsync case the least a group commit
 * can do, a thread that calls {@link FileChannel#force} whenever bytes were written since its last call,
 * with the writer at most a window of bytes ahead of it. No offsets, indexes, validation or segments.
 */
final class RawFileWriter implements AutoCloseable {
    private final FileChannel channel;
    private final long windowBytes;
    private final Thread forcer;
    private volatile long written;
    private volatile long forced;
    private volatile boolean running = true;

    RawFileWriter(Path file, boolean fsync, long windowBytes) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.windowBytes = windowBytes;
        this.forcer = fsync ? new Thread(this::forceLoop, "raw-forcer") : null;
        if (forcer != null) {
            forcer.setDaemon(true);
            forcer.start();
        }
    }

    void write(ByteBuffer batch) throws IOException {
        int start = batch.position();
        long position = written;
        while (batch.hasRemaining()) {
            position += channel.write(batch, position);
        }
        batch.position(start);
        written = position;
        if (forcer != null) {
            LockSupport.unpark(forcer);
            while (position - forced > windowBytes) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
            }
        }
    }

    private void forceLoop() {
        while (running) {
            long target = written;
            if (target > forced) {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                forced = target;
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    long bytesWritten() {
        return written;
    }

    @Override
    public void close() throws IOException {
        running = false;
        if (forcer != null) {
            LockSupport.unpark(forcer);
            try {
                forcer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channel.close();
    }
}
