package io.fjord.replication;

import io.fjord.metadata.PartitionInfo;
import java.util.List;

/**
 * One broker's replica of one partition in the simulation. The log and the checkpointed high watermark
 * are on disk and survive a crash; everything else is the process's memory and is lost with it.
 */
final class SimReplica {
    final int brokerId;
    final int partition;
    final SimLog log;
    /** Kafka's replication-offset-checkpoint: written now and then, read back on restart. */
    long checkpointedHighWatermark;

    // ---- memory ----
    long highWatermark;
    /** The last partition state applied from the metadata, or null. */
    PartitionInfo applied;
    int leaderId = -1;
    int leaderEpoch = -1;
    /** Non-null while this replica leads {@link #leaderEpoch}. */
    LeaderState leader;
    long leaderEpochStartOffset;
    /** The AlterPartition asked for and not yet settled (mirrors LeaderState's pending change), with its base epoch. */
    List<Integer> proposal;
    int proposalPartitionEpoch;
    boolean alterInFlight;
    /** The controller refused the proposal with a stale epoch: wait for the metadata instead of asking again. */
    boolean awaitingMetadata;
    /** The id of the follower's fetch in flight, 0 for none. */
    long fetchInFlight;

    SimReplica(int brokerId, int partition, SimLog log) {
        this.brokerId = brokerId;
        this.partition = partition;
        this.log = log;
    }

    boolean isLeader() {
        return leader != null;
    }

    /** A process crash: memory goes, the log and the checkpoint stay. */
    void crash() {
        highWatermark = 0;
        applied = null;
        leaderId = -1;
        leaderEpoch = -1;
        leader = null;
        leaderEpochStartOffset = 0;
        clearProposal();
        fetchInFlight = 0;
    }

    /** Startup: the high watermark comes back from the checkpoint (never past the log end). */
    void restart() {
        log.reopen();
        highWatermark = Math.min(checkpointedHighWatermark, log.logEndOffset());
    }

    void clearProposal() {
        proposal = null;
        alterInFlight = false;
        awaitingMetadata = false;
    }

    @Override
    public String toString() {
        String role = leader != null ? "LEADER e" + leaderEpoch + " " + leader
                : "follower of " + leaderId + " e" + leaderEpoch + (fetchInFlight != 0 ? " (fetching)" : "");
        return "b" + brokerId + "/p" + partition + " hw=" + highWatermark + " " + role
                + (proposal != null ? " proposal=" + proposal + "@pe" + proposalPartitionEpoch : "") + " log " + log;
    }
}
