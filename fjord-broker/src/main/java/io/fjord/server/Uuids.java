package io.fjord.server;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Random ids in Kafka's text form: 16 bytes in URL-safe base64 without padding, 22 characters. */
final class Uuids {
    private Uuids() {
    }

    static String randomBase64() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            String s = toBase64(uuid);
            // Like Kafka, never start with '-': such an id would read as an option on a command line.
            if (!s.startsWith("-")) {
                return s;
            }
        }
    }

    static String toBase64(UUID uuid) {
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
