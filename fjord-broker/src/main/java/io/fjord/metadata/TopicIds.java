package io.fjord.metadata;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Topic ids: random UUIDs, shown the way Kafka shows them (URL-safe base64 without padding). */
public final class TopicIds {
    public static final UUID ZERO = new UUID(0, 0);
    /** The id Kafka reserves for its own metadata topic; never given to a user topic. */
    public static final UUID METADATA_TOPIC_ID = new UUID(0, 1);

    private TopicIds() {
    }

    /** A fresh id that is neither of the reserved ones and, like Kafka's, does not start with '-' in text form. */
    public static UUID random() {
        while (true) {
            UUID id = UUID.randomUUID();
            if (!id.equals(ZERO) && !id.equals(METADATA_TOPIC_ID) && !toBase64(id).startsWith("-")) {
                return id;
            }
        }
    }

    public static String toBase64(UUID id) {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** @throws IllegalArgumentException when {@code text} is not 16 bytes of URL-safe base64 */
    public static UUID fromBase64(String text) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("not a 16-byte id: " + text);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }
}
