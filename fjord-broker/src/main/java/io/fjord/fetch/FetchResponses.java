package io.fjord.fetch;

import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.network.Endpoint;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.FetchableTopicResponse;
import io.fjord.protocol.message.FetchResponseData.NodeEndpoint;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Assembles the fetch response: partitions in the order read, grouped under a topic entry while
 * consecutive partitions share a topic (as Kafka does, so the order survives). From v16 a partition
 * refused because the client's idea of the leader is stale carries the current leader, and the
 * response the leader's endpoint (KIP-951), saving the client a metadata round trip.
 */
final class FetchResponses {
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private final ClusterView cluster;
    private final int nodeId;

    FetchResponses(ClusterView cluster, int nodeId) {
        this.cluster = cluster;
        this.nodeId = nodeId;
    }

    FetchResponseData build(FetchContext.FetchAnswer answer, FetchParams params) {
        FetchResponseData response = new FetchResponseData()
                .setErrorCode(answer.error().code())
                .setSessionId(answer.sessionId());
        List<FetchableTopicResponse> topics = new ArrayList<>();
        FetchableTopicResponse current = null;
        boolean leaderHints = false;
        for (PartitionResult result : answer.results()) {
            FetchKey key = result.key();
            if (current == null || !sameTopic(current, key)) {
                current = new FetchableTopicResponse()
                        .setTopic(key.topic() != null ? key.topic() : "")
                        .setTopicId(key.topicId() != null ? key.topicId() : ZERO_UUID)
                        .setPartitions(new ArrayList<>());
                topics.add(current);
            }
            PartitionData data = result.data();
            if (params.version() >= 16 && result.partition() != null && isStaleLeaderError(data.errorCode())) {
                data.currentLeader().setLeaderId(nodeId).setLeaderEpoch(result.partition().leaderEpoch());
                leaderHints = true;
            }
            current.partitions().add(data);
        }
        response.setResponses(topics);
        if (leaderHints) {
            addOwnEndpoint(response, params.listenerName());
        }
        return response;
    }

    private static boolean sameTopic(FetchableTopicResponse topic, FetchKey key) {
        return key.usesTopicId() ? topic.topicId().equals(key.topicId()) : Objects.equals(topic.topic(), key.topic());
    }

    private static boolean isStaleLeaderError(short code) {
        return code == Errors.FENCED_LEADER_EPOCH.code() || code == Errors.NOT_LEADER_OR_FOLLOWER.code();
    }

    private void addOwnEndpoint(FetchResponseData response, String listenerName) {
        for (BrokerNode broker : cluster.aliveBrokers()) {
            Endpoint endpoint = broker.id() == nodeId ? broker.endpoint(listenerName) : null;
            if (endpoint != null) {
                response.nodeEndpoints().add(new NodeEndpoint()
                        .setNodeId(nodeId)
                        .setHost(endpoint.host())
                        .setPort(endpoint.port())
                        .setRack(broker.rack()));
            }
        }
    }
}
