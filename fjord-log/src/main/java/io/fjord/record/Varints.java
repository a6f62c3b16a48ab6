package io.fjord.record;

/**
 * Sizes and writers for the zig-zag varints of the v2 record format. Reading lives in
 * {@link RecordCursor}, which must bound every read by the record it is inside.
 */
final class Varints {
    private Varints() {
    }

    static int sizeOfVarint(int value) {
        return sizeOfUnsigned(((long) ((value << 1) ^ (value >> 31))) & 0xFFFFFFFFL);
    }

    static int sizeOfVarlong(long value) {
        return sizeOfUnsigned((value << 1) ^ (value >> 63));
    }

    private static int sizeOfUnsigned(long v) {
        // Each byte carries 7 bits; an all-zero value still takes one byte.
        int bits = 64 - Long.numberOfLeadingZeros(v | 1);
        return (bits + 6) / 7;
    }

    /** Writes {@code value} at {@code pos} and returns the position after it. */
    static int writeVarint(byte[] array, int pos, int value) {
        return writeUnsigned(array, pos, ((long) ((value << 1) ^ (value >> 31))) & 0xFFFFFFFFL);
    }

    static int writeVarlong(byte[] array, int pos, long value) {
        return writeUnsigned(array, pos, (value << 1) ^ (value >> 63));
    }

    private static int writeUnsigned(byte[] array, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            array[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        array[pos++] = (byte) v;
        return pos;
    }
}
