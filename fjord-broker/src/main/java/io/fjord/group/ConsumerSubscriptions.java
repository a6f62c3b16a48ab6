package io.fjord.group;

import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.message.ConsumerProtocolSubscription;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the topics out of the classic consumer protocol's member metadata (JoinGroup protocol bytes
 * of protocol type {@code "consumer"}): a version short followed by a ConsumerProtocolSubscription.
 * Like Kafka, it reads the body as version 0, the prefix every later version shares.
 */
final class ConsumerSubscriptions {
    static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private ConsumerSubscriptions() {}

    /** The topics one member subscribes to, or empty when the bytes are not a subscription. */
    static Optional<List<String>> topics(byte[] metadata) {
        if (metadata == null || metadata.length < 2) {
            return Optional.empty();
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(metadata);
            short version = buffer.getShort();
            if (version < 0) {
                return Optional.empty();
            }
            ConsumerProtocolSubscription subscription =
                    new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer), (short) 0);
            return Optional.of(subscription.topics() == null ? List.of() : subscription.topics());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The union of the members' subscriptions, or empty when any member's bytes cannot be read. */
    static Optional<Set<String>> union(List<byte[]> metadata) {
        Set<String> all = new HashSet<>();
        for (byte[] m : metadata) {
            Optional<List<String>> topics = topics(m);
            if (topics.isEmpty()) {
                return Optional.empty();
            }
            all.addAll(topics.get());
        }
        return Optional.of(all);
    }
}
