package io.fjord.group.consumer;

import java.util.List;

/**
 * One ConsumerGroupHeartbeat as the group sees it. Null fields did not change since the member's last
 * heartbeat (Kafka's "null if it didn't change"); {@code owned} is null when the member did not say
 * which partitions it owns.
 */
public record HeartbeatRequest(String memberId, int memberEpoch, String instanceId, String rackId, int rebalanceTimeoutMs,
        List<String> subscribedTopicNames, String subscribedTopicRegex, String serverAssignor, Assignment owned,
        String clientId, String clientHost) {}
