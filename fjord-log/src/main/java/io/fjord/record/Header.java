package io.fjord.record;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One record header: a UTF-8 key (never null, as in Kafka) and a value that may be null. A header
 * read from a batch holds a slice of the batch's bytes: it is valid as long as those bytes are.
 */
public record Header(String key, ByteBuffer value) {
    public Header {
        Objects.requireNonNull(key, "header key");
    }

    public static Header of(String key, byte[] value) {
        return new Header(key, value == null ? null : ByteBuffer.wrap(value));
    }

    /** A copy of the value, or null: for callers that want plain arrays, e.g. tests and tools. */
    public byte[] valueBytes() {
        if (value == null) {
            return null;
        }
        byte[] copy = new byte[value.remaining()];
        value.get(value.position(), copy);
        return copy;
    }
}
