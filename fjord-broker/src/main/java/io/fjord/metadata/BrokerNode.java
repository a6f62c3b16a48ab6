package io.fjord.metadata;

import io.fjord.network.Endpoint;
import java.util.List;

/** A broker as clients see it: its id, rack and the endpoints it advertises, one per listener. */
public record BrokerNode(int id, String rack, List<Endpoint> endpoints, boolean fenced) {

    public BrokerNode {
        endpoints = List.copyOf(endpoints);
    }

    /** The endpoint this broker advertises on {@code listenerName}, or null if it has none there. */
    public Endpoint endpoint(String listenerName) {
        for (Endpoint endpoint : endpoints) {
            if (endpoint.listenerName().equals(listenerName)) {
                return endpoint;
            }
        }
        return null;
    }
}
