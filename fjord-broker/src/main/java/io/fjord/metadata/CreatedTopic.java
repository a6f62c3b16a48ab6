package io.fjord.metadata;

import java.util.UUID;

/**
 * The outcome of creating one topic: on success its id, partition count and replication factor
 * (also for validate-only requests, as Kafka reports them), else the error.
 */
public record CreatedTopic(String name, ApiError error, UUID topicId, int numPartitions, short replicationFactor) {

    public static CreatedTopic failed(String name, ApiError error) {
        return new CreatedTopic(name, error, TopicIds.ZERO, -1, (short) -1);
    }
}
