package io.fjord.protocol;

import java.util.UUID;

/**
 * The source a generated message reads itself from. Implementations bound every length they are
 * asked for by what is really there, so a hostile length prefix fails fast instead of allocating.
 */
public interface Readable {
    byte readByte();

    short readShort();

    int readInt();

    long readLong();

    /** Copies {@code length} bytes out. */
    byte[] readArray(int length);

    /** A view of the next {@code length} bytes that does not copy them where the source allows. */
    BaseRecords readRecords(int length);

    void skip(int length);

    int remaining();

    default String readString(int length) {
        return new String(readArray(length), java.nio.charset.StandardCharsets.UTF_8);
    }

    default int readUnsignedShort() {
        return Short.toUnsignedInt(readShort());
    }

    default long readUnsignedInt() {
        return Integer.toUnsignedLong(readInt());
    }

    default double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    default UUID readUuid() {
        return new UUID(readLong(), readLong());
    }

    default int readUnsignedVarint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MessageParseException("unsigned varint is longer than 5 bytes");
    }

    default int readVarint() {
        int raw = readUnsignedVarint();
        return (raw >>> 1) ^ -(raw & 1);
    }

    default long readUnsignedVarlong() {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = readByte();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MessageParseException("unsigned varlong is longer than 10 bytes");
    }

    default long readVarlong() {
        long raw = readUnsignedVarlong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /**
     * Checks a length read from the wire before anything is allocated for it: a collection of
     * {@code count} elements needs at least {@code count} bytes.
     */
    default int checkLength(int length, String what) {
        if (length < 0) {
            throw new MessageParseException("negative length " + length + " for " + what);
        }
        if (length > remaining()) {
            throw new MessageParseException(what + " claims " + length + " bytes or elements but only "
                    + remaining() + " bytes remain");
        }
        return length;
    }
}
