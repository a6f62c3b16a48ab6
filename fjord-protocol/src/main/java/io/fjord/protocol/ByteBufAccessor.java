package io.fjord.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request frame and writes a response straight into Netty buffers. Records read from a
 * frame are views of it, valid only while the frame is retained.
 */
public final class ByteBufAccessor implements Readable, Writable {
    private final ByteBuf buf;

    public ByteBufAccessor(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buf() {
        return buf;
    }

    private void need(int bytes) {
        if (buf.readableBytes() < bytes) {
            throw new MessageParseException("message truncated: wanted " + bytes + " more bytes, "
                    + buf.readableBytes() + " remain");
        }
    }

    @Override
    public byte readByte() {
        need(1);
        return buf.readByte();
    }

    @Override
    public short readShort() {
        need(2);
        return buf.readShort();
    }

    @Override
    public int readInt() {
        need(4);
        return buf.readInt();
    }

    @Override
    public long readLong() {
        need(8);
        return buf.readLong();
    }

    @Override
    public byte[] readArray(int length) {
        checkLength(length, "byte array");
        byte[] bytes = new byte[length];
        buf.readBytes(bytes);
        return bytes;
    }

    @Override
    public String readString(int length) {
        checkLength(length, "string");
        String s = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length);
        return s;
    }

    @Override
    public BaseRecords readRecords(int length) {
        checkLength(length, "records");
        // A request frame is read once, by its own request: its records are that request's to rewrite.
        MemoryRecords records = MemoryRecords.ofRequestFrame(buf.nioBuffer(buf.readerIndex(), length));
        buf.skipBytes(length);
        return records;
    }

    @Override
    public void skip(int length) {
        checkLength(length, "skipped field");
        buf.skipBytes(length);
    }

    @Override
    public int remaining() {
        return buf.readableBytes();
    }

    @Override
    public void writeByte(byte value) {
        buf.writeByte(value);
    }

    @Override
    public void writeShort(short value) {
        buf.writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        buf.writeInt(value);
    }

    @Override
    public void writeLong(long value) {
        buf.writeLong(value);
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        buf.writeBytes(bytes);
    }

    @Override
    public void writeUtf8(String value, int encodedLength) {
        // Reserves exactly the encoded length, so a buffer sized by size() never has to grow.
        ByteBufUtil.reserveAndWriteUtf8(buf, value, encodedLength);
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof MemoryRecords memory) {
            buf.writeBytes(memory.buffer());
        } else {
            throw new IllegalArgumentException("cannot copy " + records.getClass().getSimpleName() + " into a ByteBuf");
        }
    }
}
