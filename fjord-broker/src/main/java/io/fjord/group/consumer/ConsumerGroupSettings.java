package io.fjord.group.consumer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Broker settings of KIP-848 consumer groups, with Kafka's names and defaults:
 * {@code group.consumer.heartbeat.interval.ms} (5000), {@code group.consumer.session.timeout.ms}
 * (45000), {@code group.consumer.assignors} ("uniform,range"; the first is the default) and
 * {@code group.consumer.max.size} (unbounded).
 */
public record ConsumerGroupSettings(int heartbeatIntervalMs, int sessionTimeoutMs, List<String> assignorNames, int maxSize) {
    public static final String HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String ASSIGNORS = "group.consumer.assignors";
    public static final String MAX_SIZE = "group.consumer.max.size";

    public ConsumerGroupSettings {
        assignorNames = List.copyOf(assignorNames);
        if (assignorNames.isEmpty()) {
            throw new IllegalArgumentException(ASSIGNORS + " must name at least one assignor");
        }
        for (String name : assignorNames) {
            if (!KNOWN.containsKey(name)) {
                throw new IllegalArgumentException(ASSIGNORS + ": unknown assignor " + name + " (known: uniform, range)");
            }
        }
    }

    private static final Map<String, ConsumerGroupAssignor> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put(UniformAssignor.NAME, new UniformAssignor());
        KNOWN.put(RangeAssignor.NAME, new RangeAssignor());
    }

    public static ConsumerGroupSettings defaults() {
        return new ConsumerGroupSettings(5000, 45000, List.of(UniformAssignor.NAME, RangeAssignor.NAME), Integer.MAX_VALUE);
    }

    /** The configured assignor named {@code name}, or null. */
    public ConsumerGroupAssignor assignor(String name) {
        return assignorNames.contains(name) ? KNOWN.get(name) : null;
    }

    public ConsumerGroupAssignor defaultAssignor() {
        return KNOWN.get(assignorNames.get(0));
    }
}
