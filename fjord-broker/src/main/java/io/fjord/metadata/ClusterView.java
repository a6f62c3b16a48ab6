package io.fjord.metadata;

import java.util.List;

/** What the client-facing APIs tell about the cluster. Implementations are safe to read from any thread. */
public interface ClusterView {

    String clusterId();

    /** The brokers that are up, this one included when it has the broker role. */
    List<BrokerNode> aliveBrokers();

    /**
     * The node id clients should treat as the controller, or -1. Like a KRaft broker, this is an
     * alive broker rather than the quorum leader: clients send admin requests there and brokers
     * pass them on to the real controller.
     */
    int controllerId();

    TopicRegistry topics();
}
