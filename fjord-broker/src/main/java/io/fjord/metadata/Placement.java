package io.fjord.metadata;

import java.util.List;

/**
 * What the controller needs to place partitions: the registered brokers and the defaults for topics
 * created without a partition count or replication factor.
 */
public record Placement(List<Integer> brokers, int defaultPartitions, short defaultReplicationFactor) {
    public Placement {
        brokers = List.copyOf(brokers);
    }
}
