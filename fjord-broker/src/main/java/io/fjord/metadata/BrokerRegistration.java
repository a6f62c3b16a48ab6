package io.fjord.metadata;

import io.fjord.network.Endpoint;
import java.util.List;
import java.util.UUID;

/**
 * A broker as the cluster metadata records it. {@code epoch} is the metadata offset of its latest
 * registration: a broker that restarts registers again and gets a higher one, so a heartbeat or a
 * fence decision about an older incarnation can be told apart. A fenced broker leads nothing and is
 * left out of Metadata responses. A broker {@code inControlledShutdown} is stopping (it asked to, on
 * SIGTERM): it is still unfenced and serves what it has, but is never elected leader nor added to an
 * ISR again; its next registration (a restart) clears the flag.
 */
public record BrokerRegistration(int id, UUID incarnationId, long epoch, String rack, List<Endpoint> endpoints,
                                 boolean fenced, boolean inControlledShutdown) {

    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }

    /** A broker that is not shutting down. */
    public BrokerRegistration(int id, UUID incarnationId, long epoch, String rack, List<Endpoint> endpoints, boolean fenced) {
        this(id, incarnationId, epoch, rack, endpoints, fenced, false);
    }

    public BrokerRegistration withFenced(boolean nowFenced) {
        return new BrokerRegistration(id, incarnationId, epoch, rack, endpoints, nowFenced, inControlledShutdown);
    }

    public BrokerRegistration withControlledShutdown(boolean shuttingDown) {
        return new BrokerRegistration(id, incarnationId, epoch, rack, endpoints, fenced, shuttingDown);
    }

    /** Whether new leaderships, ISR memberships and replicas may go to it: unfenced and not shutting down. */
    public boolean usable() {
        return !fenced && !inControlledShutdown;
    }

    /** How clients see it. */
    public BrokerNode toBrokerNode() {
        return new BrokerNode(id, rack, endpoints, fenced);
    }
}
