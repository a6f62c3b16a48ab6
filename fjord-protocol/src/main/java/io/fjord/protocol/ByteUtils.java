package io.fjord.protocol;

/** Sizes of the protocol's variable-length encodings, computed without encoding anything. */
public final class ByteUtils {
    private ByteUtils() {
    }

    public static int sizeOfUnsignedVarint(int value) {
        // Each 7 significant bits take one byte; zero still takes one.
        int bits = 32 - Integer.numberOfLeadingZeros(value);
        return bits == 0 ? 1 : (bits + 6) / 7;
    }

    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
    }

    public static int sizeOfUnsignedVarlong(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value);
        return bits == 0 ? 1 : (bits + 6) / 7;
    }

    public static int sizeOfVarlong(long value) {
        return sizeOfUnsignedVarlong((value << 1) ^ (value >> 63));
    }

    /** The length of {@code s} in UTF-8, counted the way {@link String#getBytes} would encode it. */
    public static int utf8Length(CharSequence s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // four bytes for the pair of two chars
                    i++;
                } else {
                    // Other chars, lone surrogates included (encoded as '?', one byte), take three.
                    bytes += Character.isSurrogate(c) ? 0 : 2;
                }
            }
        }
        return bytes;
    }
}
