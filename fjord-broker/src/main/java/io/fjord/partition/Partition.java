package io.fjord.partition;

import io.fjord.log.EpochEndOffset;
import io.fjord.log.FlushWaiters;
import io.fjord.log.Log;
import io.fjord.log.LogAppendInfo;
import io.fjord.log.LogSlice;
import io.fjord.metadata.PartitionInfo;
import io.fjord.produce.ProducerStateLoader;
import io.fjord.produce.ProducerStateManager;
import io.fjord.protocol.Errors;
import io.fjord.record.RecordBatch;
import io.fjord.replication.FollowerState;
import io.fjord.replication.LeaderState;
import io.fjord.replication.ReplicaRead;
import io.fjord.replication.ReplicationSettings;
import io.fjord.replication.Truncation;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of a partition held by this node, leader or follower: its log, its high watermark, its
 * view of the other replicas, and the waiters woken when data arrives or the high watermark moves.
 *
 * <p>As leader it counts a record committed once every member of the ISR has fetched past it (the high
 * watermark, {@link LeaderState}), drops followers that lag for {@code replica.lag.time.max.ms} from the
 * ISR and takes them back once caught up, both through the controller. As follower it appends what its
 * fetcher copies from the leader, takes the leader's high watermark, and cuts its log where the leader
 * says it diverges.
 *
 * <p>Threads: every change of state (appends, leadership, follower progress, truncation) holds
 * {@link #appendLock}, so a leader appends as the leader of exactly one epoch and a follower's copy of a
 * fetch is dropped if the leadership moved while it was in flight. Reads run from any thread against
 * volatile state.
 */
public final class Partition implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);
    /** The broker id of partitions built by the single-replica constructors (tests and tools). */
    private static final int ALONE = 0;
    /** Wait before asking again for an ISR change the controller did not answer. */
    private static final long ISR_CHANGE_RETRY_MS = 1000;

    private final TopicPartition topicPartition;
    private final UUID topicId;
    private final Log log;
    private final ReplicationSettings replication;
    private final int localId;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();
    /** acks=all produces waiting for the high watermark to pass their last offset. */
    private final FlushWaiters replicationWaiters = new FlushWaiters();
    /** Idempotent producers' sequences; guarded by {@link #appendLock}, rebuilt after a truncation. */
    private volatile ProducerStateManager producerState;
    private volatile PartitionConfig config;
    private volatile int leaderEpoch;
    private volatile int leaderId;
    private volatile int partitionEpoch;
    private volatile List<Integer> replicas;
    private volatile List<Integer> isr;
    /** Whether this node leads the partition in the latest image; only a leader takes produce and consumer fetches. */
    private volatile boolean leader;
    private volatile long highWatermark;
    /** The leader's view of its followers; non-null exactly while {@link #leader}; guarded by {@link #appendLock}. */
    private LeaderState leaderState;
    /** Where this node's current leader epoch began in its log (followers must reach it to rejoin the ISR). */
    private long leaderEpochStartOffset;

    /** A partition this node leads alone (the only kind a single node has). */
    public Partition(TopicPartition topicPartition, UUID topicId, Log log, PartitionConfig config, int leaderEpoch) {
        this(topicPartition, topicId, log, config, leaderEpoch, true);
    }

    /** A single-replica partition, led here or by nobody; {@link #updateLeadership} follows later changes. */
    public Partition(TopicPartition topicPartition, UUID topicId, Log log, PartitionConfig config, int leaderEpoch,
            boolean leader) {
        this(topicPartition, topicId, log, config,
                new PartitionInfo(topicPartition.partition(), leader ? ALONE : -1, leaderEpoch, List.of(ALONE),
                        List.of(ALONE), List.of()),
                log.logEndOffset(), ReplicationSettings.alone(ALONE));
    }

    /**
     * @param info          the partition's state in the image the replica opens with
     * @param highWatermark the last one checkpointed (capped to the log); a leader moves it on from there
     */
    public Partition(TopicPartition topicPartition, UUID topicId, Log log, PartitionConfig config, PartitionInfo info,
            long highWatermark, ReplicationSettings replication) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.config = config;
        this.replication = replication;
        this.localId = replication.localBrokerId();
        this.producerState = ProducerStateLoader.load(log);
        this.highWatermark = Math.max(log.logStartOffset(), Math.min(highWatermark, log.logEndOffset()));
        this.leaderEpoch = -1;
        this.leaderId = -1;
        this.partitionEpoch = -1;
        this.replicas = info.replicas();
        this.isr = info.isr();
        applyState(info);
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

    public int localBrokerId() {
        return localId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    /** The leader in the latest image (-1 for none). */
    public int leaderId() {
        return leaderId;
    }

    /** Whether this node is the partition's leader in the latest metadata image. */
    public boolean isLeader() {
        return leader;
    }

    public List<Integer> replicas() {
        return replicas;
    }

    /** The ISR the controller committed, as this node last heard it. */
    public List<Integer> isr() {
        return isr;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    /**
     * Test shorthand for {@link #applyState}: leadership of a single-replica partition.
     */
    public void updateLeadership(boolean leads, int newLeaderEpoch) {
        applyState(new PartitionInfo(topicPartition.partition(), leads ? localId : -1, newLeaderEpoch, replicas, isr,
                List.of(), Math.max(partitionEpoch, 0), List.of(), List.of()));
    }

    /** How {@link #applyState} changed this node's role in the partition, for the fetchers. */
    public enum RoleChange {
        /** Nothing the fetchers care about. */
        NONE,
        /** This node leads now (or again, in a newer epoch). */
        BECAME_LEADER,
        /** Another node leads now, or the same one in a newer epoch: fetch from it. */
        FOLLOWER,
        /** Nobody leads. */
        NO_LEADER
    }

    /**
     * Takes this partition's state from a new metadata image: leadership, leader epoch, replicas, ISR and
     * partition epoch. Called on the metadata thread; takes the append lock, as Kafka changes leadership
     * under the partition's leaderIsrUpdateLock, so no append straddles two leaderships.
     */
    public RoleChange applyState(PartitionInfo info) {
        boolean leads = info.leaderId() == localId;
        RoleChange change;
        boolean hwMoved = false;
        boolean lostLeadership = false;
        appendLock.lock();
        try {
            if (info.leaderEpoch() < leaderEpoch
                    || (info.leaderEpoch() == leaderEpoch && info.partitionEpoch() < partitionEpoch)) {
                return RoleChange.NONE; // an older image than the state we hold (the answer to an ISR change came first)
            }
            boolean newLeadership = info.leaderEpoch() > leaderEpoch || leads != leader;
            replicas = info.replicas();
            isr = info.isr();
            partitionEpoch = info.partitionEpoch();
            if (leads) {
                if (newLeadership) {
                    becomeLeader(info);
                    change = RoleChange.BECAME_LEADER;
                } else {
                    if (!leaderState.replicas().equals(info.replicas())) {
                        leaderState = new LeaderState(localId, info.replicas(), info.isr(), info.partitionEpoch(), now());
                    } else {
                        leaderState.applyCommitted(info.isr(), info.partitionEpoch());
                    }
                    change = RoleChange.NONE;
                }
                hwMoved = maybeAdvanceHighWatermark();
            } else {
                lostLeadership = leader;
                leader = false;
                leaderState = null;
                leaderEpoch = info.leaderEpoch();
                leaderId = info.leaderId();
                change = info.leaderId() < 0 ? RoleChange.NO_LEADER
                        : newLeadership || lostLeadership ? RoleChange.FOLLOWER : RoleChange.NONE;
            }
        } finally {
            appendLock.unlock();
        }
        if (lostLeadership) {
            long end = log.logEndOffset();
            replicationWaiters.failFrom(Long.MIN_VALUE, offset -> new NotLeaderException(topicPartition, offset, end));
        }
        if (hwMoved) {
            highWatermarkMoved();
        }
        return change;
    }

    /** Under the lock: this node leads from now on, in {@code info}'s epoch. */
    private void becomeLeader(PartitionInfo info) {
        long end = log.logEndOffset();
        // The epoch starts where this log ends: followers that fetched further in an older epoch cut back to here.
        log.assignEpochStartOffset(info.leaderEpoch(), end);
        leaderEpochStartOffset = end;
        leaderState = new LeaderState(localId, info.replicas(), info.isr(), info.partitionEpoch(), now());
        leaderEpoch = info.leaderEpoch();
        leaderId = localId;
        leader = true;
        if (info.replicas().size() > 1) {
            LOG.info("{}: leader in epoch {} from offset {}, high watermark {}, ISR {}", topicPartition, leaderEpoch, end,
                    highWatermark, info.isr());
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

    /** The latest leader epoch in this replica's log (-1 when none). */
    public int latestEpoch() {
        return log.latestEpoch();
    }

    /** Kafka's endOffsetForEpoch on this replica's log (OffsetForLeaderEpoch, divergence checks). */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return log.endOffsetForEpoch(epoch);
    }

    /** The producer state of this partition; touch it only while holding {@link #appendLock}. */
    public ProducerStateManager producerState() {
        return producerState;
    }

    public int replicaCount() {
        return replicas.size();
    }

    /** Members of the committed ISR, the leader included: what min.insync.replicas is checked against. */
    public int inSyncReplicaCount() {
        return isr.size();
    }

    /**
     * Kafka's effective min.insync.replicas: the topic's value, but never more than the replicas there are
     * (a replication factor below it would otherwise refuse every acks=all produce).
     */
    public int effectiveMinInSyncReplicas() {
        return Math.min(config.minInSyncReplicas(), replicas.size());
    }

    /** The lock every state change holds, so validation, offset assignment and the write are one step. */
    public ReentrantLock appendLock() {
        return appendLock;
    }

    // ---- leader side ----

    /**
     * Appends batches the produce path has validated and prepared, numbering them from the log end
     * offset, then moves the high watermark (at once when the leader is the whole ISR) and wakes waiting
     * fetches.
     */
    public LogAppendInfo appendAsLeader(ByteBuffer batches) {
        appendLock.lock();
        LogAppendInfo info;
        boolean hwMoved;
        try {
            stampLeaderEpoch(batches);
            info = log.appendAsLeader(batches);
            hwMoved = leaderState != null && maybeAdvanceHighWatermark();
        } finally {
            appendLock.unlock();
        }
        if (hwMoved) {
            replicationWaiters.completeBelow(highWatermark);
        }
        fireAppended();
        return info;
    }

    /**
     * Under the lock: every batch a leader writes carries its epoch (the CRC does not cover it), whoever built
     * it, produce path or coordinator; a follower's divergence check relies on the epochs in its log.
     */
    private void stampLeaderEpoch(ByteBuffer batches) {
        RecordBatch batch = new RecordBatch();
        int end = batches.limit();
        for (int p = batches.position(); p + RecordBatch.HEADER_SIZE <= end; p += batch.sizeInBytes()) {
            batch.wrap(batches, p);
            if (batch.partitionLeaderEpoch() != leaderEpoch) {
                batch.setPartitionLeaderEpoch(leaderEpoch);
            }
        }
    }

    /**
     * Leader side of a follower's fetch: checks the follower's last fetched epoch against this log
     * (answering the diverging epoch if they differ, without counting the fetch as progress), records its
     * progress, moves the high watermark and asks to add it to the ISR when it has caught up, then reads
     * from {@code fetchOffset} up to the log end offset.
     */
    public ReplicaRead readForFollower(int replicaId, long fetchOffset, int lastFetchedEpoch, int maxBytes,
            boolean minOneBatch) {
        if (!leader) {
            return ReplicaRead.failed(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (lastFetchedEpoch >= 0) {
            EpochEndOffset end = log.endOffsetForEpoch(lastFetchedEpoch);
            if (end.epoch() < lastFetchedEpoch || end.endOffset() < fetchOffset) {
                return new ReplicaRead(Errors.NONE, end, null, highWatermark, log.logStartOffset(), log.logEndOffset());
            }
        }
        long logEnd = log.logEndOffset();
        long logStart = log.logStartOffset();
        if (fetchOffset < logStart || fetchOffset > logEnd) {
            return new ReplicaRead(Errors.OFFSET_OUT_OF_RANGE, null, null, highWatermark, logStart, logEnd);
        }
        List<Integer> expansion = null;
        boolean hwMoved;
        int epochAtFetch;
        int partitionEpochAtFetch;
        appendLock.lock();
        try {
            if (!leader) {
                return ReplicaRead.failed(Errors.NOT_LEADER_OR_FOLLOWER);
            }
            if (!leaderState.onFollowerFetch(replicaId, fetchOffset, logEnd, now())) {
                LOG.debug("{}: fetch from broker {}, which is not a replica ({})", topicPartition, replicaId, replicas);
                return ReplicaRead.failed(Errors.NOT_LEADER_OR_FOLLOWER);
            }
            hwMoved = maybeAdvanceHighWatermark();
            expansion = leaderState.expansionFor(replicaId, highWatermark, leaderEpochStartOffset);
            if (expansion != null) {
                leaderState.markPending(expansion);
            }
            epochAtFetch = leaderEpoch;
            partitionEpochAtFetch = leaderState.partitionEpoch();
        } finally {
            appendLock.unlock();
        }
        if (hwMoved) {
            highWatermarkMoved();
        }
        if (expansion != null) {
            LOG.info("{}: broker {} caught up at offset {}; asking to add it to the ISR {}", topicPartition, replicaId,
                    fetchOffset, isr);
            sendIsrChange(expansion, epochAtFetch, partitionEpochAtFetch);
        }
        LogSlice slice = log.read(fetchOffset, Math.max(0, maxBytes), minOneBatch, Long.MAX_VALUE);
        return new ReplicaRead(Errors.NONE, null, slice, highWatermark, logStart, logEnd);
    }

    /** What this leader last heard of a follower's log end offset; -1 when unknown or not leading. */
    public long followerLogEndOffset(int replicaId) {
        appendLock.lock();
        try {
            FollowerState follower = leaderState == null ? null : leaderState.follower(replicaId);
            return follower == null ? FollowerState.UNKNOWN : follower.logEndOffset();
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Completes once the high watermark has passed {@code lastOffset}, that is once every ISR member has
     * it; fails with {@link NotLeaderException} if this node stops leading first.
     */
    public CompletableFuture<Long> awaitReplication(long lastOffset) {
        if (!leader) {
            // Stepped down since the append (and maybe truncated it): a follower's high watermark is the new
            // leader's, and says nothing of this record.
            return CompletableFuture.failedFuture(new NotLeaderException(topicPartition, lastOffset, log.logEndOffset()));
        }
        if (highWatermark > lastOffset) {
            return CompletableFuture.completedFuture(highWatermark);
        }
        CompletableFuture<Long> waiting = replicationWaiters.add(lastOffset);
        // The high watermark or the leadership may have moved between the check and the add.
        if (!leader) {
            long end = log.logEndOffset();
            replicationWaiters.failFrom(Long.MIN_VALUE, offset -> new NotLeaderException(topicPartition, offset, end));
        } else {
            replicationWaiters.completeBelow(highWatermark);
        }
        return waiting;
    }

    /** Asks the controller to drop followers that have not caught up within replica.lag.time.max.ms. */
    public void maybeShrinkIsr() {
        List<Integer> shrunk;
        int epochAtCheck;
        int partitionEpochAtCheck;
        appendLock.lock();
        try {
            if (!leader) {
                return;
            }
            shrunk = leaderState.shrink(now(), replication.replicaLagTimeMaxMs());
            if (shrunk == null) {
                return;
            }
            leaderState.markPending(shrunk);
            epochAtCheck = leaderEpoch;
            partitionEpochAtCheck = leaderState.partitionEpoch();
        } finally {
            appendLock.unlock();
        }
        LOG.info("{}: shrinking the ISR from {} to {}: the others did not catch up within {} ms", topicPartition, isr,
                shrunk, replication.replicaLagTimeMaxMs());
        sendIsrChange(shrunk, epochAtCheck, partitionEpochAtCheck);
    }

    private void sendIsrChange(List<Integer> proposed, int epochAtSend, int partitionEpochAtSend) {
        CompletableFuture<PartitionInfo> answer;
        try {
            // Bounded, then asked again: a quorum that does not answer must not hold this thread's caller, and
            // the change stays pending meanwhile (it may still be applied).
            answer = replication.isrChanges().alterIsr(topicId, topicPartition.partition(), localId, epochAtSend,
                    partitionEpochAtSend, proposed).orTimeout(replication.replicaLagTimeMaxMs(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((info, error) -> isrChangeAnswered(proposed, epochAtSend, partitionEpochAtSend, info, error));
    }

    /**
     * The controller's answer to an ISR change. Kafka's rule for failures: only a change the controller says
     * it did not make (INELIGIBLE_REPLICA, OPERATION_NOT_ATTEMPTED) ends it; after any other failure (a
     * timeout, a quorum in election, a stale epoch) it may have been made, or be made still, so it stays
     * pending, and the high watermark keeps counting its replicas, until a newer partition state arrives.
     * A timeout or an unreachable quorum is asked again with the same proposal.
     */
    private void isrChangeAnswered(List<Integer> proposed, int epochAtSend, int partitionEpochAtSend, PartitionInfo info,
            Throwable error) {
        boolean hwMoved = false;
        boolean retry = false;
        appendLock.lock();
        try {
            if (!leader || leaderEpoch != epochAtSend || !leaderState.isPending(proposed)) {
                return; // a newer state or another change has taken its place
            }
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                Errors code = cause instanceof io.fjord.metadata.ApiException api
                        ? io.fjord.metadata.ApiError.fromThrowable(api).error() : Errors.UNKNOWN_SERVER_ERROR;
                if (code == Errors.INELIGIBLE_REPLICA || code == Errors.OPERATION_NOT_ATTEMPTED) {
                    leaderState.abandonPending();
                    LOG.info("{}: the controller refused the ISR {}: {}", topicPartition, proposed, cause.getMessage());
                } else if (code == Errors.FENCED_LEADER_EPOCH || code == Errors.INVALID_UPDATE_VERSION
                        || code == Errors.NOT_LEADER_OR_FOLLOWER || code == Errors.UNKNOWN_TOPIC_ID
                        || code == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                    LOG.info("{}: the ISR change to {} was made from an outdated state ({}); waiting for the newer one",
                            topicPartition, proposed, code);
                } else {
                    retry = true;
                    LOG.warn("{}: no answer to the ISR change to {} ({}); asking again", topicPartition, proposed,
                            cause.toString());
                }
                return;
            }
            if (info.leaderEpoch() == leaderEpoch && leaderState.applyCommitted(info.isr(), info.partitionEpoch())) {
                isr = info.isr();
                partitionEpoch = info.partitionEpoch();
                hwMoved = maybeAdvanceHighWatermark();
                LOG.info("{}: ISR is now {} (partition epoch {})", topicPartition, info.isr(), info.partitionEpoch());
            }
        } finally {
            appendLock.unlock();
            if (retry) {
                CompletableFuture.delayedExecutor(ISR_CHANGE_RETRY_MS, TimeUnit.MILLISECONDS)
                        .execute(() -> resendIfPending(proposed, epochAtSend, partitionEpochAtSend));
            }
        }
        if (hwMoved) {
            highWatermarkMoved();
        }
    }

    private void resendIfPending(List<Integer> proposed, int epochAtSend, int partitionEpochAtSend) {
        appendLock.lock();
        try {
            if (!leader || leaderEpoch != epochAtSend || !leaderState.isPending(proposed)) {
                return;
            }
        } finally {
            appendLock.unlock();
        }
        sendIsrChange(proposed, epochAtSend, partitionEpochAtSend);
    }

    /** Under the lock, as leader: the high watermark follows the slowest member of the maximal ISR, never back. */
    private boolean maybeAdvanceHighWatermark() {
        long bound = leaderState.highWatermarkBound(log.logEndOffset());
        if (bound > highWatermark) {
            highWatermark = bound;
            return true;
        }
        return false;
    }

    /** Outside the lock: produce waiters complete and fetches waiting on the high watermark wake. */
    private void highWatermarkMoved() {
        replicationWaiters.completeBelow(highWatermark);
        fireAppended();
    }

    // ---- follower side ----

    /**
     * Follower side: appends batches fetched from the leader as they are (offsets and epochs already set)
     * and updates the producer state from them. Returns null, writing nothing, when this node is no longer
     * a follower in {@code fetchedInLeaderEpoch} (the fetch raced a leadership change).
     */
    public LogAppendInfo appendAsFollower(ByteBuffer batches, int fetchedInLeaderEpoch) {
        LogAppendInfo info;
        appendLock.lock();
        try {
            if (!followsIn(fetchedInLeaderEpoch)) {
                return null;
            }
            info = log.append(batches);
            producerState.appendReplicated(batches, log.logEndOffset(), log.segmentCount(), now());
        } finally {
            appendLock.unlock();
        }
        fireAppended();
        return info;
    }

    /** Follower side: takes the leader's high watermark (capped by this log's end). */
    public void updateHighWatermarkAsFollower(long leaderHighWatermark, int fetchedInLeaderEpoch) {
        boolean moved;
        appendLock.lock();
        try {
            if (!followsIn(fetchedInLeaderEpoch)) {
                return;
            }
            long next = Math.max(log.logStartOffset(), Math.min(leaderHighWatermark, log.logEndOffset()));
            moved = next != highWatermark;
            highWatermark = next;
        } finally {
            appendLock.unlock();
        }
        if (moved) {
            fireAppended();
        }
    }

    /**
     * Follower side: the leader's log start moved (DeleteRecords, retention); this replica's follows, up to
     * its own high watermark, as Kafka's followers do.
     */
    public void maybeIncrementLogStartOffset(long leaderLogStartOffset, int fetchedInLeaderEpoch) {
        appendLock.lock();
        try {
            if (!followsIn(fetchedInLeaderEpoch)) {
                return;
            }
            long target = Math.min(leaderLogStartOffset, highWatermark);
            if (target > log.logStartOffset()) {
                log.deleteRecordsBefore(target);
            }
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Follower side: the leader answered that this log diverges from its own at {@code divergingEpoch};
     * cuts exactly what the leader does not have. Returns the truncation (its offset is the new log end
     * offset when it cut anything), or null when the partition moved on.
     */
    public Truncation truncateOnDivergence(EpochEndOffset divergingEpoch, int fetchedInLeaderEpoch) {
        appendLock.lock();
        try {
            if (!followsIn(fetchedInLeaderEpoch)) {
                return null;
            }
            long end = log.logEndOffset();
            Truncation truncation = Truncation.onDivergence(divergingEpoch,
                    divergingEpoch.epoch() < 0 ? EpochEndOffset.UNDEFINED : log.endOffsetForEpoch(divergingEpoch.epoch()),
                    end, highWatermark);
            if (truncation.offset() < end) {
                LOG.info("{}: the leader's epoch {} ends at {}; truncating from {} to {}", topicPartition,
                        divergingEpoch.epoch(), divergingEpoch.endOffset(), end, truncation.offset());
                log.truncateTo(truncation.offset());
                afterTruncation();
            } else {
                // Nothing to cut, but an epoch this replica led without writing must go from its epoch history.
                log.truncateTo(truncation.offset());
            }
            return truncation;
        } finally {
            appendLock.unlock();
        }
    }

    /** Follower side: the leader's log starts after this log's end; empty this one and start it there. */
    public boolean truncateFullyAndStartAt(long offset, int fetchedInLeaderEpoch) {
        appendLock.lock();
        try {
            if (!followsIn(fetchedInLeaderEpoch)) {
                return false;
            }
            LOG.info("{}: the leader's log starts at {}, past this log's end {}; starting over there", topicPartition,
                    offset, log.logEndOffset());
            log.truncateFullyAndStartAt(offset);
            afterTruncation();
            return true;
        } finally {
            appendLock.unlock();
        }
    }

    /** Under the lock: producer state and high watermark may not refer to records that are gone. */
    private void afterTruncation() {
        producerState.discard();
        producerState = ProducerStateLoader.load(log);
        highWatermark = Math.max(log.logStartOffset(), Math.min(highWatermark, log.logEndOffset()));
    }

    private boolean followsIn(int epoch) {
        return !leader && leaderEpoch == epoch && leaderId >= 0;
    }

    // ---- reads and listeners ----

    /**
     * Whole batches from {@code fetchOffset}, at most {@code maxBytes} (the first batch even when
     * larger if {@code minOneBatch}), never at or past {@code maxOffset} (the high watermark for
     * consumers, the log end offset for replicas). The slice must be released.
     */
    public LogSlice read(long fetchOffset, int maxBytes, boolean minOneBatch, long maxOffset) {
        return log.read(fetchOffset, maxBytes, minOneBatch, maxOffset);
    }

    /** Runs {@code listener} after every append and high watermark move until removed; it must be quick and must not block. */
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

    private long now() {
        return replication.clock().getAsLong();
    }

    @Override
    public void close() {
        // The producer snapshot at the log end lets the next start skip replaying the log.
        appendLock.lock();
        try {
            producerState.close(log.logEndOffset());
            leader = false;
            leaderState = null;
        } finally {
            appendLock.unlock();
        }
        long end = log.logEndOffset();
        replicationWaiters.failFrom(Long.MIN_VALUE, offset -> new NotLeaderException(topicPartition, offset, end));
        log.close();
    }

    @Override
    public String toString() {
        return "Partition(" + topicPartition + ", leader=" + leaderId + ", epoch=" + leaderEpoch + ", isr=" + isr
                + ", hw=" + highWatermark + ", leo=" + log.logEndOffset() + ")";
    }
}
