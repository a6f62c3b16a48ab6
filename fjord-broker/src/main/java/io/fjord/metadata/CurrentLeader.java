package io.fjord.metadata;

import java.util.UUID;

/**
 * A partition's leader as the latest image tells it, for the hints a refused request carries
 * (KIP-951: CurrentLeader and NodeEndpoints in Produce and Fetch responses), like Kafka's
 * {@code KafkaApis.getCurrentLeader}: -1 and -1 for a partition the image does not have, and no node
 * when the leader is not an alive broker.
 *
 * @param node the leader when it is an alive broker, else null
 */
public record CurrentLeader(int leaderId, int leaderEpoch, BrokerNode node) {
    public static final CurrentLeader UNKNOWN = new CurrentLeader(-1, -1, null);

    /** The leader of {@code topic} (by name, or by id when {@code topicId} is not null) partition {@code partition}. */
    public static CurrentLeader of(ClusterView cluster, String topic, UUID topicId, int partition) {
        PartitionInfo info = partitionInfo(cluster.topics(), topic, topicId, partition);
        if (info == null) {
            return UNKNOWN;
        }
        BrokerNode node = info.leaderId() >= 0 ? cluster.aliveBroker(info.leaderId()) : null;
        return new CurrentLeader(info.leaderId(), info.leaderEpoch(), node);
    }

    /** The partition in {@code topics}, by id when {@code topicId} is not null, else by name; null when there is none. */
    public static PartitionInfo partitionInfo(TopicRegistry topics, String topic, UUID topicId, int partition) {
        TopicInfo info = topicId != null ? topics.topic(topicId) : topic != null ? topics.topic(topic) : null;
        if (info == null || partition < 0 || partition >= info.partitions().size()) {
            return null;
        }
        return info.partitions().get(partition);
    }
}
