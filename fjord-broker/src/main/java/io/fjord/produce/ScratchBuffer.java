package io.fjord.produce;

import java.nio.ByteBuffer;

/**
 * The one copy a produce makes of a batch. Records arrive as a read-only view of the request frame,
 * but the broker must rewrite baseOffset, partitionLeaderEpoch and, for LogAppendTime, maxTimestamp
 * and the CRC: so the bytes are copied once, into a direct buffer this thread keeps and reuses. Direct,
 * because the JDK would otherwise copy a heap buffer into a direct one of its own for the file write.
 *
 * <p>A buffer handed out is valid until the same thread asks again; the produce path uses it for one
 * synchronous append and lets go.
 */
final class ScratchBuffer {
    /** Larger batches get a one-off heap buffer, so no thread pins a huge direct buffer forever. */
    static final int MAX_CACHED = 8 * 1024 * 1024;
    private static final int MIN_CAPACITY = 64 * 1024;
    private static final ThreadLocal<ByteBuffer> CACHED = new ThreadLocal<>();

    private ScratchBuffer() {
    }

    /** A writable copy of {@code source}'s remaining bytes, positioned at 0 with the limit at their end. */
    static ByteBuffer copyOf(ByteBuffer source) {
        int size = source.remaining();
        ByteBuffer target;
        if (size > MAX_CACHED) {
            target = ByteBuffer.allocate(size);
        } else {
            target = CACHED.get();
            if (target == null || target.capacity() < size) {
                target = ByteBuffer.allocateDirect(Math.max(MIN_CAPACITY, Integer.highestOneBit(size - 1) << 1));
                CACHED.set(target);
            }
            target.clear();
        }
        target.put(source.duplicate());
        return target.flip();
    }
}
