package io.fjord.replication;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.fetch.LeaderEpochCheck;
import io.fjord.log.EpochEndOffset;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.CurrentLeader;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionLookup;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.OffsetForLeaderEpochRequestData;
import io.fjord.protocol.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import io.fjord.protocol.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import io.fjord.protocol.message.OffsetForLeaderEpochResponseData;
import io.fjord.protocol.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetForLeaderEpoch, versions 2 to 4 (Kafka 4's range): where a leader epoch ends in this leader's
 * log, the largest epoch at or below the one asked for and the offset after its last record (KIP-101,
 * KIP-279). A follower or a consumer that saw an older leader uses it to find how much of its log (or
 * its position) the leader still has; consumers do so after a leader change to detect truncation
 * (KIP-320).
 *
 * <p>Kafka's checks in Kafka's order: the partition (UNKNOWN_TOPIC_OR_PARTITION, or
 * NOT_LEADER_OR_FOLLOWER when the metadata has it but it is led elsewhere), the requester's current
 * leader epoch (FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH), leadership (only the leader answers, except
 * to the debugging replica id -2). An epoch the log does not know ends at -1 with epoch -1.
 */
public final class OffsetForLeaderEpochHandler extends AbstractApiHandler {
    /** Kafka's DEBUGGING_REPLICA_ID: may ask a follower. */
    private static final int DEBUGGING_REPLICA_ID = -2;

    private final PartitionLookup partitions;
    private final ClusterView cluster;

    public OffsetForLeaderEpochHandler(PartitionLookup partitions, ClusterView cluster) {
        super(ApiKey.OFFSET_FOR_LEADER_EPOCH, 2, 4);
        this.partitions = partitions;
        this.cluster = cluster;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        OffsetForLeaderEpochRequestData request = (OffsetForLeaderEpochRequestData) message;
        boolean anyReplica = context.apiVersion() >= 3 && request.replicaId() == DEBUGGING_REPLICA_ID;
        List<OffsetForLeaderTopicResult> topics = new ArrayList<>(request.topics().size());
        for (OffsetForLeaderTopic topic : request.topics()) {
            List<OffsetForLeaderEpochResponseData.EpochEndOffset> results = new ArrayList<>(topic.partitions().size());
            for (OffsetForLeaderPartition p : topic.partitions()) {
                results.add(answer(topic.topic(), p, anyReplica));
            }
            topics.add(new OffsetForLeaderTopicResult().setTopic(topic.topic()).setPartitions(results));
        }
        return CompletableFuture.completedFuture(new OffsetForLeaderEpochResponseData().setTopics(topics));
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset answer(String topic, OffsetForLeaderPartition request,
            boolean anyReplica) {
        OffsetForLeaderEpochResponseData.EpochEndOffset result = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                .setPartition(request.partition())
                .setLeaderEpoch(-1)
                .setEndOffset(-1);
        Partition partition = partitions.partition(topic, request.partition());
        if (partition == null) {
            boolean known = cluster != null
                    && CurrentLeader.partitionInfo(cluster.topics(), topic, null, request.partition()) != null;
            return result.setErrorCode((known ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
        }
        Errors epochError = LeaderEpochCheck.check(partition, request.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return result.setErrorCode(epochError.code());
        }
        if (!partition.isLeader() && !anyReplica) {
            return result.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
        }
        EpochEndOffset end = partition.endOffsetForEpoch(request.leaderEpoch());
        return result.setLeaderEpoch(end.epoch()).setEndOffset(end.endOffset());
    }
}
