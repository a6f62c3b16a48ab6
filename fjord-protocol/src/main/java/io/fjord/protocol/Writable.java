package io.fjord.protocol;

import java.util.UUID;

/** The sink a generated message writes itself to. */
public interface Writable {
    void writeByte(byte value);

    void writeShort(short value);

    void writeInt(int value);

    void writeLong(long value);

    void writeByteArray(byte[] bytes);

    /** Writes the UTF-8 encoding of {@code value}, whose encoded length the caller already knows. */
    void writeUtf8(String value, int encodedLength);

    /** Writes the records' bytes; a network writer may send file-backed records without copying. */
    void writeRecords(BaseRecords records);

    default void writeUnsignedShort(int value) {
        writeShort((short) value);
    }

    default void writeUnsignedInt(long value) {
        writeInt((int) value);
    }

    default void writeDouble(double value) {
        writeLong(Double.doubleToRawLongBits(value));
    }

    default void writeUuid(UUID value) {
        writeLong(value.getMostSignificantBits());
        writeLong(value.getLeastSignificantBits());
    }

    default void writeUnsignedVarint(int value) {
        while ((value & ~0x7f) != 0) {
            writeByte((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        writeByte((byte) value);
    }

    default void writeVarint(int value) {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    default void writeUnsignedVarlong(long value) {
        while ((value & ~0x7fL) != 0) {
            writeByte((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        writeByte((byte) value);
    }

    default void writeVarlong(long value) {
        writeUnsignedVarlong((value << 1) ^ (value >> 63));
    }
}
