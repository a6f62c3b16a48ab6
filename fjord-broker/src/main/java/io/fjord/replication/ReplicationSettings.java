package io.fjord.replication;

import java.util.function.LongSupplier;

/**
 * What every partition of a node needs to replicate: its broker id, {@code replica.lag.time.max.ms},
 * where ISR changes go, and the clock follower progress is timed with.
 */
public record ReplicationSettings(int localBrokerId, long replicaLagTimeMaxMs, IsrChangeSender isrChanges,
        LongSupplier clock) {

    /** Kafka's replica.lag.time.max.ms default. */
    public static final long DEFAULT_REPLICA_LAG_TIME_MAX_MS = 30_000;

    /** A node alone (and tests): its partitions never have followers, so the ISR never changes. */
    public static ReplicationSettings alone(int localBrokerId) {
        return new ReplicationSettings(localBrokerId, DEFAULT_REPLICA_LAG_TIME_MAX_MS, IsrChangeSender.REFUSING,
                System::currentTimeMillis);
    }
}
