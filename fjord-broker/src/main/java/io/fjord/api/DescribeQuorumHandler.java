package io.fjord.api;

import io.fjord.controller.QuorumState;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.MetadataStore;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeQuorumRequestData;
import io.fjord.protocol.message.DescribeQuorumRequestData.TopicData;
import io.fjord.protocol.message.DescribeQuorumResponseData;
import io.fjord.protocol.message.DescribeQuorumResponseData.PartitionData;
import io.fjord.protocol.message.DescribeQuorumResponseData.ReplicaState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeQuorum, v0 to v2: the controller quorum as the metadata log's only partition,
 * {@code __cluster_metadata-0}, reports it (KIP-595/KIP-836): leader, epoch, high watermark, voters and
 * observers with their log end offsets. Anything but exactly that one partition is
 * UNKNOWN_TOPIC_OR_PARTITION on every partition asked, as Kafka's KafkaRaftClient answers. v2's Nodes
 * (controller endpoints) stay empty: the quorum state does not carry them, and clients do not need them.
 * When the quorum cannot be reached, the store's error is the top-level one.
 */
public final class DescribeQuorumHandler extends AbstractApiHandler {
    static final String METADATA_TOPIC = "__cluster_metadata";
    private static final int METADATA_PARTITION = 0;

    private final MetadataStore store;

    public DescribeQuorumHandler(MetadataStore store) {
        super(ApiKey.DESCRIBE_QUORUM, 0, 2);
        this.store = store;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        DescribeQuorumRequestData request = (DescribeQuorumRequestData) body;
        short version = context.apiVersion();
        if (!asksForTheMetadataPartition(request)) {
            return CompletableFuture.completedFuture(partitionErrors(request, version, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        return store.describeQuorum().handle((quorum, failure) -> {
            if (failure != null) {
                ApiError error = ApiError.fromThrowable(failure);
                DescribeQuorumResponseData response = new DescribeQuorumResponseData().setErrorCode(error.code());
                if (version >= 2) {
                    response.setErrorMessage(error.messageOrDefault());
                }
                return response;
            }
            return describe(quorum);
        });
    }

    /** Kafka's hasValidTopicPartition: one topic, the metadata topic, with one partition, 0. */
    private static boolean asksForTheMetadataPartition(DescribeQuorumRequestData request) {
        return request.topics().size() == 1
                && METADATA_TOPIC.equals(request.topics().get(0).topicName())
                && request.topics().get(0).partitions().size() == 1
                && request.topics().get(0).partitions().get(0).partitionIndex() == METADATA_PARTITION;
    }

    private static DescribeQuorumResponseData describe(QuorumState quorum) {
        PartitionData partition = new PartitionData()
                .setPartitionIndex(METADATA_PARTITION)
                .setErrorCode(Errors.NONE.code())
                .setLeaderId(quorum.leaderId())
                .setLeaderEpoch(quorum.leaderEpoch())
                .setHighWatermark(quorum.highWatermark())
                .setCurrentVoters(replicas(quorum.voters()))
                .setObservers(replicas(quorum.observers()));
        DescribeQuorumResponseData.TopicData topic = new DescribeQuorumResponseData.TopicData()
                .setTopicName(METADATA_TOPIC)
                .setPartitions(new ArrayList<>(List.of(partition)));
        return new DescribeQuorumResponseData().setTopics(new ArrayList<>(List.of(topic)));
    }

    private static List<ReplicaState> replicas(List<QuorumState.Replica> replicas) {
        List<ReplicaState> out = new ArrayList<>(replicas.size());
        for (QuorumState.Replica r : replicas) {
            out.add(new ReplicaState()
                    .setReplicaId(r.replicaId())
                    .setLogEndOffset(r.logEndOffset())
                    .setLastFetchTimestamp(r.lastFetchTimestamp())
                    .setLastCaughtUpTimestamp(r.lastCaughtUpTimestamp()));
        }
        return out;
    }

    /** Kafka's DescribeQuorumRequest.getPartitionLevelErrorResponse: the error on every partition asked. */
    private static DescribeQuorumResponseData partitionErrors(DescribeQuorumRequestData request, short version, Errors error) {
        List<DescribeQuorumResponseData.TopicData> topics = new ArrayList<>();
        for (TopicData asked : request.topics()) {
            List<PartitionData> partitions = new ArrayList<>();
            for (DescribeQuorumRequestData.PartitionData p : asked.partitions()) {
                PartitionData answer = new PartitionData().setPartitionIndex(p.partitionIndex()).setErrorCode(error.code());
                if (version >= 2) {
                    answer.setErrorMessage(error.message());
                }
                partitions.add(answer);
            }
            topics.add(new DescribeQuorumResponseData.TopicData().setTopicName(asked.topicName()).setPartitions(partitions));
        }
        return new DescribeQuorumResponseData().setTopics(topics);
    }
}
