package io.fjord.server;

import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.TopicRegistry;
import io.fjord.network.Endpoint;
import java.util.List;
import java.util.function.Supplier;

/**
 * The cluster as a node knows it before cluster metadata exists: itself alone. The broker list is
 * published once the listeners are bound, because the advertised ports are known only then.
 */
final class LocalCluster implements ClusterView {
    private final String clusterId;
    private final int nodeId;
    private final boolean broker;
    private final Supplier<? extends TopicRegistry> topics;
    private volatile List<BrokerNode> aliveBrokers = List.of();

    LocalCluster(String clusterId, int nodeId, boolean broker, TopicRegistry topics) {
        this(clusterId, nodeId, broker, () -> topics);
    }

    /** @param topics the current topics, asked afresh by every request (the latest metadata image) */
    LocalCluster(String clusterId, int nodeId, boolean broker, Supplier<? extends TopicRegistry> topics) {
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.broker = broker;
        this.topics = topics;
    }

    void publish(List<Endpoint> advertised) {
        aliveBrokers = broker ? List.of(new BrokerNode(nodeId, null, advertised, false)) : List.of();
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public List<BrokerNode> aliveBrokers() {
        return aliveBrokers;
    }

    @Override
    public int controllerId() {
        // With one node, the node itself is both the controller and the broker clients should use as one.
        return nodeId;
    }

    @Override
    public TopicRegistry topics() {
        return topics.get();
    }
}
