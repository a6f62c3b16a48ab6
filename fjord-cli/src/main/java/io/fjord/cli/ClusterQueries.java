package io.fjord.cli;

import io.fjord.cli.ClusterSnapshot.Broker;
import io.fjord.cli.ClusterSnapshot.PartitionState;
import io.fjord.cli.ClusterSnapshot.Quorum;
import io.fjord.cli.ClusterSnapshot.Replica;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeClusterRequestData;
import io.fjord.protocol.message.DescribeClusterResponseData;
import io.fjord.protocol.message.DescribeQuorumRequestData;
import io.fjord.protocol.message.DescribeQuorumResponseData;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks one node the questions behind {@code fjord cluster}: Metadata (every topic), DescribeCluster
 * (fenced brokers too where the version has IncludeFencedBrokers) and DescribeQuorum for
 * {@code __cluster_metadata-0}, the partition Kafka's KRaft quorum answers for.
 */
final class ClusterQueries {
    static final String METADATA_TOPIC = "__cluster_metadata";
    /** Metadata v1 is the first where a null topic list means "every topic". */
    private static final short METADATA_MIN_VERSION = 1;
    /** DescribeCluster v2 added IncludeFencedBrokers. */
    private static final short DESCRIBE_CLUSTER_FENCED_VERSION = 2;
    /** DescribeCluster v1 added EndpointType; brokers (1) are what a broker listener answers for. */
    private static final byte BROKER_ENDPOINTS = 1;
    /** DescribeQuorum v2 added the voters' listeners. */
    private static final short DESCRIBE_QUORUM_NODES_VERSION = 2;

    private ClusterQueries() {
    }

    /**
     * Everything the node knows about the cluster.
     *
     * @throws CommandFailure when Metadata or DescribeCluster fails: without them there is nothing to show
     * @throws IOException    when the connection fails
     */
    static ClusterSnapshot snapshot(KafkaConnection connection) throws IOException {
        MetadataResponseData metadata = metadata(connection);
        List<PartitionState> partitions = new ArrayList<>();
        for (MetadataResponseData.MetadataResponseTopic topic : metadata.topics()) {
            for (MetadataResponseData.MetadataResponsePartition p : topic.partitions()) {
                partitions.add(new PartitionState(topic.name(), p.partitionIndex(), p.leaderId(),
                        List.copyOf(p.replicaNodes()), List.copyOf(p.isrNodes())));
            }
        }

        String clusterId = metadata.clusterId();
        List<Broker> brokers = new ArrayList<>();
        boolean fencingKnown = false;
        short describeVersion = connection.version(ApiKey.DESCRIBE_CLUSTER, (short) 0);
        if (describeVersion >= 0) {
            DescribeClusterRequestData request = new DescribeClusterRequestData();
            if (describeVersion >= 1) {
                request.setEndpointType(BROKER_ENDPOINTS);
            }
            if (describeVersion >= DESCRIBE_CLUSTER_FENCED_VERSION) {
                request.setIncludeFencedBrokers(true);
                fencingKnown = true;
            }
            DescribeClusterResponseData cluster = connection.send(ApiKey.DESCRIBE_CLUSTER, describeVersion, request);
            if (cluster.errorCode() != Errors.NONE.code()) {
                throw new CommandFailure(connection.address() + " answered DescribeCluster with "
                        + KafkaConnection.errorName(cluster.errorCode()) + messageSuffix(cluster.errorMessage()));
            }
            clusterId = cluster.clusterId();
            for (DescribeClusterResponseData.DescribeClusterBroker b : cluster.brokers()) {
                brokers.add(new Broker(b.brokerId(), b.host(), b.port(), b.rack(), b.isFenced()));
            }
        } else {
            // A node without DescribeCluster (older than Kafka 2.8's protocol): Metadata lists the live brokers.
            for (MetadataResponseData.MetadataResponseBroker b : metadata.brokers()) {
                brokers.add(new Broker(b.nodeId(), b.host(), b.port(), b.rack(), false));
            }
        }

        Map<Integer, String> controllerEndpoints = new HashMap<>();
        Quorum quorum = null;
        String quorumError;
        try {
            quorum = quorum(connection, controllerEndpoints);
            quorumError = null;
        } catch (QuorumUnavailable | IOException e) {
            // The rest of the report stands on its own; the quorum part says why it is missing.
            quorumError = e.getMessage();
        }
        return new ClusterSnapshot(clusterId, brokers, fencingKnown, metadata.controllerId(), quorum, quorumError,
                controllerEndpoints, partitions);
    }

    private static MetadataResponseData metadata(KafkaConnection connection) throws IOException {
        short version = connection.version(ApiKey.METADATA, METADATA_MIN_VERSION);
        if (version < 0) {
            throw new CommandFailure(connection.address() + " does not offer a Metadata version this tool can use");
        }
        MetadataRequestData request = new MetadataRequestData().setTopics(null);
        // Looking must not create anything (v4+ has the flag; before it, a null list never creates).
        if (version >= 4) {
            request.setAllowAutoTopicCreation(false);
        }
        return connection.send(ApiKey.METADATA, version, request);
    }

    /** Why the quorum part of the report is missing: shown, not fatal. */
    private static final class QuorumUnavailable extends Exception {
        QuorumUnavailable(String message) {
            super(message, null, false, false);
        }
    }

    private static Quorum quorum(KafkaConnection connection, Map<Integer, String> endpoints) throws IOException,
            QuorumUnavailable {
        short version = connection.version(ApiKey.DESCRIBE_QUORUM, (short) 0);
        if (version < 0) {
            // Asking anyway would only make the node hang up on us.
            throw new QuorumUnavailable("DescribeQuorum is not supported by " + connection.address());
        }
        DescribeQuorumRequestData request = new DescribeQuorumRequestData().setTopics(List.of(
                new DescribeQuorumRequestData.TopicData().setTopicName(METADATA_TOPIC).setPartitions(List.of(
                        new DescribeQuorumRequestData.PartitionData().setPartitionIndex(0)))));
        DescribeQuorumResponseData response = connection.send(ApiKey.DESCRIBE_QUORUM, version, request);
        if (response.errorCode() != Errors.NONE.code()) {
            throw new QuorumUnavailable(KafkaConnection.errorName(response.errorCode()) + messageSuffix(response.errorMessage()));
        }
        for (DescribeQuorumResponseData.TopicData topic : response.topics()) {
            for (DescribeQuorumResponseData.PartitionData p : topic.partitions()) {
                if (!topic.topicName().equals(METADATA_TOPIC) || p.partitionIndex() != 0) {
                    continue;
                }
                if (p.errorCode() != Errors.NONE.code()) {
                    throw new QuorumUnavailable(KafkaConnection.errorName(p.errorCode()) + messageSuffix(p.errorMessage()));
                }
                if (version >= DESCRIBE_QUORUM_NODES_VERSION) {
                    for (DescribeQuorumResponseData.Node node : response.nodes()) {
                        if (!node.listeners().isEmpty()) {
                            DescribeQuorumResponseData.Listener listener = node.listeners().get(0);
                            endpoints.put(node.nodeId(), listener.host() + ":" + listener.port());
                        }
                    }
                }
                return new Quorum(p.leaderId(), p.leaderEpoch(), p.highWatermark(), replicas(p.currentVoters()),
                        replicas(p.observers()));
            }
        }
        throw new QuorumUnavailable("the answer did not describe " + METADATA_TOPIC + "-0");
    }

    private static List<Replica> replicas(List<DescribeQuorumResponseData.ReplicaState> states) {
        return states.stream().map(s -> new Replica(s.replicaId(), s.logEndOffset())).toList();
    }

    private static String messageSuffix(String message) {
        return message == null || message.isEmpty() ? "" : ": " + message;
    }
}
