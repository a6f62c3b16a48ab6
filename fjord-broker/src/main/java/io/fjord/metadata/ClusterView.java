package io.fjord.metadata;

import java.util.List;

/** What the client-facing APIs tell about the cluster. Implementations are safe to read from any thread. */
public interface ClusterView {

    String clusterId();

    /** The brokers that are up (registered and unfenced), this one included when it has the broker role. */
    List<BrokerNode> aliveBrokers();

    /**
     * Every registered broker, fenced ones included (DescribeCluster with IncludeFencedBrokers), in id
     * order. The same as {@link #aliveBrokers()} where fencing does not exist.
     */
    default List<BrokerNode> registeredBrokers() {
        return aliveBrokers();
    }

    /** The alive broker {@code id}, or null: a leader clients can be sent to. */
    default BrokerNode aliveBroker(int id) {
        for (BrokerNode broker : aliveBrokers()) {
            if (broker.id() == id) {
                return broker;
            }
        }
        return null;
    }

    /**
     * The node id clients should treat as the controller, or -1. Like a KRaft broker, this is an
     * alive broker rather than the quorum leader: clients send admin requests there and brokers
     * pass them on to the real controller.
     */
    int controllerId();

    TopicRegistry topics();
}
