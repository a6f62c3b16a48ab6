package io.fjord.group.consumer;

import io.fjord.protocol.Errors;

/** A ConsumerGroupHeartbeat answer; {@code assignment} null means "not sent" (unchanged). */
public record HeartbeatResult(Errors error, String errorMessage, String memberId, int memberEpoch, int heartbeatIntervalMs,
        Assignment assignment) {

    public static HeartbeatResult error(Errors error, String message) {
        return new HeartbeatResult(error, message, null, 0, 0, null);
    }
}
