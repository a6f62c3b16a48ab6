package io.fjord.replication;

import java.util.UUID;

/**
 * A partition by topic id, as fetches from replicas name it (Fetch v13+). A topic deleted and created
 * again under the same name is another partition, which its name alone would not tell.
 */
public record TopicIdPartition(UUID topicId, int partition) {
    @Override
    public String toString() {
        return topicId + ":" + partition;
    }
}
