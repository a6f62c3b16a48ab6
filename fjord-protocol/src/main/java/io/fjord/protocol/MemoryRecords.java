package io.fjord.protocol;

import java.nio.ByteBuffer;

/** Records held in memory: a read-only view of bytes, usually a slice of a request frame. */
public final class MemoryRecords implements BaseRecords {
    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;
    /** The same bytes, writable, when they belong to one request alone (see {@link #ownedBuffer()}); else null. */
    private final ByteBuffer owned;

    public MemoryRecords(ByteBuffer buffer) {
        this.buffer = buffer;
        this.owned = null;
    }

    private MemoryRecords(ByteBuffer readOnly, ByteBuffer owned) {
        this.buffer = readOnly;
        this.owned = owned;
    }

    /**
     * Records that are a region of a received request frame which nothing else reads: whoever handles
     * the request may rewrite them in place (the produce path stamps offsets and leader epoch into the
     * batch and writes that very memory to the log, instead of copying it first).
     */
    public static MemoryRecords ofRequestFrame(ByteBuffer writable) {
        return new MemoryRecords(writable.asReadOnlyBuffer(), writable.isReadOnly() ? null : writable);
    }

    /**
     * A writable duplicate of the bytes, positioned at the first, when they belong to the request being
     * handled and may be rewritten in place; null otherwise. Valid only while the request's frame is.
     */
    public ByteBuffer ownedBuffer() {
        return owned == null ? null : owned.duplicate();
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
