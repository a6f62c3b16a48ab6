package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.ClusterView;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetCommit v2-10 (topics by id from v10, UNKNOWN_TOPIC_ID when unknown). The coordinator stores the
 * offsets in {@code __consumer_offsets} before answering. Member and generation checks as Kafka's.
 */
public final class OffsetCommitHandler extends AbstractApiHandler {
    /** Kafka's {@code offset.metadata.max.bytes} default: longer metadata is OFFSET_METADATA_TOO_LARGE. */
    public static final int OFFSET_METADATA_MAX_BYTES = 4096;

    private final GroupCoordinator coordinator;
    /** Where topic existence is checked (UNKNOWN_TOPIC_OR_PARTITION as Kafka); null: not checked. */
    private final ClusterView cluster;
    /** {@code offset.metadata.max.bytes}: metadata longer than this (in chars, as Kafka) is refused. */
    private final int metadataMaxBytes;

    public OffsetCommitHandler(GroupCoordinator coordinator) {
        this(coordinator, null);
    }

    public OffsetCommitHandler(GroupCoordinator coordinator, ClusterView cluster) {
        this(coordinator, cluster, OFFSET_METADATA_MAX_BYTES);
    }

    public OffsetCommitHandler(GroupCoordinator coordinator, ClusterView cluster, int metadataMaxBytes) {
        super(ApiKey.OFFSET_COMMIT, ApiKey.OFFSET_COMMIT.lowestVersion(), 10);
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.metadataMaxBytes = metadataMaxBytes;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        OffsetCommitRequestData request = (OffsetCommitRequestData) message;
        long now = System.currentTimeMillis();
        if (context.apiVersion() >= 10) {
            // v10 names topics by id: resolve them first, as KafkaApis does; an unknown id keeps "".
            OffsetCommitChecks.resolveTopicIds(request, cluster);
        }
        Map<GroupCoordinator.OffsetKey, GroupCoordinator.Committed> commits = new LinkedHashMap<>();
        // v2-4 carry retention_time_ms; Kafka 4.x honours anything but -1 as this commit's own expiry.
        long retention = context.apiVersion() >= 2 && context.apiVersion() <= 4 ? request.retentionTimeMs() : -1;
        long expireAt = retention == -1 ? -1 : now + retention;
        Map<GroupCoordinator.OffsetKey, Errors> refused = OffsetCommitChecks.refused(request, cluster, metadataMaxBytes,
                context.apiVersion() >= 10 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                if (refused.containsKey(new GroupCoordinator.OffsetKey(t.name(), p.partitionIndex()))) {
                    continue;
                }
                int epoch = context.apiVersion() >= 6 ? p.committedLeaderEpoch() : -1;
                commits.put(new GroupCoordinator.OffsetKey(t.name(), p.partitionIndex()),
                        new GroupCoordinator.Committed(p.committedOffset(), epoch,
                                // Kafka stores null metadata as "" (what a restart reads back either way).
                                p.committedMetadata() == null ? "" : p.committedMetadata(), now, expireAt));
            }
        }
        CompletableFuture<Errors> result;
        if (request.groupId() == null || request.groupId().isEmpty()) {
            result = CompletableFuture.completedFuture(Errors.INVALID_GROUP_ID);
        } else {
            String instanceId = context.apiVersion() >= 7 ? request.groupInstanceId() : null;
            result = coordinator.commit(request.groupId(), request.memberId(), instanceId,
                    request.generationIdOrMemberEpoch(), commits, context.apiVersion());
        }
        return result.handle((error, failure) -> {
            Errors e = failure != null ? Errors.COORDINATOR_NOT_AVAILABLE : error;
            if (e == Errors.GROUP_ID_NOT_FOUND && context.apiVersion() < 9) {
                e = Errors.ILLEGAL_GENERATION; // what Kafka answers older clients for an unknown group
            }
            OffsetCommitChecks.logRefusal(request, context, e, refused);
            List<OffsetCommitResponseData.OffsetCommitResponseTopic> topics = new ArrayList<>();
            for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
                List<OffsetCommitResponseData.OffsetCommitResponsePartition> partitions = new ArrayList<>();
                for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                    Errors pe = OffsetCommitChecks.partitionError(t.name(), p.partitionIndex(), e, refused);
                    partitions.add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(pe.code()));
                }
                topics.add(new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(t.name())
                        .setTopicId(t.topicId()).setPartitions(partitions));
            }
            return new OffsetCommitResponseData().setTopics(topics);
        });
    }
}
