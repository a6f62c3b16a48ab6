package io.fjord.config;

import java.util.Map;

/**
 * The dynamic broker configs in force on one broker: its own overrides (BROKER resource named by its
 * id) and the cluster-wide defaults (BROKER resource with the empty name). Values are canonical.
 */
public record BrokerLayers(Map<String, String> perBroker, Map<String, String> clusterDefault) {
    public static final BrokerLayers NONE = new BrokerLayers(Map.of(), Map.of());

    public BrokerLayers {
        perBroker = Map.copyOf(perBroker);
        clusterDefault = Map.copyOf(clusterDefault);
    }
}
