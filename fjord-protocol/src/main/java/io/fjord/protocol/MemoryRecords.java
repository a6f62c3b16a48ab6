package io.fjord.protocol;

import java.nio.ByteBuffer;

/** Records held in memory: a read-only view of bytes, usually a slice of a request frame. */
public final class MemoryRecords implements BaseRecords {
    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;

    public MemoryRecords(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    public static MemoryRecords of(byte[] bytes) {
        return new MemoryRecords(ByteBuffer.wrap(bytes));
    }

    /** A duplicate positioned at the first byte, so callers cannot disturb each other's reads. */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    @Override
    public int sizeInBytes() {
        return buffer.remaining();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryRecords other && buffer.equals(other.buffer);
    }

    @Override
    public int hashCode() {
        return buffer.hashCode();
    }

    @Override
    public String toString() {
        return "MemoryRecords(" + sizeInBytes() + " bytes)";
    }
}
