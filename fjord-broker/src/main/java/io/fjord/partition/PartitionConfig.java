package io.fjord.partition;

import io.fjord.log.LogConfig;
import io.fjord.record.CompressionType;
import io.fjord.record.TimestampType;

/**
 * The topic configuration a partition acts on, resolved (topic override, else broker default, else
 * Kafka's default). Replaced as a whole when the topic's configs change.
 *
 * @param compressionType   null for {@code compression.type=producer}: keep the producer's codec
 * @param maxMessageBytes   {@code max.message.bytes}: the largest batch accepted
 * @param timestampType     {@code message.timestamp.type}
 * @param minInSyncReplicas {@code min.insync.replicas}
 */
public record PartitionConfig(
        LogConfig log,
        CompressionType compressionType,
        int maxMessageBytes,
        TimestampType timestampType,
        int minInSyncReplicas) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;

    public static PartitionConfig defaults() {
        return new PartitionConfig(LogConfig.defaults(), null, DEFAULT_MAX_MESSAGE_BYTES, TimestampType.CREATE_TIME, 1);
    }
}
