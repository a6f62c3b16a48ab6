package io.fjord.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The topic-level settings one partition log obeys, under Kafka's own names and with Kafka's defaults.
 * Keys this class does not know are ignored, so a full topic config can be passed in unfiltered.
 *
 * @param segmentBytes       {@code segment.bytes}: a segment is rolled before it would grow past this
 * @param segmentMs          {@code segment.ms}: a non-empty segment older than this is rolled on the next append
 * @param segmentIndexBytes  {@code segment.index.bytes}: preallocated size of each index; a full index rolls
 * @param indexIntervalBytes {@code index.interval.bytes}: bytes of batches between two offset index entries
 * @param flushMessages      {@code flush.messages}: fsync once this many messages are unflushed
 * @param flushMs            {@code flush.ms}: fsync data that has been unflushed this long
 * @param groupCommit        {@code fjord.flush.group.commit}: every append asks the flusher thread for an
 *                           fsync, which covers all appends made since its previous pass (not a Kafka key)
 * @param retentionMs        {@code retention.ms}: closed segments whose newest timestamp is older go; -1 keeps all
 * @param retentionBytes     {@code retention.bytes}: oldest closed segments go while the log is larger; -1 keeps all
 * @param fileDeleteDelayMs  {@code file.delete.delay.ms}: accepted for compatibility but not applied: a removed
 *                           segment's files go when the last reader releases it (reference counting), which is
 *                           what Kafka approximates with this delay
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        long flushMessages,
        long flushMs,
        boolean groupCommit,
        long retentionMs,
        long retentionBytes,
        long fileDeleteDelayMs) {

    public static final String SEGMENT_BYTES_CONFIG = "segment.bytes";
    public static final String SEGMENT_MS_CONFIG = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES_CONFIG = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES_CONFIG = "index.interval.bytes";
    public static final String FLUSH_MESSAGES_CONFIG = "flush.messages";
    public static final String FLUSH_MS_CONFIG = "flush.ms";
    public static final String GROUP_COMMIT_CONFIG = "fjord.flush.group.commit";
    public static final String RETENTION_MS_CONFIG = "retention.ms";
    public static final String RETENTION_BYTES_CONFIG = "retention.bytes";
    public static final String FILE_DELETE_DELAY_MS_CONFIG = "file.delete.delay.ms";

    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final long DEFAULT_FLUSH_MESSAGES = Long.MAX_VALUE;
    public static final long DEFAULT_FLUSH_MS = Long.MAX_VALUE;
    public static final boolean DEFAULT_GROUP_COMMIT = false;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RETENTION_BYTES = -1L;
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000L;

    /** Kafka's lower bound: anything smaller could not hold a single batch header. */
    static final int MIN_SEGMENT_BYTES = 14;
    static final int MIN_SEGMENT_INDEX_BYTES = 4;

    public LogConfig {
        require(segmentBytes >= MIN_SEGMENT_BYTES, SEGMENT_BYTES_CONFIG, segmentBytes, ">= " + MIN_SEGMENT_BYTES);
        require(segmentMs >= 1, SEGMENT_MS_CONFIG, segmentMs, ">= 1");
        require(segmentIndexBytes >= MIN_SEGMENT_INDEX_BYTES, SEGMENT_INDEX_BYTES_CONFIG, segmentIndexBytes,
                ">= " + MIN_SEGMENT_INDEX_BYTES);
        require(indexIntervalBytes >= 0, INDEX_INTERVAL_BYTES_CONFIG, indexIntervalBytes, ">= 0");
        require(flushMessages >= 1, FLUSH_MESSAGES_CONFIG, flushMessages, ">= 1");
        require(flushMs >= 0, FLUSH_MS_CONFIG, flushMs, ">= 0");
        require(retentionMs >= -1, RETENTION_MS_CONFIG, retentionMs, ">= -1");
        require(fileDeleteDelayMs >= 0, FILE_DELETE_DELAY_MS_CONFIG, fileDeleteDelayMs, ">= 0");
    }

    public static LogConfig defaults() {
        return new LogConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_SEGMENT_MS, DEFAULT_SEGMENT_INDEX_BYTES,
                DEFAULT_INDEX_INTERVAL_BYTES, DEFAULT_FLUSH_MESSAGES, DEFAULT_FLUSH_MS, DEFAULT_GROUP_COMMIT,
                DEFAULT_RETENTION_MS, DEFAULT_RETENTION_BYTES, DEFAULT_FILE_DELETE_DELAY_MS);
    }

    /** Reads the keys above from {@code props} (values as strings or numbers); missing keys take the defaults. */
    public static LogConfig fromMap(Map<String, ?> props) {
        return new LogConfig(
                (int) number(props, SEGMENT_BYTES_CONFIG, DEFAULT_SEGMENT_BYTES, Integer.MAX_VALUE),
                number(props, SEGMENT_MS_CONFIG, DEFAULT_SEGMENT_MS, Long.MAX_VALUE),
                (int) number(props, SEGMENT_INDEX_BYTES_CONFIG, DEFAULT_SEGMENT_INDEX_BYTES, Integer.MAX_VALUE),
                (int) number(props, INDEX_INTERVAL_BYTES_CONFIG, DEFAULT_INDEX_INTERVAL_BYTES, Integer.MAX_VALUE),
                number(props, FLUSH_MESSAGES_CONFIG, DEFAULT_FLUSH_MESSAGES, Long.MAX_VALUE),
                number(props, FLUSH_MS_CONFIG, DEFAULT_FLUSH_MS, Long.MAX_VALUE),
                bool(props, GROUP_COMMIT_CONFIG, DEFAULT_GROUP_COMMIT),
                number(props, RETENTION_MS_CONFIG, DEFAULT_RETENTION_MS, Long.MAX_VALUE),
                number(props, RETENTION_BYTES_CONFIG, DEFAULT_RETENTION_BYTES, Long.MAX_VALUE),
                number(props, FILE_DELETE_DELAY_MS_CONFIG, DEFAULT_FILE_DELETE_DELAY_MS, Long.MAX_VALUE));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(SEGMENT_BYTES_CONFIG, segmentBytes);
        map.put(SEGMENT_MS_CONFIG, segmentMs);
        map.put(SEGMENT_INDEX_BYTES_CONFIG, segmentIndexBytes);
        map.put(INDEX_INTERVAL_BYTES_CONFIG, indexIntervalBytes);
        map.put(FLUSH_MESSAGES_CONFIG, flushMessages);
        map.put(FLUSH_MS_CONFIG, flushMs);
        map.put(GROUP_COMMIT_CONFIG, groupCommit);
        map.put(RETENTION_MS_CONFIG, retentionMs);
        map.put(RETENTION_BYTES_CONFIG, retentionBytes);
        map.put(FILE_DELETE_DELAY_MS_CONFIG, fileDeleteDelayMs);
        return map;
    }

    /** This config with one key changed, e.g. {@code with("segment.bytes", 1 << 20)}. */
    public LogConfig with(String key, Object value) {
        Map<String, Object> map = toMap();
        if (!map.containsKey(key)) {
            throw new IllegalArgumentException("unknown log config " + key);
        }
        map.put(key, value);
        return fromMap(map);
    }

    private static long number(Map<String, ?> props, String key, long defaultValue, long max) {
        Object value = props.get(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value " + value + " for " + key + ": not a number");
        }
        if (parsed > max) {
            throw new IllegalArgumentException("invalid value " + value + " for " + key + ": must be <= " + max);
        }
        return parsed;
    }

    private static boolean bool(Map<String, ?> props, String key, boolean defaultValue) {
        Object value = props.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("invalid value " + value + " for " + key + ": not true or false");
    }

    private static void require(boolean ok, String key, long value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("invalid value " + value + " for " + key + ": must be " + rule);
        }
    }
}
