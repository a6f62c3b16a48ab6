package io.fjord.partition;

import io.fjord.log.Log;
import io.fjord.log.LogAppendInfo;
import io.fjord.log.LogSlice;
import io.fjord.produce.ProducerStateLoader;
import io.fjord.produce.ProducerStateManager;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One partition this node leads: its log, its high watermark, and the waiters woken when data
 * arrives. Appends are serialized by {@link #appendLock} (one writer at a time, as the log wants);
 * reads run concurrently from any thread against volatile state.
 *
 * <p>With a single replica the high watermark is the log end offset once an append is done; the
 * replication issue will make it the smallest log end offset of the ISR instead.
 */
public final class Partition implements Closeable {
    private final TopicPartition topicPartition;
    private final UUID topicId;
    private final Log log;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();
    /** Idempotent producers' sequences; guarded by {@link #appendLock}. */
    private final ProducerStateManager producerState;
    private volatile PartitionConfig config;
    private volatile int leaderEpoch;
    /** Whether this node leads the partition in the latest image; only a leader takes produce and consumer fetches. */
    private volatile boolean leader;
    private volatile long highWatermark;

    /** A partition this node leads (the only kind a single node has). */
    public Partition(TopicPartition topicPartition, UUID topicId, Log log, PartitionConfig config, int leaderEpoch) {
        this(topicPartition, topicId, log, config, leaderEpoch, true);
    }

    /** @param leader whether this node leads it; {@link #updateLeadership} follows later images */
    public Partition(TopicPartition topicPartition, UUID topicId, Log log, PartitionConfig config, int leaderEpoch,
            boolean leader) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.config = config;
        this.leaderEpoch = leaderEpoch;
        this.leader = leader;
        this.highWatermark = log.logEndOffset();
        this.producerState = ProducerStateLoader.load(log);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public UUID topicId() {
        return topicId;
    }

    public Log log() {
        return log;
    }

    public PartitionConfig config() {
        return config;
    }

    public void updateConfig(PartitionConfig newConfig) {
        this.config = newConfig;
        log.updateConfig(newConfig.log());
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    /** Whether this node is the partition's leader in the latest metadata image. */
    public boolean isLeader() {
        return leader;
    }

    /**
     * Takes the leadership a new metadata image gives: whether this node leads, and the leader epoch.
     * Called on the metadata thread under the append lock, as Kafka changes leadership under the
     * partition's leaderIsrUpdateLock: an append that holds the lock and sees {@link #isLeader} true
     * writes as the leader of one epoch, and none is written after this node stopped leading. Requests
     * that do not append read both fields without locking (an epoch check and the leader check may
     * straddle an image, which the next request corrects, as in Kafka).
     */
    public void updateLeadership(boolean leads, int newLeaderEpoch) {
        appendLock.lock();
        try {
            this.leaderEpoch = newLeaderEpoch;
            this.leader = leads;
        } finally {
            appendLock.unlock();
        }
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Equals the high watermark until transactions exist. */
    public long lastStableOffset() {
        return highWatermark;
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    /** The producer state of this partition; touch it only while holding {@link #appendLock}. */
    public ProducerStateManager producerState() {
        return producerState;
    }

    /** Replicas of this partition; one until replication exists. */
    public int replicaCount() {
        return 1;
    }

    /** Replicas in sync with the leader, the leader included; one until replication exists. */
    public int inSyncReplicaCount() {
        return 1;
    }

    /** The lock every leader append holds, so validation, offset assignment and the write are one step. */
    public ReentrantLock appendLock() {
        return appendLock;
    }

    /**
     * Appends batches the produce path has validated and prepared, numbering them from the log end
     * offset, then moves the high watermark and wakes waiting fetches.
     */
    public LogAppendInfo appendAsLeader(ByteBuffer batches) {
        appendLock.lock();
        LogAppendInfo info;
        try {
            info = log.appendAsLeader(batches);
            highWatermark = log.logEndOffset();
        } finally {
            appendLock.unlock();
        }
        fireAppended();
        return info;
    }

    /**
     * Whole batches from {@code fetchOffset}, at most {@code maxBytes} (the first batch even when
     * larger if {@code minOneBatch}), never at or past {@code maxOffset} (the high watermark for
     * consumers, the log end offset for replicas). The slice must be released.
     */
    public LogSlice read(long fetchOffset, int maxBytes, boolean minOneBatch, long maxOffset) {
        return log.read(fetchOffset, maxBytes, minOneBatch, maxOffset);
    }

    /** Runs {@code listener} after every append until removed; it must be quick and must not block. */
    public void addAppendListener(Runnable listener) {
        appendListeners.add(listener);
    }

    public void removeAppendListener(Runnable listener) {
        appendListeners.remove(listener);
    }

    private void fireAppended() {
        for (Runnable listener : appendListeners) {
            listener.run();
        }
    }

    // ---- replication (API skeleton: the lead is implementing these) ----

    /** This node's broker id. */
    public int localBrokerId() {
        throw new UnsupportedOperationException("replication: in progress");
    }

    /** The leader in the latest image (-1 for none). */
    public int leaderId() {
        throw new UnsupportedOperationException("replication: in progress");
    }

    /** The latest leader epoch in this replica's log (-1 when none). */
    public int latestEpoch() {
        return log.latestEpoch();
    }

    /** Kafka's endOffsetForEpoch on this replica's log (OffsetForLeaderEpoch, divergence checks). */
    public io.fjord.log.EpochEndOffset endOffsetForEpoch(int epoch) {
        return log.endOffsetForEpoch(epoch);
    }

    /**
     * Takes this partition's state from a new metadata image: leadership, leader epoch, replicas, ISR and
     * partition epoch. Returns how this node's role changed, for the fetchers.
     */
    public RoleChange applyState(io.fjord.metadata.PartitionInfo info) {
        throw new UnsupportedOperationException("replication: in progress");
    }

    /** How {@link #applyState} changed this node's role in the partition. */
    public enum RoleChange { NONE, BECAME_LEADER, BECAME_FOLLOWER, LEADER_CHANGED, NO_LEADER }

    /**
     * Leader side of a follower's fetch: checks the follower's last fetched epoch against this log
     * (answering the diverging epoch if they differ), records its progress, moves the high watermark and
     * the ISR, then reads from {@code fetchOffset} up to the log end offset.
     */
    public io.fjord.replication.ReplicaRead readForFollower(int replicaId, long fetchOffset, int lastFetchedEpoch,
            int maxBytes, boolean minOneBatch) {
        throw new UnsupportedOperationException("replication: in progress");
    }

    /**
     * Completes once the high watermark has passed {@code lastOffset} (every ISR member has it); fails with
     * {@link io.fjord.log.LogTruncatedException}-like errors when this node stops leading first.
     */
    public java.util.concurrent.CompletableFuture<Long> awaitReplication(long lastOffset) {
        throw new UnsupportedOperationException("replication: in progress");
    }

    /** Asks the controller to drop followers that have not caught up within replica.lag.time.max.ms. */
    public void maybeShrinkIsr() {
        throw new UnsupportedOperationException("replication: in progress");
    }

    /**
     * Follower side: appends batches fetched from the leader as they are (offsets and epochs already set)
     * and updates the producer state from them. Returns null, writing nothing, when this node is no longer
     * a follower in {@code fetchedInLeaderEpoch} (the fetch raced a leadership change).
     */
    public LogAppendInfo appendAsFollower(ByteBuffer batches, int fetchedInLeaderEpoch) {
        throw new UnsupportedOperationException("replication: in progress");
    }

    /** Follower side: takes the leader's high watermark (capped by this log's end). */
    public void updateHighWatermarkAsFollower(long leaderHighWatermark, int fetchedInLeaderEpoch) {
        throw new UnsupportedOperationException("replication: in progress");
    }

    /**
     * Follower side: the leader answered that this log diverges from its own at {@code divergingEpoch};
     * cuts exactly what the leader does not have. Returns the truncation (its offset is the new log end
     * offset), or null when the partition moved on.
     */
    public io.fjord.replication.Truncation truncateOnDivergence(io.fjord.log.EpochEndOffset divergingEpoch,
            int fetchedInLeaderEpoch) {
        throw new UnsupportedOperationException("replication: in progress");
    }

    /** Follower side: the leader's log starts after this log's end; empty this one and start it there. */
    public boolean truncateFullyAndStartAt(long offset, int fetchedInLeaderEpoch) {
        throw new UnsupportedOperationException("replication: in progress");
    }

    @Override
    public void close() {
        // The producer snapshot at the log end lets the next start skip replaying the log.
        appendLock.lock();
        try {
            producerState.close(log.logEndOffset());
        } finally {
            appendLock.unlock();
        }
        log.close();
    }

    @Override
    public String toString() {
        return "Partition(" + topicPartition + ", hw=" + highWatermark + ", leo=" + log.logEndOffset() + ")";
    }
}
