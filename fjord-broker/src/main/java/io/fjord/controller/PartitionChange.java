package io.fjord.controller;

import io.fjord.metadata.PartitionInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A change to one partition, built up and then turned into the next {@link PartitionInfo} with the
 * epochs Kafka's KRaft controller gives it: any change bumps the partition epoch, a change of leader
 * also bumps the leader epoch. Epochs only ever go up. Offline replicas are recomputed from the
 * broker states every time.
 */
final class PartitionChange {
    private final PartitionInfo base;
    int leader;
    List<Integer> isr;
    List<Integer> replicas;
    List<Integer> adding;
    List<Integer> removing;

    PartitionChange(PartitionInfo base) {
        this.base = base;
        this.leader = base.leaderId();
        this.isr = new ArrayList<>(base.isr());
        this.replicas = new ArrayList<>(base.replicas());
        this.adding = new ArrayList<>(base.addingReplicas());
        this.removing = new ArrayList<>(base.removingReplicas());
    }

    /** The first replica, in replica order, that is in the ISR and alive; -1 when there is none. */
    int firstAliveInIsr(BrokerStates brokers) {
        for (int r : replicas) {
            if (isr.contains(r) && brokers.alive(r)) {
                return r;
            }
        }
        return -1;
    }

    /** Keeps the leader if it still may lead (alive, in the ISR), else elects from the ISR or leaves none. */
    void electIfNeeded(BrokerStates brokers) {
        if (leader == -1 || !isr.contains(leader) || !brokers.alive(leader) || !replicas.contains(leader)) {
            leader = firstAliveInIsr(brokers);
        }
    }

    /**
     * Unclean election: when there is no leader (no ISR member may lead), the first replica, in replica
     * order, that may lead becomes leader and the whole ISR, accepting that records only the others had
     * are lost. Does nothing while there is a leader or when no replica may lead.
     */
    void electUncleanIfLeaderless(BrokerStates brokers) {
        if (leader != -1) {
            return;
        }
        for (int r : replicas) {
            if (brokers.alive(r)) {
                leader = r;
                isr = new ArrayList<>(List.of(r));
                return;
            }
        }
    }

    /** The partition after the change; {@code base} itself when nothing at all changed. */
    PartitionInfo build(BrokerStates brokers) {
        List<Integer> offline = brokers.offline(replicas);
        boolean changed = leader != base.leaderId() || !isr.equals(base.isr()) || !replicas.equals(base.replicas())
                || !adding.equals(base.addingReplicas()) || !removing.equals(base.removingReplicas());
        if (!changed) {
            if (offline.equals(base.offlineReplicas())) {
                return base;
            }
            return new PartitionInfo(base.partition(), base.leaderId(), base.leaderEpoch(), base.replicas(), base.isr(),
                    offline, base.partitionEpoch(), base.addingReplicas(), base.removingReplicas());
        }
        int leaderEpoch = leader != base.leaderId() ? base.leaderEpoch() + 1 : base.leaderEpoch();
        return new PartitionInfo(base.partition(), leader, leaderEpoch, replicas, isr, offline,
                base.partitionEpoch() + 1, adding, removing);
    }
}
