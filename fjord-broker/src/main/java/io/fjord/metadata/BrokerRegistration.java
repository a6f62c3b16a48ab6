package io.fjord.metadata;

import io.fjord.network.Endpoint;
import java.util.List;
import java.util.UUID;

/**
 * A broker as the cluster metadata records it. {@code epoch} is the metadata offset of its latest
 * registration: a broker that restarts registers again and gets a higher one, so a heartbeat or a
 * fence decision about an older incarnation can be told apart. A fenced broker leads nothing and is
 * left out of Metadata responses.
 */
public record BrokerRegistration(int id, UUID incarnationId, long epoch, String rack, List<Endpoint> endpoints,
                                 boolean fenced) {

    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }

    public BrokerRegistration withFenced(boolean nowFenced) {
        return new BrokerRegistration(id, incarnationId, epoch, rack, endpoints, nowFenced);
    }

    /** How clients see it. */
    public BrokerNode toBrokerNode() {
        return new BrokerNode(id, rack, endpoints, fenced);
    }
}
