package io.fjord.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads and writes a heap or direct {@link ByteBuffer}; records read from it are slices, not copies. */
public final class ByteBufferAccessor implements Readable, Writable {
    private final ByteBuffer buffer;

    public ByteBufferAccessor(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public byte readByte() {
        try {
            return buffer.get();
        } catch (BufferUnderflowException e) {
            throw truncated(1);
        }
    }

    @Override
    public short readShort() {
        try {
            return buffer.getShort();
        } catch (BufferUnderflowException e) {
            throw truncated(2);
        }
    }

    @Override
    public int readInt() {
        try {
            return buffer.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated(4);
        }
    }

    @Override
    public long readLong() {
        try {
            return buffer.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated(8);
        }
    }

    @Override
    public byte[] readArray(int length) {
        checkLength(length, "byte array");
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    @Override
    public String readString(int length) {
        checkLength(length, "string");
        String s;
        if (buffer.hasArray()) {
            s = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            buffer.get(buffer.position(), bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        buffer.position(buffer.position() + length);
        return s;
    }

    @Override
    public BaseRecords readRecords(int length) {
        checkLength(length, "records");
        ByteBuffer slice = buffer.slice(buffer.position(), length).asReadOnlyBuffer();
        buffer.position(buffer.position() + length);
        return new MemoryRecords(slice);
    }

    @Override
    public void skip(int length) {
        checkLength(length, "skipped field");
        buffer.position(buffer.position() + length);
    }

    @Override
    public int remaining() {
        return buffer.remaining();
    }

    @Override
    public void writeByte(byte value) {
        buffer.put(value);
    }

    @Override
    public void writeShort(short value) {
        buffer.putShort(value);
    }

    @Override
    public void writeInt(int value) {
        buffer.putInt(value);
    }

    @Override
    public void writeLong(long value) {
        buffer.putLong(value);
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        buffer.put(bytes);
    }

    @Override
    public void writeUtf8(String value, int encodedLength) {
        if (encodedLength == value.length()) {
            // All ASCII: one byte per char, no encoder needed.
            for (int i = 0; i < encodedLength; i++) {
                buffer.put((byte) value.charAt(i));
            }
        } else {
            buffer.put(value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof MemoryRecords memory) {
            buffer.put(memory.buffer());
        } else {
            throw new IllegalArgumentException("cannot copy " + records.getClass().getSimpleName() + " into a ByteBuffer");
        }
    }

    private MessageParseException truncated(int wanted) {
        return new MessageParseException("message truncated: wanted " + wanted + " more bytes, " + buffer.remaining() + " remain");
    }
}
