package io.fjord.metadata;

import java.util.List;
import java.util.Map;

/**
 * A topic to create, as CreateTopics asks for it.
 *
 * @param numPartitions     -1 for the broker's num.partitions (or when {@code assignments} are given)
 * @param replicationFactor -1 for default.replication.factor (or when {@code assignments} are given)
 * @param assignments       manual placement, one entry per partition; empty to let the controller place them
 * @param configs           topic config overrides as given (validated when the topic is created)
 */
public record TopicSpec(String name, int numPartitions, short replicationFactor, List<Assignment> assignments,
                        Map<String, String> configs) {

    public TopicSpec {
        assignments = List.copyOf(assignments);
        configs = Map.copyOf(configs);
    }

    /** A topic with the broker's default partitions and replication factor and no overrides. */
    public static TopicSpec withDefaults(String name) {
        return new TopicSpec(name, -1, (short) -1, List.of(), Map.of());
    }

    /** The brokers that hold one partition, leader first. */
    public record Assignment(int partition, List<Integer> brokerIds) {
        public Assignment {
            brokerIds = List.copyOf(brokerIds);
        }
    }
}
