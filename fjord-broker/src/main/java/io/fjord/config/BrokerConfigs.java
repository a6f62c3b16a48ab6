package io.fjord.config;

import static io.fjord.config.ConfigValidator.ANY;
import static io.fjord.config.ConfigValidator.atLeast;
import static io.fjord.config.ConfigValidator.eachOf;
import static io.fjord.config.ConfigValidator.oneOf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Broker configs beyond the node's own basics: the log defaults topics inherit (Kafka's names and
 * defaults), plus type and documentation of the keys {@code NodeConfig} defines itself, so
 * DescribeConfigs can report every broker key.
 *
 * <p>As in Kafka, only the highest-precedence synonym of each topic config ({@code log.retention.ms},
 * not {@code log.retention.hours}) can be changed at run time with IncrementalAlterConfigs; every
 * other key is read-only and comes from server.properties.
 */
public final class BrokerConfigs {
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = "log.flush.offset.checkpoint.interval.ms";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String MAX_REQUEST_PARTITION_SIZE_LIMIT = "max.request.partition.size.limit";

    /** The keys this class adds to the node's configuration, with their defaults and ranges. */
    private static final Map<String, ConfigKey> LOG_KEYS;
    /** Type and documentation of keys defined elsewhere (their defaults live with their owner). */
    private static final Map<String, ConfigKey> OTHER_KEYS;
    private static final Set<String> DYNAMIC;
    /** Groups of broker keys that set one value in different units, highest precedence first. */
    private static final List<List<String>> SYNONYM_GROUPS = List.of(
            List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
            List.of("log.roll.ms", "log.roll.hours"),
            List.of("log.flush.interval.ms", "log.flush.scheduler.interval.ms"));

    static {
        Map<String, ConfigKey> d = new LinkedHashMap<>();
        put(d, "log.retention.ms", ConfigType.LONG, null, ANY,
                "How long to keep a log segment after its newest record; wins over log.retention.minutes and "
                        + "log.retention.hours. -1 keeps segments forever.");
        put(d, "log.retention.minutes", ConfigType.INT, null, ANY,
                "Retention in minutes, used when log.retention.ms is not set.");
        put(d, "log.retention.hours", ConfigType.INT, "168", ANY,
                "Retention in hours, used when neither log.retention.ms nor log.retention.minutes is set.");
        put(d, "log.retention.bytes", ConfigType.LONG, "-1", ANY,
                "The largest a partition may grow before its oldest segments are deleted; -1 for no limit.");
        put(d, LOG_RETENTION_CHECK_INTERVAL_MS, ConfigType.LONG, "300000", atLeast(1),
                "How often logs are checked for segments that retention allows to delete.");
        put(d, "log.segment.bytes", ConfigType.INT, Integer.toString(1 << 30), atLeast(14),
                "The size at which a new segment file is started.");
        put(d, "log.roll.ms", ConfigType.LONG, null, atLeast(1),
                "The age after which a non-empty segment is rolled; wins over log.roll.hours.");
        put(d, "log.roll.hours", ConfigType.INT, "168", atLeast(1),
                "Segment roll age in hours, used when log.roll.ms is not set.");
        put(d, "log.cleanup.policy", ConfigType.LIST, "delete", eachOf("delete", "compact"),
                "The default cleanup policy of topics: delete, compact, or both.");
        put(d, "log.index.size.max.bytes", ConfigType.INT, Integer.toString(10 * 1024 * 1024), atLeast(4),
                "The size preallocated for each segment's offset and time indexes.");
        put(d, "log.index.interval.bytes", ConfigType.INT, "4096", atLeast(0),
                "How many bytes of batches lie between two offset index entries.");
        put(d, "log.flush.interval.messages", ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(1),
                "Force an fsync once this many messages have been appended to a partition since the last one.");
        put(d, "log.flush.interval.ms", ConfigType.LONG, null, atLeast(0),
                "Force an fsync of data unflushed this long; falls back to log.flush.scheduler.interval.ms.");
        put(d, "log.flush.scheduler.interval.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(0),
                "The flush interval used when log.flush.interval.ms is not set.");
        put(d, TopicConfigs.FLUSH_GROUP_COMMIT, ConfigType.BOOLEAN, "false", ANY,
                "Fjord only. Default of the topic config of the same name: answer produces with acks=1 or acks=all "
                        + "only once their batches are fsynced, with one fsync shared by the appends that wait for it.");
        put(d, LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, ConfigType.INT, "60000", atLeast(1),
                "How often each log's recovery point is written to disk.");
        put(d, "log.segment.delete.delay.ms", ConfigType.LONG, "60000", atLeast(0),
                "How long a deleted segment's files stay on disk before they are removed.");
        put(d, "log.message.timestamp.type", ConfigType.STRING, "CreateTime", oneOf(TopicConfigs.TIMESTAMP_TYPES),
                "Default record timestamp type of topics: CreateTime or LogAppendTime.");
        put(d, "message.max.bytes", ConfigType.INT, "1048588", atLeast(0),
                "The largest record batch, after compression, a topic accepts by default.");
        put(d, "compression.type", ConfigType.STRING, "producer", oneOf(TopicConfigs.COMPRESSION_TYPES),
                "Default codec of topics; 'producer' keeps the producer's codec.");
        put(d, "min.insync.replicas", ConfigType.INT, "1", atLeast(1),
                "The fewest in-sync replicas with which a produce with acks=all succeeds.");
        put(d, TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE, ConfigType.BOOLEAN, "false", ANY,
                "Default of the topic config of the same name: whether a partition with no live in-sync replica may "
                        + "elect an out-of-sync one (records only the lost replicas had are then gone).");
        put(d, DELETE_TOPIC_ENABLE, ConfigType.BOOLEAN, "true", ANY,
                "Whether DeleteTopics may delete topics; when false it answers TOPIC_DELETION_DISABLED.");
        put(d, MAX_REQUEST_PARTITION_SIZE_LIMIT, ConfigType.INT, "2000", atLeast(1),
                "The most partitions one DescribeTopicPartitions response lists.");
        LOG_KEYS = Collections.unmodifiableMap(d);

        Map<String, ConfigKey> o = new LinkedHashMap<>();
        put(o, "listeners", ConfigType.STRING, null, ANY, "The listeners to bind, as NAME://host:port.");
        put(o, "advertised.listeners", ConfigType.STRING, null, ANY, "The addresses clients are told to connect to.");
        put(o, "listener.security.protocol.map", ConfigType.STRING, null, ANY, "The security protocol of each listener name.");
        put(o, "log.dirs", ConfigType.STRING, null, ANY, "The directories partitions are stored in.");
        put(o, "log.dir", ConfigType.STRING, null, ANY, "The data directory, used when log.dirs is not set.");
        put(o, "node.id", ConfigType.INT, null, ANY, "This node's id in the cluster.");
        put(o, "process.roles", ConfigType.LIST, null, ANY, "The roles of this node: broker, controller or both.");
        put(o, "num.partitions", ConfigType.INT, null, ANY, "Partitions of topics created without a partition count.");
        put(o, "default.replication.factor", ConfigType.INT, null, ANY,
                "Replication factor of topics created without one.");
        put(o, "auto.create.topics.enable", ConfigType.BOOLEAN, null, ANY,
                "Whether Metadata requests for an unknown topic create it.");
        put(o, "socket.request.max.bytes", ConfigType.INT, null, ANY, "The largest request the broker reads.");
        put(o, "num.network.threads", ConfigType.INT, null, ANY, "The threads that serve connections.");
        put(o, "fetch.max.bytes", ConfigType.INT, null, ANY, "The most record bytes one fetch response carries.");
        put(o, "max.incremental.fetch.session.cache.slots", ConfigType.INT, null, ANY,
                "How many incremental fetch sessions the node keeps.");
        put(o, "controlled.shutdown.enable", ConfigType.BOOLEAN, null, ANY,
                "Whether a broker of a cluster moves its leaderships to other in-sync replicas before it stops.");
        OTHER_KEYS = Collections.unmodifiableMap(o);

        // The primary synonym of each topic config, as in Kafka's DynamicLogConfig.
        Set<String> dynamic = new HashSet<>();
        for (TopicConfigs.Def def : TopicConfigs.all().values()) {
            dynamic.add(def.synonyms().get(0).name());
        }
        DYNAMIC = Set.copyOf(dynamic);
    }

    private BrokerConfigs() {
    }

    private static void put(Map<String, ConfigKey> keys, String name, ConfigType type, String defaultValue,
                            ConfigValidator validator, String doc) {
        keys.put(name, new ConfigKey(name, type, defaultValue, validator, doc));
    }

    /** The keys this class defines with their defaults; "" for those without one, as {@code NodeConfig.DEFAULTS} wants. */
    public static Map<String, String> defaults() {
        Map<String, String> out = new LinkedHashMap<>();
        LOG_KEYS.forEach((name, key) -> out.put(name, key.defaultValue() == null ? "" : key.defaultValue()));
        return out;
    }

    /** The definition of a broker key, or null when we know nothing of its type. */
    public static ConfigKey key(String name) {
        ConfigKey key = LOG_KEYS.get(name);
        return key != null ? key : OTHER_KEYS.get(name);
    }

    public static boolean isDynamic(String name) {
        return DYNAMIC.contains(name);
    }

    /**
     * Checks the values of the keys this class defines among {@code values} (a node's settings); an
     * empty value of a key without default means unset.
     *
     * @throws InvalidConfigException naming the first bad key and value
     */
    public static void validateStatic(Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            ConfigKey key = LOG_KEYS.get(e.getKey());
            if (key != null && !(key.defaultValue() == null && e.getValue().isEmpty())) {
                key.parse(e.getValue());
            }
        }
    }

    /**
     * Checks a complete set of dynamic overrides of a BROKER resource and returns it in canonical form.
     *
     * @throws InvalidConfigException when a key is unknown, read-only or has a bad value
     */
    public static Map<String, String> validateDynamic(Map<String, String> overrides) {
        List<String> readOnly = new ArrayList<>();
        Map<String, String> canonical = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            ConfigKey key = key(e.getKey());
            if (key == null) {
                throw new InvalidConfigException("Unknown broker config name: " + e.getKey());
            }
            if (!DYNAMIC.contains(e.getKey())) {
                readOnly.add(e.getKey());
                continue;
            }
            canonical.put(e.getKey(), key.canonical(e.getValue()));
        }
        if (!readOnly.isEmpty()) {
            throw new InvalidConfigException("Cannot update these configs dynamically: " + readOnly);
        }
        return canonical;
    }

    /**
     * The broker keys that stand for the same setting as {@code name} and rank below it, {@code name}
     * first: {@code log.retention.minutes} gives minutes and hours.
     */
    public static List<String> synonymsFrom(String name) {
        for (List<String> group : SYNONYM_GROUPS) {
            int i = group.indexOf(name);
            if (i >= 0) {
                return group.subList(i, group.size());
            }
        }
        return List.of(name);
    }
}
