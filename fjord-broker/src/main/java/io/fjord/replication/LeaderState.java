package io.fjord.replication;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A leader's replication decisions for one partition, in one leader epoch: the followers' progress,
 * the high watermark it allows, and the ISR changes to ask the controller for. Pure: no clock, no I/O;
 * the partition calls it under its lock with the time and its log end offset, and carries out what it
 * returns. The replication simulation drives the same class.
 *
 * <p>While an ISR change is in flight, Kafka's "maximal ISR" rule holds: the high watermark counts the
 * members of both the committed and the proposed ISR, so neither an expansion nor a shrink lets it run
 * ahead of a replica that may be in the ISR the controller ends up with; and no second change is
 * proposed until the first is answered.
 */
public final class LeaderState {
    private final int localId;
    private final List<Integer> replicas;
    private final Map<Integer, FollowerState> followers = new LinkedHashMap<>();
    private List<Integer> isr;
    private int partitionEpoch;
    /** The ISR asked for and not yet answered, or null. */
    private List<Integer> pendingIsr;

    public LeaderState(int localId, List<Integer> replicas, List<Integer> isr, int partitionEpoch, long nowMs) {
        this.localId = localId;
        this.replicas = List.copyOf(replicas);
        this.isr = List.copyOf(isr);
        this.partitionEpoch = partitionEpoch;
        for (int replica : replicas) {
            if (replica != localId) {
                followers.put(replica, new FollowerState(replica, nowMs));
            }
        }
    }

    public List<Integer> replicas() {
        return replicas;
    }

    public List<Integer> isr() {
        return isr;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    public boolean hasPendingIsrChange() {
        return pendingIsr != null;
    }

    public FollowerState follower(int replicaId) {
        return followers.get(replicaId);
    }

    /**
     * A newer state from the controller (an image, or the answer to our change): takes its ISR and
     * partition epoch, and ends any pending change. Older states are ignored, and so is the committed
     * state again at its own epoch while a change is pending (an image that changed something else, such
     * as the offline replicas): the controller may still accept the change, so ending it here would let
     * the high watermark pass a replica the controller then puts in the ISR. Returns whether it applied.
     */
    public boolean applyCommitted(List<Integer> newIsr, int newPartitionEpoch) {
        if (newPartitionEpoch < partitionEpoch) {
            return false;
        }
        if (newPartitionEpoch == partitionEpoch && pendingIsr != null && !pendingIsr.equals(newIsr)) {
            return false;
        }
        isr = List.copyOf(newIsr);
        partitionEpoch = newPartitionEpoch;
        pendingIsr = null;
        return true;
    }

    /** Whether {@code proposal} is the change in flight. */
    public boolean isPending(List<Integer> proposal) {
        return pendingIsr != null && pendingIsr.equals(proposal);
    }

    /** The controller refused the pending change: decide again later. */
    public void abandonPending() {
        pendingIsr = null;
    }

    /** Records {@code proposed} as in flight; call only with what {@link #expansionFor} or {@link #shrink} returned. */
    public void markPending(List<Integer> proposed) {
        pendingIsr = List.copyOf(proposed);
    }

    /** The committed ISR plus any member of the pending one. */
    public List<Integer> maximalIsr() {
        if (pendingIsr == null) {
            return isr;
        }
        List<Integer> all = new ArrayList<>(isr);
        for (int replica : pendingIsr) {
            if (!all.contains(replica)) {
                all.add(replica);
            }
        }
        return all;
    }

    /**
     * The high watermark the ISR allows: the smallest log end offset among the maximal ISR (the leader's
     * own is {@code localLogEndOffset}); a member that has not fetched in this epoch holds it at -1.
     */
    public long highWatermarkBound(long localLogEndOffset) {
        long bound = localLogEndOffset;
        for (int replica : maximalIsr()) {
            if (replica == localId) {
                continue;
            }
            FollowerState follower = followers.get(replica);
            long leo = follower == null ? FollowerState.UNKNOWN : follower.logEndOffset();
            bound = Math.min(bound, leo);
        }
        return bound;
    }

    /**
     * Records a follower's fetch. Returns false for a replica id that is not one of the partition's
     * replicas (Kafka refuses its fetch).
     */
    public boolean onFollowerFetch(int replicaId, long fetchOffset, long leaderLogEndOffset, long nowMs) {
        FollowerState follower = followers.get(replicaId);
        if (follower == null) {
            return false;
        }
        follower.onFetch(fetchOffset, leaderLogEndOffset, nowMs);
        return true;
    }

    /**
     * The ISR with {@code replicaId} added, when it has caught up and none is pending; else null. Kafka's
     * rule: the follower has reached the high watermark and the start of the current leader epoch (so it
     * holds every record this leader will count as committed).
     */
    public List<Integer> expansionFor(int replicaId, long highWatermark, long leaderEpochStartOffset) {
        if (pendingIsr != null || isr.contains(replicaId)) {
            return null;
        }
        FollowerState follower = followers.get(replicaId);
        if (follower == null) {
            return null;
        }
        long leo = follower.logEndOffset();
        if (leo < highWatermark || leo < leaderEpochStartOffset) {
            return null;
        }
        List<Integer> next = new ArrayList<>(isr);
        next.add(replicaId);
        return Collections.unmodifiableList(next);
    }

    /**
     * The ISR without the followers that have not caught up for more than {@code lagMs}, when any and none
     * is pending; else null. The leader always stays.
     */
    public List<Integer> shrink(long nowMs, long lagMs) {
        if (pendingIsr != null) {
            return null;
        }
        List<Integer> next = new ArrayList<>(isr.size());
        for (int replica : isr) {
            FollowerState follower = followers.get(replica);
            boolean lagging = replica != localId && (follower == null || nowMs - follower.lastCaughtUpTimeMs() > lagMs);
            if (!lagging) {
                next.add(replica);
            }
        }
        if (next.size() == isr.size()) {
            return null;
        }
        if (!next.contains(localId)) {
            next.add(0, localId);
        }
        return Collections.unmodifiableList(next);
    }

    @Override
    public String toString() {
        return "LeaderState(isr=" + isr + ", pending=" + pendingIsr + ", epoch=" + partitionEpoch + ", " + followers.values() + ")";
    }
}
