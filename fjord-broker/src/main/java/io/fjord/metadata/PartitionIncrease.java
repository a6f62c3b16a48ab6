package io.fjord.metadata;

import java.util.List;

/**
 * A CreatePartitions request for one topic.
 *
 * @param count       the new total partition count
 * @param assignments brokers of each new partition, or null to let the controller place them
 */
public record PartitionIncrease(String topic, int count, List<List<Integer>> assignments) {
    public PartitionIncrease {
        if (assignments != null) {
            assignments = assignments.stream().map(List::copyOf).toList();
        }
    }
}
