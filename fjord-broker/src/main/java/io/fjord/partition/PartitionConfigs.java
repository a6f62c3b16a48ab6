package io.fjord.partition;

import io.fjord.config.ConfigKey;
import io.fjord.config.TopicConfigs;
import io.fjord.log.LogConfig;
import io.fjord.record.CompressionType;
import io.fjord.record.TimestampType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a topic's effective configs (every topic config with its resolved value) into what a partition acts on. */
public final class PartitionConfigs {
    /** The topic configs the log itself obeys; they share their names with {@link LogConfig}'s keys. */
    private static final List<String> LOG_KEYS = List.of(
            TopicConfigs.SEGMENT_BYTES, TopicConfigs.SEGMENT_MS, TopicConfigs.SEGMENT_INDEX_BYTES,
            TopicConfigs.INDEX_INTERVAL_BYTES, TopicConfigs.FLUSH_MESSAGES, TopicConfigs.FLUSH_MS,
            TopicConfigs.FLUSH_GROUP_COMMIT,
            TopicConfigs.RETENTION_MS, TopicConfigs.RETENTION_BYTES, TopicConfigs.FILE_DELETE_DELAY_MS);

    private PartitionConfigs() {
    }

    /** @param effective every topic config with its value, as {@code ConfigResolver.effectiveTopicConfig} gives them */
    public static PartitionConfig from(Map<String, String> effective) {
        Map<String, Object> log = new HashMap<>();
        for (String key : LOG_KEYS) {
            log.put(key, effective.get(key));
        }
        // Retention deletes segments only under the "delete" policy; a compact-only topic keeps them.
        if (!ConfigKey.splitList(effective.get(TopicConfigs.CLEANUP_POLICY)).contains(TopicConfigs.CLEANUP_POLICY_DELETE)) {
            log.put(TopicConfigs.RETENTION_MS, -1L);
            log.put(TopicConfigs.RETENTION_BYTES, -1L);
        }
        return new PartitionConfig(
                LogConfig.fromMap(log),
                compression(effective.get(TopicConfigs.COMPRESSION_TYPE)),
                Integer.parseInt(effective.get(TopicConfigs.MAX_MESSAGE_BYTES)),
                timestampType(effective.get(TopicConfigs.MESSAGE_TIMESTAMP_TYPE)),
                Integer.parseInt(effective.get(TopicConfigs.MIN_INSYNC_REPLICAS)));
    }

    /** null for "producer" (keep the producer's codec); Kafka's "uncompressed" is our NONE. */
    static CompressionType compression(String configValue) {
        return switch (configValue) {
            case "producer" -> null;
            case "uncompressed" -> CompressionType.NONE;
            default -> CompressionType.forName(configValue);
        };
    }

    static TimestampType timestampType(String configValue) {
        return TimestampType.LOG_APPEND_TIME.configName.equals(configValue)
                ? TimestampType.LOG_APPEND_TIME
                : TimestampType.CREATE_TIME;
    }
}
