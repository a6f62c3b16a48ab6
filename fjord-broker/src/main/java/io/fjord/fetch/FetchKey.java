package io.fjord.fetch;

import java.util.UUID;

/**
 * A partition as a fetch names it: by topic name up to v12, by topic id from v13 (KIP-516). Exactly
 * one of {@code topic} and {@code topicId} is set, so a request's partitions, a session's cached
 * partitions and forgotten partitions compare equal however far the name is resolved.
 */
record FetchKey(String topic, UUID topicId, int partition) {

    static FetchKey byName(String topic, int partition) {
        return new FetchKey(topic, null, partition);
    }

    static FetchKey byId(UUID topicId, int partition) {
        return new FetchKey(null, topicId, partition);
    }

    boolean usesTopicId() {
        return topicId != null;
    }

    @Override
    public String toString() {
        return (topic != null ? topic : topicId.toString()) + "-" + partition;
    }
}
