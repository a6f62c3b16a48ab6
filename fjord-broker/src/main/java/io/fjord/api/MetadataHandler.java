package io.fjord.api;

import io.fjord.metadata.AuthorizedOperations;
import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicCreator;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicNames;
import io.fjord.metadata.TopicRegistry;
import io.fjord.network.Endpoint;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataRequestData.MetadataRequestTopic;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.message.MetadataResponseData.MetadataResponseBroker;
import io.fjord.protocol.message.MetadataResponseData.MetadataResponsePartition;
import io.fjord.protocol.message.MetadataResponseData.MetadataResponseTopic;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Metadata: the brokers, the cluster id, the controller, and the topics a client asks about. */
public final class MetadataHandler extends AbstractApiHandler {
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private final ClusterView cluster;
    private final TopicCreator topicCreator;

    public MetadataHandler(ClusterView cluster) {
        this(cluster, TopicCreator.DISABLED);
    }

    /** @param topicCreator creates unknown topics a request asks for with allow_auto_topic_creation */
    public MetadataHandler(ClusterView cluster, TopicCreator topicCreator) {
        super(ApiKey.METADATA, 0, 13);
        this.cluster = cluster;
        this.topicCreator = topicCreator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        return CompletableFuture.completedFuture(respond(context, (MetadataRequestData) body));
    }

    MetadataResponseData respond(RequestContext context, MetadataRequestData request) {
        short version = context.apiVersion();
        List<MetadataRequestTopic> requested = request.topics();
        // Before v1 there was no null list, and an empty one meant every topic.
        boolean allTopics = requested == null || (version == 0 && requested.isEmpty());
        if (!allTopics && version < 12) {
            for (MetadataRequestTopic topic : requested) {
                if (topic.name() == null || !ZERO_UUID.equals(topic.topicId())) {
                    return invalidRequest(requested);
                }
            }
        }

        TopicRegistry registry = cluster.topics();
        Leaders leaders = new Leaders(cluster.registeredBrokers(), context.listenerName(), version);
        List<MetadataResponseTopic> topics = new ArrayList<>();
        if (allTopics) {
            for (TopicInfo topic : registry.topics()) {
                topics.add(describe(topic, leaders));
            }
        } else {
            // Before v4 there was no flag, and every request allowed auto-creation.
            lookUp(requested, registry, topics, version < 4 || request.allowAutoTopicCreation(), leaders);
        }

        MetadataResponseData response = new MetadataResponseData()
                .setBrokers(brokers(context.listenerName()))
                .setClusterId(cluster.clusterId())
                .setControllerId(cluster.controllerId())
                .setTopics(topics);
        if (version >= 8) {
            if (version <= 10 && request.includeClusterAuthorizedOperations()) {
                response.setClusterAuthorizedOperations(AuthorizedOperations.ALL_CLUSTER_OPERATIONS);
            }
            if (request.includeTopicAuthorizedOperations()) {
                for (MetadataResponseTopic topic : topics) {
                    if (topic.name() != null) {
                        topic.setTopicAuthorizedOperations(AuthorizedOperations.ALL_TOPIC_OPERATIONS);
                    }
                }
            }
        }
        return response;
    }

    private void lookUp(List<MetadataRequestTopic> requested, TopicRegistry registry, List<MetadataResponseTopic> out,
                        boolean allowAutoCreation, Leaders leaders) {
        // Once a request names topics by id, Kafka ignores the names in it.
        Set<UUID> ids = new LinkedHashSet<>();
        for (MetadataRequestTopic topic : requested) {
            if (!ZERO_UUID.equals(topic.topicId())) {
                ids.add(topic.topicId());
            }
        }
        Set<String> names = new LinkedHashSet<>();
        if (ids.isEmpty()) {
            for (MetadataRequestTopic topic : requested) {
                names.add(topic.name());
            }
        } else {
            for (UUID id : ids) {
                TopicInfo topic = registry.topic(id);
                if (topic == null) {
                    out.add(new MetadataResponseTopic()
                            .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                            .setName(null)
                            .setTopicId(id));
                } else {
                    names.add(topic.name());
                }
            }
        }
        for (String name : names) {
            TopicInfo topic = name == null ? null : registry.topic(name);
            if (topic != null) {
                out.add(describe(topic, leaders));
            } else {
                // Names only: a topic asked for by id must exist already. A topic being created is not
                // there yet; LEADER_NOT_AVAILABLE makes every client ask again shortly.
                boolean creating = allowAutoCreation && ids.isEmpty() && name != null && topicCreator.autoCreate(name);
                Errors error = creating ? Errors.LEADER_NOT_AVAILABLE
                        : TopicNames.isValid(name) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.INVALID_TOPIC_EXCEPTION;
                out.add(new MetadataResponseTopic()
                        .setErrorCode(error.code())
                        .setName(name)
                        .setTopicId(ZERO_UUID)
                        .setIsInternal(name != null && TopicNames.isInternal(name)));
            }
        }
    }

    private List<MetadataResponseBroker> brokers(String listenerName) {
        List<BrokerNode> alive = cluster.aliveBrokers();
        List<MetadataResponseBroker> brokers = new ArrayList<>(alive.size());
        for (BrokerNode broker : alive) {
            // A client only gets addresses on the listener it came in through, the network it can reach.
            Endpoint endpoint = broker.endpoint(listenerName);
            if (endpoint != null) {
                brokers.add(new MetadataResponseBroker()
                        .setNodeId(broker.id())
                        .setHost(endpoint.host())
                        .setPort(endpoint.port())
                        .setRack(broker.rack()));
            }
        }
        return brokers;
    }

    /**
     * Kafka's (KRaftMetadataCache) answer for a partition's leader: one clients cannot reach on their
     * listener is given as -1, with LEADER_NOT_AVAILABLE when it is not a registered broker (or there is
     * none) and from v6 LISTENER_NOT_FOUND when it is registered without an endpoint on that listener.
     */
    private record Leaders(List<BrokerNode> registered, String listenerName, short version) {
        Errors error(int leaderId) {
            if (leaderId < 0) {
                return Errors.LEADER_NOT_AVAILABLE;
            }
            for (BrokerNode broker : registered) {
                if (broker.id() == leaderId) {
                    if (broker.endpoint(listenerName) != null) {
                        return Errors.NONE;
                    }
                    return version >= 6 ? Errors.LISTENER_NOT_FOUND : Errors.LEADER_NOT_AVAILABLE;
                }
            }
            return Errors.LEADER_NOT_AVAILABLE;
        }
    }

    private static MetadataResponseTopic describe(TopicInfo topic, Leaders leaders) {
        List<MetadataResponsePartition> partitions = new ArrayList<>(topic.partitions().size());
        for (PartitionInfo p : topic.partitions()) {
            Errors error = leaders.error(p.leaderId());
            partitions.add(new MetadataResponsePartition()
                    .setErrorCode(error.code())
                    .setPartitionIndex(p.partition())
                    .setLeaderId(error == Errors.NONE ? p.leaderId() : -1)
                    .setLeaderEpoch(p.leaderEpoch())
                    .setReplicaNodes(new ArrayList<>(p.replicas()))
                    .setIsrNodes(new ArrayList<>(p.isr()))
                    .setOfflineReplicas(new ArrayList<>(p.offlineReplicas())));
        }
        return new MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(topic.name())
                .setTopicId(topic.topicId())
                .setIsInternal(topic.internal())
                .setPartitions(partitions);
    }

    /** Kafka's answer to topic ids or null names before v12: every requested topic fails alike. */
    private static MetadataResponseData invalidRequest(List<MetadataRequestTopic> requested) {
        List<MetadataResponseTopic> topics = new ArrayList<>(requested.size());
        for (MetadataRequestTopic topic : requested) {
            topics.add(new MetadataResponseTopic()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setName(topic.name() == null ? "" : topic.name())
                    .setTopicId(topic.topicId()));
        }
        return new MetadataResponseData().setTopics(topics);
    }
}
