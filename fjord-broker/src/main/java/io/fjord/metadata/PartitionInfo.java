package io.fjord.metadata;

import java.util.List;

/** One partition's placement: its leader (-1 when it has none), leader epoch and replica sets. */
public record PartitionInfo(
        int partition,
        int leaderId,
        int leaderEpoch,
        List<Integer> replicas,
        List<Integer> isr,
        List<Integer> offlineReplicas) {

    public PartitionInfo {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        offlineReplicas = List.copyOf(offlineReplicas);
    }
}
