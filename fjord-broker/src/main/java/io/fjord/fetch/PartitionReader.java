package io.fjord.fetch;

import io.fjord.log.LogClosedException;
import io.fjord.log.LogSlice;
import io.fjord.log.LogStorageException;
import io.fjord.log.OffsetOutOfRangeException;
import io.fjord.metadata.CurrentLeader;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicRegistry;
import io.fjord.network.FileRecords;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionLookup;
import io.fjord.protocol.BaseRecords;
import io.fjord.protocol.Errors;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.replication.ReplicaRead;
import java.util.ArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition for a fetch, with Kafka's checks in Kafka's order: the topic (UNKNOWN_TOPIC_ID,
 * UNKNOWN_TOPIC_OR_PARTITION), the client's leader epoch (FENCED_LEADER_EPOCH when the client is
 * behind, UNKNOWN_LEADER_EPOCH when ahead), leadership (NOT_LEADER_OR_FOLLOWER for a partition this node
 * does not lead, or that the metadata has but this node holds no replica of), the replica, then the read itself (OFFSET_OUT_OF_RANGE
 * outside [log start, log end]). The records are a file slice, sent later without copying.
 * Stateless and safe from any thread.
 */
final class PartitionReader {
    private static final Logger log = LoggerFactory.getLogger(PartitionReader.class);

    /** Fetch v11 brought rack ids and fetching from followers (KIP-392). */
    static final short FIRST_FOLLOWER_READ_VERSION = 11;

    private final PartitionLookup partitions;
    private final Supplier<TopicRegistry> topics;
    /** Picks a consumer's read replica when replica.selector.class is set; null: consumers read from the leader. */
    private final ReadReplicaSelector readReplicas;

    /** @param topics the metadata, to tell partitions held elsewhere from unknown ones */
    PartitionReader(PartitionLookup partitions, Supplier<TopicRegistry> topics, ReadReplicaSelector readReplicas) {
        this.partitions = partitions;
        this.topics = topics;
        this.readReplicas = readReplicas;
    }

    /**
     * @param maxBytes    what this partition may return: its partition_max_bytes, capped by what is left
     *     of the response's max_bytes
     * @param minOneBatch return the first batch even when larger than {@code maxBytes} (true until some
     *     partition of the response returned data: Kafka's minOneMessage, KIP-74)
     */
    PartitionResult read(FetchKey key, PartitionRequest request, FetchParams params, int maxBytes, boolean minOneBatch) {
        Partition partition = key.usesTopicId()
                ? partitions.partition(key.topicId(), key.partition())
                : partitions.partition(key.topic(), key.partition());
        if (partition == null) {
            TopicRegistry registry = topics.get();
            boolean unknownId = key.usesTopicId() && registry.topic(key.topicId()) == null;
            PartitionInfo info = unknownId ? null
                    : CurrentLeader.partitionInfo(registry, key.topic(), key.topicId(), key.partition());
            // Kafka's getPartitionOrError: a partition the metadata has but this node holds no open replica of
            // (led elsewhere, or led here but offline or still opening) is NOT_LEADER_OR_FOLLOWER.
            Errors error = unknownId ? Errors.UNKNOWN_TOPIC_ID
                    : info != null ? Errors.NOT_LEADER_OR_FOLLOWER
                    : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            // A leader elsewhere answers at once, so the client goes there rather than wait max_wait_ms here.
            return new PartitionResult(key, null, error(key, error), error == Errors.NOT_LEADER_OR_FOLLOWER);
        }
        Errors epochError = LeaderEpochCheck.check(partition, request.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return new PartitionResult(key, partition, error(key, epochError), true);
        }
        if (params.fromFollower()) {
            return readForFollower(key, partition, request, params, maxBytes, minOneBatch);
        }
        if (!partition.isLeader() && (params.version() < FIRST_FOLLOWER_READ_VERSION || partition.leaderId() < 0)) {
            // Before v11 consumers read from the leader only; after the epoch check, as Kafka's
            // Partition.localLogWithEpochOrThrow orders them. From v11 a follower serves them up to its own
            // high watermark (KIP-392), which is where a leader's preferred read replica sends them.
            return new PartitionResult(key, partition, error(key, Errors.NOT_LEADER_OR_FOLLOWER), true);
        }
        if (partition.isLeader() && readReplicas != null) {
            int preferred = readReplicas.preferredReadReplica(partition, params.rackId(), request.fetchOffset());
            if (preferred >= 0) {
                return new PartitionResult(key, partition, new PartitionData()
                        .setPartitionIndex(key.partition())
                        .setHighWatermark(partition.highWatermark())
                        .setLastStableOffset(partition.lastStableOffset())
                        .setLogStartOffset(partition.logStartOffset())
                        .setAbortedTransactions(params.readCommitted() ? new ArrayList<>(0) : null)
                        .setPreferredReadReplica(preferred)
                        .setRecords(MemoryRecords.EMPTY), true);
            }
        }

        // The offsets the answer reports are taken before the read, as Kafka does, so the bytes
        // returned never run past the high watermark the client is told about.
        long highWatermark = partition.highWatermark();
        long lastStableOffset = partition.lastStableOffset();
        long logStartOffset = partition.logStartOffset();
        long maxOffset = params.readCommitted() ? lastStableOffset : highWatermark;
        LogSlice slice;
        try {
            slice = partition.read(request.fetchOffset(), Math.max(0, maxBytes), minOneBatch, maxOffset);
        } catch (OffsetOutOfRangeException e) {
            return new PartitionResult(key, partition, error(key, Errors.OFFSET_OUT_OF_RANGE), true);
        } catch (LogClosedException e) {
            // The partition was deleted or is being closed under us.
            return new PartitionResult(key, partition, error(key, Errors.UNKNOWN_TOPIC_OR_PARTITION), true);
        } catch (LogStorageException e) {
            log.error("Fetch of {} at offset {} failed", key, request.fetchOffset(), e);
            return new PartitionResult(key, partition, error(key, Errors.KAFKA_STORAGE_ERROR), true);
        }
        PartitionData data = new PartitionData()
                .setPartitionIndex(key.partition())
                .setHighWatermark(highWatermark)
                .setLastStableOffset(lastStableOffset)
                .setLogStartOffset(logStartOffset)
                // Without transactions nothing is ever aborted: an empty list for read_committed
                // readers, none at all for the others, as Kafka answers.
                .setAbortedTransactions(params.readCommitted() ? new ArrayList<>(0) : null)
                .setRecords(records(slice));
        return new PartitionResult(key, partition, data, false);
    }

    /**
     * A follower's fetch: the leader checks its last fetched epoch, records its progress (which may move
     * the high watermark and the ISR) and answers records up to the log end offset, or the epoch where
     * the follower's log diverges from this one (Fetch v12+, KIP-320/KIP-595).
     */
    private PartitionResult readForFollower(FetchKey key, Partition partition, PartitionRequest request,
            FetchParams params, int maxBytes, boolean minOneBatch) {
        if (partition.isLeader() && !partition.replicas().contains(params.replicaId())) {
            // Kafka's answer to a broker that is not a replica: with an epoch that matched, the follower is
            // behind on metadata and retries (UNKNOWN_LEADER_EPOCH); without one, NOT_LEADER_OR_FOLLOWER.
            Errors error = request.currentLeaderEpoch() >= 0 ? Errors.UNKNOWN_LEADER_EPOCH : Errors.NOT_LEADER_OR_FOLLOWER;
            return new PartitionResult(key, partition, error(key, error), true);
        }
        ReplicaRead read;
        try {
            read = partition.readForFollower(params.replicaId(), request.fetchOffset(), request.lastFetchedEpoch(),
                    Math.max(0, maxBytes), minOneBatch);
        } catch (LogClosedException e) {
            return new PartitionResult(key, partition, error(key, Errors.NOT_LEADER_OR_FOLLOWER), true);
        } catch (OffsetOutOfRangeException e) {
            return new PartitionResult(key, partition, error(key, Errors.OFFSET_OUT_OF_RANGE), true);
        } catch (LogStorageException e) {
            log.error("Replica fetch of {} at offset {} by broker {} failed", key, request.fetchOffset(),
                    params.replicaId(), e);
            return new PartitionResult(key, partition, error(key, Errors.KAFKA_STORAGE_ERROR), true);
        }
        if (read.error() != Errors.NONE && read.error() != Errors.OFFSET_OUT_OF_RANGE) {
            return new PartitionResult(key, partition, error(key, read.error()), true);
        }
        PartitionData data = new PartitionData()
                .setPartitionIndex(key.partition())
                .setErrorCode(read.error().code())
                .setHighWatermark(read.highWatermark())
                .setLastStableOffset(read.highWatermark())
                .setLogStartOffset(read.logStartOffset())
                .setAbortedTransactions(null)
                .setRecords(read.records() == null ? MemoryRecords.EMPTY : records(read.records()));
        if (read.divergingEpoch() != null) {
            data.divergingEpoch().setEpoch(read.divergingEpoch().epoch()).setEndOffset(read.divergingEpoch().endOffset());
        }
        // A divergence or an out-of-range offset is answered at once; so is data. An empty read waits for appends,
        // and the log end offset is what it waits to move.
        boolean answerNow = read.divergingEpoch() != null || read.error() != Errors.NONE;
        return new PartitionResult(key, partition, data, answerNow, read.logEndOffset());
    }

    private static BaseRecords records(LogSlice slice) {
        if (slice.isEmpty()) {
            slice.release();
            return MemoryRecords.EMPTY;
        }
        return FileRecords.of(slice);
    }

    /** An error answer: no records and unknown offsets, as Kafka's FetchResponse.partitionResponse. */
    static PartitionData error(FetchKey key, Errors error) {
        return new PartitionData()
                .setPartitionIndex(key.partition())
                .setErrorCode(error.code())
                .setHighWatermark(-1)
                .setLastStableOffset(-1)
                .setLogStartOffset(-1)
                .setAbortedTransactions(null)
                .setRecords(MemoryRecords.EMPTY);
    }
}
