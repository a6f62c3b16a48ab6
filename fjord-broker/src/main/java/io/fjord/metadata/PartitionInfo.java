package io.fjord.metadata;

import java.util.List;

/**
 * One partition's placement: its leader (-1 when it has none), leader epoch and replica sets.
 *
 * @param leaderEpoch      bumped on every change of leader, never goes back
 * @param partitionEpoch   bumped on every change of this partition's state (leader, ISR, replicas), never goes back
 * @param offlineReplicas  replicas on brokers that are fenced or not registered, as of the last broker change
 * @param addingReplicas   replicas an ongoing reassignment adds (already in {@code replicas}); empty when none
 * @param removingReplicas replicas an ongoing reassignment removes (still in {@code replicas}); empty when none
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

    /** A partition with no reassignment going on and partition epoch 0 (tests and fixtures build these). */
    public PartitionInfo(int partition, int leaderId, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
                         List<Integer> offlineReplicas) {
        this(partition, leaderId, leaderEpoch, replicas, isr, offlineReplicas, 0, List.of(), List.of());
    }

    /** Whether a reassignment is going on: some replicas are being added or removed. */
    public boolean reassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }
}
