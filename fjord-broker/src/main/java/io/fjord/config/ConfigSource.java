package io.fjord.config;

/**
 * Where a config's value comes from, with the ids DescribeConfigs reports. The order of the
 * constants after UNKNOWN is also the order of precedence for a topic: its own override, then
 * this broker's dynamic value, then the cluster-wide dynamic default, then server.properties, then
 * the built-in default.
 */
public enum ConfigSource {
    UNKNOWN(0),
    DYNAMIC_TOPIC_CONFIG(1),
    DYNAMIC_BROKER_CONFIG(2),
    DYNAMIC_DEFAULT_BROKER_CONFIG(3),
    STATIC_BROKER_CONFIG(4),
    DEFAULT_CONFIG(5);

    public final byte id;

    ConfigSource(int id) {
        this.id = (byte) id;
    }
}
