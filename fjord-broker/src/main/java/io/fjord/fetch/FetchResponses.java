package io.fjord.fetch;

import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.CurrentLeader;
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
 * refused because the client's idea of the leader is stale (FENCED_LEADER_EPOCH, NOT_LEADER_OR_FOLLOWER)
 * carries the current leader from the metadata image, and the response that leader's endpoint (KIP-951),
 * saving the client a metadata round trip.
 */
final class FetchResponses {
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private final ClusterView cluster;

    FetchResponses(ClusterView cluster) {
        this.cluster = cluster;
    }

    FetchResponseData build(FetchContext.FetchAnswer answer, FetchParams params) {
        FetchResponseData response = new FetchResponseData()
                .setErrorCode(answer.error().code())
                .setSessionId(answer.sessionId());
        List<FetchableTopicResponse> topics = new ArrayList<>();
        FetchableTopicResponse current = null;
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
            if (params.version() >= 16 && isStaleLeaderError(data.errorCode())) {
                CurrentLeader leader = CurrentLeader.of(cluster, key.topic(), key.topicId(), key.partition());
                data.currentLeader().setLeaderId(leader.leaderId()).setLeaderEpoch(leader.leaderEpoch());
                addEndpoint(response, leader.node(), params.listenerName());
            }
            current.partitions().add(data);
        }
        response.setResponses(topics);
        return response;
    }

    private static boolean sameTopic(FetchableTopicResponse topic, FetchKey key) {
        return key.usesTopicId() ? topic.topicId().equals(key.topicId()) : Objects.equals(topic.topic(), key.topic());
    }

    private static boolean isStaleLeaderError(short code) {
        return code == Errors.FENCED_LEADER_EPOCH.code() || code == Errors.NOT_LEADER_OR_FOLLOWER.code();
    }

    /** The leader's endpoint on the request's listener, once per response; none when it is not reachable there. */
    private static void addEndpoint(FetchResponseData response, BrokerNode leader, String listenerName) {
        Endpoint endpoint = leader == null ? null : leader.endpoint(listenerName);
        if (endpoint == null) {
            return;
        }
        for (NodeEndpoint known : response.nodeEndpoints()) {
            if (known.nodeId() == leader.id()) {
                return;
            }
        }
        response.nodeEndpoints().add(new NodeEndpoint()
                .setNodeId(leader.id())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(leader.rack()));
    }
}
