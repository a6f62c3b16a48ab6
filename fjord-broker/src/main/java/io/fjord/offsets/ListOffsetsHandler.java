package io.fjord.offsets;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.fetch.LeaderEpochCheck;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.CurrentLeader;
import io.fjord.metadata.PartitionInfo;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionLookup;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ListOffsetsRequestData;
import io.fjord.protocol.message.ListOffsetsRequestData.ListOffsetsPartition;
import io.fjord.protocol.message.ListOffsetsRequestData.ListOffsetsTopic;
import io.fjord.protocol.message.ListOffsetsResponseData;
import io.fjord.protocol.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import io.fjord.protocol.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ListOffsets, versions 1 to 11 (all Kafka 4 serves): the earliest (-2) and latest (-1) offsets,
 * the record with the largest timestamp (-3, v7+), the local log start (-4, v8+), the last tiered
 * offset (-5, v9+) and the earliest offset pending upload (-6, v11+), and the first record whose
 * timestamp is at least a given one. Without tiered storage, -4 is the log start and -5/-6 answer
 * offset -1 with leader epoch -1, as Kafka does for topics without remote storage.
 *
 * <p>Consumers (replica id -1) see offsets up to the high watermark, or the last stable offset with
 * read_committed; other requesters up to the log end. A record found at or beyond that bound is
 * not there yet: offset and timestamp -1, no error, as Kafka answers.
 *
 * <p>Only the leader answers, except to the debugging replica id -2 (Kafka's rule): a partition this
 * node does not lead, or that the metadata has but this node holds no replica of, is NOT_LEADER_OR_FOLLOWER.
 */
public final class ListOffsetsHandler extends AbstractApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ListOffsetsHandler.class);

    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    static final long EARLIEST_LOCAL = -4;
    static final long LATEST_TIERED = -5;
    static final long EARLIEST_PENDING_UPLOAD = -6;
    private static final int CONSUMER_REPLICA_ID = -1;
    /** Kafka's DEBUGGING_REPLICA_ID: may read a follower's offsets. */
    private static final int DEBUGGING_REPLICA_ID = -2;
    private static final byte READ_COMMITTED = 1;

    private final PartitionLookup partitions;
    /** Null where every partition held here is led here (tests of one node). */
    private final ClusterView cluster;

    public ListOffsetsHandler(PartitionLookup partitions) {
        this(partitions, null);
    }

    /** @param cluster the metadata, to tell partitions led elsewhere from unknown ones */
    public ListOffsetsHandler(PartitionLookup partitions, ClusterView cluster) {
        super(ApiKey.LIST_OFFSETS, 1, 11);
        this.partitions = partitions;
        this.cluster = cluster;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ListOffsetsRequestData request = (ListOffsetsRequestData) message;
        short version = context.apiVersion();
        Set<TopicPartition> duplicates = duplicates(request);
        TimestampSearch search = new TimestampSearch();
        List<ListOffsetsTopicResponse> topics = new ArrayList<>(request.topics().size());
        Set<TopicPartition> answered = new HashSet<>();
        for (ListOffsetsTopic topic : request.topics()) {
            List<ListOffsetsPartitionResponse> answers = new ArrayList<>(topic.partitions().size());
            for (ListOffsetsPartition p : topic.partitions()) {
                TopicPartition name = new TopicPartition(topic.name(), p.partitionIndex());
                if (duplicates.contains(name)) {
                    // Kafka refuses every partition named twice, and answers it once.
                    if (answered.add(name)) {
                        answers.add(error(p, Errors.INVALID_REQUEST));
                    }
                    continue;
                }
                answers.add(answer(search, topic.name(), p, request, version));
            }
            topics.add(new ListOffsetsTopicResponse().setName(topic.name()).setPartitions(answers));
        }
        return CompletableFuture.completedFuture(new ListOffsetsResponseData().setTopics(topics));
    }

    private ListOffsetsPartitionResponse answer(TimestampSearch search, String topic, ListOffsetsPartition request,
            ListOffsetsRequestData body, short version) {
        long timestamp = request.timestamp();
        if (!supported(timestamp, version)) {
            return error(request, Errors.UNSUPPORTED_VERSION);
        }
        Partition partition = partitions.partition(topic, request.partitionIndex());
        if (partition == null) {
            PartitionInfo info = cluster == null ? null
                    : CurrentLeader.partitionInfo(cluster.topics(), topic, null, request.partitionIndex());
            // Kafka's getPartitionOrError: a partition the image has is NOT_LEADER_OR_FOLLOWER even when this
            // node leads it but has not opened it (offline or still opening); only an unknown one is unknown.
            return error(request, info != null ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        Errors epochError = LeaderEpochCheck.check(partition, request.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return error(request, epochError);
        }
        if (!partition.isLeader() && body.replicaId() != DEBUGGING_REPLICA_ID) {
            return error(request, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        long lastFetchable = body.replicaId() != CONSUMER_REPLICA_ID ? partition.logEndOffset()
                : body.isolationLevel() == READ_COMMITTED ? partition.lastStableOffset() : partition.highWatermark();
        try {
            Optional<FoundOffset> found = find(search, partition, timestamp, lastFetchable);
            ListOffsetsPartitionResponse response = error(request, Errors.NONE);
            // Only the latest and earliest answers may name offsets the requester cannot fetch yet.
            boolean bounded = timestamp != LATEST && timestamp != EARLIEST && timestamp != EARLIEST_LOCAL;
            if (found.isPresent() && !(bounded && found.get().offset() >= lastFetchable)) {
                response.setTimestamp(found.get().timestamp()).setOffset(found.get().offset());
                if (version >= 4) {
                    response.setLeaderEpoch(found.get().leaderEpoch());
                }
            }
            return response;
        } catch (RuntimeException e) {
            log.error("ListOffsets for {}-{} at timestamp {} failed", topic, request.partitionIndex(), timestamp, e);
            return error(request, Errors.UNKNOWN_SERVER_ERROR);
        }
    }

    private static Optional<FoundOffset> find(TimestampSearch search, Partition partition, long timestamp,
            long lastFetchable) {
        if (timestamp == LATEST) {
            return Optional.of(new FoundOffset(-1, lastFetchable, partition.leaderEpoch()));
        }
        if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
            long start = partition.logStartOffset();
            return Optional.of(new FoundOffset(-1, start, search.leaderEpochAt(partition, start)));
        }
        if (timestamp == LATEST_TIERED || timestamp == EARLIEST_PENDING_UPLOAD) {
            return Optional.of(new FoundOffset(-1, -1, -1));
        }
        if (timestamp == MAX_TIMESTAMP) {
            return search.maxTimestamp(partition);
        }
        return search.firstAtOrAfter(partition, timestamp);
    }

    /** Kafka's first version for each special timestamp; other negative timestamps are never valid. */
    static boolean supported(long timestamp, short version) {
        if (timestamp >= 0) {
            return true;
        }
        int minVersion = timestamp == LATEST || timestamp == EARLIEST ? 1
                : timestamp == MAX_TIMESTAMP ? 7
                : timestamp == EARLIEST_LOCAL ? 8
                : timestamp == LATEST_TIERED ? 9
                : timestamp == EARLIEST_PENDING_UPLOAD ? 11
                : Integer.MAX_VALUE;
        return version >= minVersion;
    }

    private static ListOffsetsPartitionResponse error(ListOffsetsPartition request, Errors error) {
        return new ListOffsetsPartitionResponse()
                .setPartitionIndex(request.partitionIndex())
                .setErrorCode(error.code())
                .setTimestamp(-1)
                .setOffset(-1);
    }

    private static Set<TopicPartition> duplicates(ListOffsetsRequestData request) {
        Set<TopicPartition> seen = new HashSet<>();
        Set<TopicPartition> twice = new HashSet<>();
        for (ListOffsetsTopic topic : request.topics()) {
            for (ListOffsetsPartition p : topic.partitions()) {
                TopicPartition name = new TopicPartition(topic.name(), p.partitionIndex());
                if (!seen.add(name)) {
                    twice.add(name);
                }
            }
        }
        return twice;
    }
}
