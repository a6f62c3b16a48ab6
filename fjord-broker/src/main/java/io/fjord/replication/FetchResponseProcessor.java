package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.protocol.BaseRecords;
import io.fjord.protocol.Errors;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one partition's part of a leader's fetch answer to the follower's log, with the semantics of
 * Kafka's fetcher (AbstractFetcherThread): records are appended and the leader's high watermark taken; a
 * diverging epoch cuts the log to what the leader has before anything more is fetched; a fetch below the
 * leader's log start restarts the log there; other errors wait and retry. Every write names the leader
 * epoch the fetch was made in, so the partition itself refuses it once it has moved on.
 */
public final class FetchResponseProcessor {
    private static final Logger log = LoggerFactory.getLogger(FetchResponseProcessor.class);
    /** baseOffset (8) and batchLength (4) precede every v2 batch; batchLength counts what follows them. */
    private static final int BATCH_LENGTH_END = 12;

    private final int leaderId;

    /** @param leaderId the broker answering, for log lines */
    public FetchResponseProcessor(int leaderId) {
        this.leaderId = leaderId;
    }

    /**
     * @param replica       the partition the fetch was for
     * @param leaderEpoch   the leader epoch it was fetched in (its currentLeaderEpoch)
     * @param fetchOffset   the fetch offset the request carried (the log end offset then)
     * @param data          the leader's answer for it
     * @param leaderOffsets asked only when the fetch was out of range
     * @throws IOException  when the leader could not be asked for its offsets (a connection failure)
     */
    public FetchOutcome process(FollowerLog replica, int leaderEpoch, long fetchOffset, PartitionData data,
            LeaderOffsets leaderOffsets) throws IOException {
        Errors error = Errors.forCode(data.errorCode());
        if (error == Errors.NONE) {
            return onData(replica, leaderEpoch, fetchOffset, data);
        }
        if (error == Errors.OFFSET_OUT_OF_RANGE) {
            return onOutOfRange(replica, leaderEpoch, fetchOffset, leaderOffsets);
        }
        if (error == null) {
            log.warn("Fetch of {} from leader {} failed with unknown error code {}; retrying after backoff",
                    replica.topicPartition(), leaderId, data.errorCode());
            return FetchOutcome.BACK_OFF;
        }
        switch (error) {
            // The leader has not taken the leadership yet, or this node's image is behind or ahead of its:
            // the next image (or the leader's) settles it. Kafka's fetcher backs off on these.
            case NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, UNKNOWN_TOPIC_ID,
                    UNKNOWN_TOPIC_OR_PARTITION, INCONSISTENT_TOPIC_ID, REPLICA_NOT_AVAILABLE, LEADER_NOT_AVAILABLE ->
                    log.debug("Fetch of {} from leader {} in epoch {}: {}; retrying after backoff",
                            replica.topicPartition(), leaderId, leaderEpoch, error);
            default -> log.warn("Fetch of {} from leader {} in epoch {} failed: {}; retrying after backoff",
                    replica.topicPartition(), leaderId, leaderEpoch, error);
        }
        return FetchOutcome.BACK_OFF;
    }

    private FetchOutcome onData(FollowerLog replica, int leaderEpoch, long fetchOffset, PartitionData data) {
        EpochEndOffset diverging = divergingEpoch(data);
        if (diverging != null) {
            long before = replica.logEndOffset();
            Truncation truncation = replica.truncateOnDivergence(diverging, leaderEpoch);
            if (truncation == null) {
                return FetchOutcome.MOVED_ON;
            }
            log.info("Truncated {} from {} to {} (leader {} in epoch {}: its log diverges after epoch {} at offset {}{})",
                    replica.topicPartition(), before, truncation.offset(), leaderId, leaderEpoch, diverging.epoch(),
                    diverging.endOffset(), truncation.completed() ? "" : "; not done yet, fetching with the older epoch");
            return FetchOutcome.TRUNCATED;
        }
        if (replica.logEndOffset() != fetchOffset) {
            // Kafka processes an answer only if the fetch state is still the one the request came from.
            log.debug("Dropped fetched data of {} for offset {}: the log end is {} now", replica.topicPartition(),
                    fetchOffset, replica.logEndOffset());
            return FetchOutcome.STALE;
        }
        ByteBuffer batches = wholeBatches(data.records());
        if (!batches.hasRemaining() && data.records() != null && data.records().sizeInBytes() > 0) {
            // Leaders answer replicas with at least one whole batch; this one would never make progress.
            log.warn("Leader {} answered the fetch of {} at {} with {} bytes that hold no whole batch; retrying after backoff",
                    leaderId, replica.topicPartition(), fetchOffset, data.records().sizeInBytes());
            return FetchOutcome.BACK_OFF;
        }
        if (batches.hasRemaining() && !replica.appendAsFollower(batches, leaderEpoch)) {
            return FetchOutcome.MOVED_ON;
        }
        if (data.highWatermark() >= 0) {
            replica.updateHighWatermarkAsFollower(data.highWatermark(), leaderEpoch);
        }
        if (data.logStartOffset() > replica.logStartOffset()) {
            replica.maybeIncrementLogStartOffset(data.logStartOffset(), leaderEpoch);
        }
        return FetchOutcome.APPENDED;
    }

    /** The leader's divergence answer, or null: the field is tagged, absent means (-1, -1). */
    static EpochEndOffset divergingEpoch(PartitionData data) {
        var d = data.divergingEpoch();
        if (d == null || (d.epoch() < 0 && d.endOffset() < 0)) {
            return null;
        }
        return new EpochEndOffset(d.epoch(), d.endOffset());
    }

    /**
     * Kafka's out-of-range handling for followers: a log longer than the leader's is cut to its end (only
     * an unclean election leaves one that the diverging epoch does not already handle); a log that ends
     * before the leader's start (the leader deleted what this one lacks) is emptied and restarted there;
     * otherwise the leader's offsets moved under the fetch and it is retried after the backoff.
     */
    private FetchOutcome onOutOfRange(FollowerLog replica, int leaderEpoch, long fetchOffset, LeaderOffsets leader)
            throws IOException {
        long localEnd = replica.logEndOffset();
        if (localEnd != fetchOffset) {
            return FetchOutcome.STALE;
        }
        long leaderEnd = leader.latest(replica, leaderEpoch);
        if (leaderEnd < 0) {
            return FetchOutcome.BACK_OFF;
        }
        if (leaderEnd < localEnd) {
            log.warn("{} ends at {}, after leader {}'s log end {} in epoch {}: truncating to the leader's end",
                    replica.topicPartition(), localEnd, leaderId, leaderEnd, leaderEpoch);
            Truncation truncation = replica.truncateOnDivergence(new EpochEndOffset(-1, leaderEnd), leaderEpoch);
            return truncation == null ? FetchOutcome.MOVED_ON : FetchOutcome.TRUNCATED;
        }
        long leaderStart = leader.earliest(replica, leaderEpoch);
        if (leaderStart < 0) {
            return FetchOutcome.BACK_OFF;
        }
        if (leaderStart > localEnd) {
            if (!replica.truncateFullyAndStartAt(leaderStart, leaderEpoch)) {
                return FetchOutcome.MOVED_ON;
            }
            log.info("Restarted {} at offset {}: leader {}'s log starts there, after this replica's end {}",
                    replica.topicPartition(), leaderStart, leaderId, localEnd);
            return FetchOutcome.TRUNCATED;
        }
        log.info("Fetch of {} at {} was out of range of leader {} (log {} to {}); retrying after backoff",
                replica.topicPartition(), fetchOffset, leaderId, leaderStart, leaderEnd);
        return FetchOutcome.BACK_OFF;
    }

    /**
     * The records as whole v2 batches: a trailing partial batch (which a leader's size limit could cut
     * in older Kafka versions) is left off, to come again with the next fetch.
     */
    static ByteBuffer wholeBatches(BaseRecords records) {
        if (records == null || records.sizeInBytes() == 0) {
            return ByteBuffer.allocate(0);
        }
        if (!(records instanceof MemoryRecords memory)) {
            throw new IllegalArgumentException("fetched records are not in memory: " + records.getClass().getName());
        }
        ByteBuffer buffer = memory.buffer();
        int start = buffer.position();
        int end = start;
        while (buffer.limit() - end >= BATCH_LENGTH_END) {
            int batchLength = buffer.getInt(end + 8);
            if (batchLength <= 0 || buffer.limit() - end - BATCH_LENGTH_END < batchLength) {
                break;
            }
            end += BATCH_LENGTH_END + batchLength;
        }
        return buffer.limit(end).position(start).slice();
    }
}
