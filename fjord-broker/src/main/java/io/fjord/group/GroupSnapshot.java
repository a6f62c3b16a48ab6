package io.fjord.group;

/**
 * What a group-metadata record says of a group: enough to bring the group back after a restart or a
 * coordinator move. {@code groupType} is {@code "classic"} or {@code "consumer"} (KIP-848).
 */
public record GroupSnapshot(String groupType, String protocolType, int generationId, String protocolName,
        String leaderId, long stateTimestampMs) {}
