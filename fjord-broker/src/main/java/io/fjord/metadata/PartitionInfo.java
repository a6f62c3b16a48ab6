package io.fjord.metadata;

import java.util.List;

/**
 * One partition's placement: its leader (-1 when it has none), leader epoch and replica sets.
 * {@code partitionEpoch} counts changes of leader or ISR; {@code addingReplicas} and
 * {@code removingReplicas} are non-empty while a reassignment is in progress (Kafka's KRaft
 * PartitionRegistration).
 */
public record PartitionInfo(
        int partition,
        int leaderId,
        int leaderEpoch,
        List<Integer> replicas,
        List<Integer> isr,
        List<Integer> offlineReplicas,
        int partitionEpoch,
        List<Integer> addingReplicas,
        List<Integer> removingReplicas) {

    public PartitionInfo {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        offlineReplicas = List.copyOf(offlineReplicas);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A partition at epoch 0 with no reassignment in progress. */
    public PartitionInfo(int partition, int leaderId, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
                         List<Integer> offlineReplicas) {
        this(partition, leaderId, leaderEpoch, replicas, isr, offlineReplicas, 0, List.of(), List.of());
    }
}
