package io.fjord.group;

/**
 * Broker settings for classic groups, with Kafka's names and defaults: {@code group.min.session.timeout.ms}
 * (6000), {@code group.max.session.timeout.ms} (1800000), {@code group.initial.rebalance.delay.ms}
 * (3000), {@code group.max.size} (unbounded).
 */
public record GroupSettings(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs, int maxSize) {

    public static GroupSettings defaults() {
        return new GroupSettings(6000, 1_800_000, 3000, Integer.MAX_VALUE);
    }
}
