package io.fjord.group;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker settings of {@code __consumer_offsets}, with Kafka's names and defaults, plus Fjord's
 * snapshot threshold.
 *
 * @param numPartitions          {@code offsets.topic.num.partitions} (50)
 * @param replicationFactor      {@code offsets.topic.replication.factor} (3; fewer live brokers: as many as exist)
 * @param segmentBytes           {@code offsets.topic.segment.bytes} (104857600)
 * @param retentionMs            {@code offsets.retention.minutes} (10080, 7 days) in ms
 * @param retentionCheckIntervalMs {@code offsets.retention.check.interval.ms} (600000)
 * @param snapshotBytes          {@code fjord.offsets.topic.snapshot.bytes}: how far a partition's log may grow past
 *                               its last snapshot before the next one (default: the segment size)
 * @param commitTimeoutMs        {@code offsets.commit.timeout.ms} (5000): how long a coordinator write waits for
 *                               the partition's ISR before it is answered COORDINATOR_NOT_AVAILABLE
 */
public record OffsetsTopicConfig(int numPartitions, short replicationFactor, int segmentBytes, long retentionMs,
        long retentionCheckIntervalMs, long snapshotBytes, long commitTimeoutMs) {
    public static final String NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String REPLICATION_FACTOR = "offsets.topic.replication.factor";
    public static final String SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String SNAPSHOT_BYTES = "fjord.offsets.topic.snapshot.bytes";
    public static final String COMMIT_TIMEOUT_MS = "offsets.commit.timeout.ms";

    /** Every key with its default ("" where it follows another key). */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(NUM_PARTITIONS, "50");
        d.put(REPLICATION_FACTOR, "3");
        d.put(SEGMENT_BYTES, "104857600");
        d.put(RETENTION_MINUTES, "10080");
        d.put(RETENTION_CHECK_INTERVAL_MS, "600000");
        d.put(SNAPSHOT_BYTES, "");
        d.put(COMMIT_TIMEOUT_MS, "5000");
        return d;
    }

    /** @throws IllegalArgumentException naming the key of a bad value */
    public static OffsetsTopicConfig from(Map<String, String> values) {
        int partitions = (int) number(values, NUM_PARTITIONS, 1, Integer.MAX_VALUE);
        short rf = (short) number(values, REPLICATION_FACTOR, 1, Short.MAX_VALUE);
        int segment = (int) number(values, SEGMENT_BYTES, 1, Integer.MAX_VALUE);
        long minutes = number(values, RETENTION_MINUTES, 1, Integer.MAX_VALUE);
        long check = number(values, RETENTION_CHECK_INTERVAL_MS, 1, Long.MAX_VALUE);
        String snap = values.getOrDefault(SNAPSHOT_BYTES, "").trim();
        long snapshot = snap.isEmpty() ? segment : number(values, SNAPSHOT_BYTES, 1, Long.MAX_VALUE);
        long commitTimeout = number(values, COMMIT_TIMEOUT_MS, 1, Integer.MAX_VALUE);
        return new OffsetsTopicConfig(partitions, rf, segment, minutes * 60_000L, check, snapshot, commitTimeout);
    }

    public static OffsetsTopicConfig defaultConfig() {
        return from(Map.of());
    }

    private static long number(Map<String, String> values, String key, long min, long max) {
        String raw = values.getOrDefault(key, defaults().get(key)).trim();
        long v;
        try {
            v = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value '" + raw + "' for configuration " + key + ": not a number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("Invalid value " + v + " for configuration " + key + ": must be in ["
                    + min + ", " + max + "]");
        }
        return v;
    }
}
