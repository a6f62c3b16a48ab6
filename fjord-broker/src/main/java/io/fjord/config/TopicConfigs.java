package io.fjord.config;

import static io.fjord.config.ConfigValidator.ANY;
import static io.fjord.config.ConfigValidator.atLeast;
import static io.fjord.config.ConfigValidator.eachOf;
import static io.fjord.config.ConfigValidator.oneOf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The topic-level configs a topic can override, with Kafka's names, types, defaults and ranges, and
 * for each the broker configs that supply its value when the topic does not (Kafka's synonyms: a
 * broker sets {@code log.retention.hours}, a topic sees {@code retention.ms}).
 */
public final class TopicConfigs {
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    /** Fjord's own: acknowledge produces only once fsynced, sharing fsyncs among concurrent appends. */
    public static final String FLUSH_GROUP_COMMIT = "fjord.flush.group.commit";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    public static final String CLEANUP_POLICY_DELETE = "delete";
    public static final String CLEANUP_POLICY_COMPACT = "compact";
    /** Kafka's broker-side compression names: "uncompressed" (not "none"), and "producer" keeps the producer's codec. */
    public static final String[] COMPRESSION_TYPES = {"uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"};
    public static final String[] TIMESTAMP_TYPES = {"CreateTime", "LogAppendTime"};

    private static final long HOUR_MS = 3_600_000L;
    private static final long MINUTE_MS = 60_000L;

    /**
     * A broker config standing in for a topic config; its value times {@code multiplier} is the topic
     * value (hours become milliseconds).
     */
    public record Synonym(String name, long multiplier) {
        static Synonym same(String name) {
            return new Synonym(name, 1);
        }
    }

    /** A topic config and its broker synonyms, highest precedence first. */
    public record Def(ConfigKey key, List<Synonym> synonyms) {
        public Def {
            synonyms = List.copyOf(synonyms);
        }
    }

    private static final Map<String, Def> DEFS;

    static {
        Map<String, Def> d = new TreeMap<>();
        put(d, key(CLEANUP_POLICY, ConfigType.LIST, "delete", eachOf(CLEANUP_POLICY_DELETE, CLEANUP_POLICY_COMPACT),
                "What happens to old segments: 'delete' removes them by retention.ms and retention.bytes, "
                        + "'compact' keeps the latest record of every key; both may be given."),
                Synonym.same("log.cleanup.policy"));
        put(d, key(COMPRESSION_TYPE, ConfigType.STRING, "producer", oneOf(COMPRESSION_TYPES),
                "The codec batches are stored with. 'producer' keeps whatever the producer used; any other value "
                        + "recompresses batches that arrive in another codec."),
                Synonym.same("compression.type"));
        put(d, key(FILE_DELETE_DELAY_MS, ConfigType.LONG, "60000", atLeast(0),
                "How long a deleted segment's files stay on disk before they are removed."),
                Synonym.same("log.segment.delete.delay.ms"));
        put(d, key(FLUSH_MESSAGES, ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(1),
                "Force an fsync once this many messages have been appended since the last one."),
                Synonym.same("log.flush.interval.messages"));
        put(d, key(FLUSH_MS, ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(0),
                "Force an fsync of data that has been unflushed for this many milliseconds."),
                Synonym.same("log.flush.interval.ms"), Synonym.same("log.flush.scheduler.interval.ms"));
        put(d, key(FLUSH_GROUP_COMMIT, ConfigType.BOOLEAN, "false", ANY,
                "Fjord only. When true, a produce with acks=1 or acks=all is answered only after its batch is "
                        + "fsynced; appends that arrive while an fsync runs share the next one (group commit)."),
                Synonym.same(FLUSH_GROUP_COMMIT));
        put(d, key(INDEX_INTERVAL_BYTES, ConfigType.INT, "4096", atLeast(0),
                "How many bytes of batches lie between two entries of the offset index."),
                Synonym.same("log.index.interval.bytes"));
        put(d, key(MAX_MESSAGE_BYTES, ConfigType.INT, "1048588", atLeast(0),
                "The largest record batch, after compression, that this topic accepts."),
                Synonym.same("message.max.bytes"));
        put(d, key(MESSAGE_TIMESTAMP_TYPE, ConfigType.STRING, "CreateTime", oneOf(TIMESTAMP_TYPES),
                "Whether record timestamps are the producer's (CreateTime) or the broker's append time (LogAppendTime)."),
                Synonym.same("log.message.timestamp.type"));
        put(d, key(MIN_INSYNC_REPLICAS, ConfigType.INT, "1", atLeast(1),
                "The fewest in-sync replicas with which a produce with acks=all succeeds."),
                Synonym.same("min.insync.replicas"));
        put(d, key(RETENTION_BYTES, ConfigType.LONG, "-1", ANY,
                "The largest a partition may grow before its oldest segments are deleted; -1 for no limit."),
                Synonym.same("log.retention.bytes"));
        put(d, key(RETENTION_MS, ConfigType.LONG, Long.toString(168 * HOUR_MS), atLeast(-1),
                "How long a segment is kept after its newest record; -1 for no limit."),
                Synonym.same("log.retention.ms"), new Synonym("log.retention.minutes", MINUTE_MS),
                new Synonym("log.retention.hours", HOUR_MS));
        put(d, key(SEGMENT_BYTES, ConfigType.INT, Integer.toString(1 << 30), atLeast(14),
                "The size at which a new segment file is started."),
                Synonym.same("log.segment.bytes"));
        put(d, key(SEGMENT_INDEX_BYTES, ConfigType.INT, Integer.toString(10 * 1024 * 1024), atLeast(4),
                "The size preallocated for each segment's offset and time indexes."),
                Synonym.same("log.index.size.max.bytes"));
        put(d, key(SEGMENT_MS, ConfigType.LONG, Long.toString(168 * HOUR_MS), atLeast(1),
                "The age after which a non-empty segment is rolled even if it is not full."),
                Synonym.same("log.roll.ms"), new Synonym("log.roll.hours", HOUR_MS));
        put(d, key(UNCLEAN_LEADER_ELECTION_ENABLE, ConfigType.BOOLEAN, "false", ANY,
                "Whether a partition left with no live in-sync replica may elect a live replica that is not in sync, "
                        + "accepting that records only the lost replicas had are gone."),
                Synonym.same(UNCLEAN_LEADER_ELECTION_ENABLE));
        DEFS = Collections.unmodifiableMap(d);
    }

    private TopicConfigs() {
    }

    private static ConfigKey key(String name, ConfigType type, String defaultValue, ConfigValidator validator, String doc) {
        return new ConfigKey(name, type, defaultValue, validator, doc);
    }

    private static void put(Map<String, Def> defs, ConfigKey key, Synonym... synonyms) {
        defs.put(key.name(), new Def(key, List.of(synonyms)));
    }

    /** Every topic config, by name in alphabetical order. */
    public static Map<String, Def> all() {
        return DEFS;
    }

    /** The definition of {@code name}, or null when topics have no such config. */
    public static Def get(String name) {
        return DEFS.get(name);
    }

    /** The key of {@code name}, or null when topics have no such config. */
    public static ConfigKey keyOf(String name) {
        Def def = DEFS.get(name);
        return def == null ? null : def.key();
    }

    /**
     * Checks a topic's complete set of overrides: every name must be a topic config and every value
     * valid. Returns the overrides in canonical form.
     *
     * @throws InvalidConfigException naming the first bad key and value
     */
    public static Map<String, String> validate(Map<String, String> overrides) {
        Map<String, String> canonical = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            Def def = DEFS.get(e.getKey());
            if (def == null) {
                throw new InvalidConfigException("Unknown topic config name: " + e.getKey());
            }
            if (e.getValue() == null) {
                throw new InvalidConfigException("Null value not supported for topic configs: " + e.getKey());
            }
            canonical.put(e.getKey(), def.key().canonical(e.getValue()));
        }
        return canonical;
    }
}
