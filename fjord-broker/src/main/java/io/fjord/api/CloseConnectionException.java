package io.fjord.api;

/**
 * Completes a handler's future when the protocol's answer is to drop the connection rather than to
 * respond: a produce with acks=0 that failed, whose client expects no response and learns of the
 * failure only by being disconnected (then refreshes its metadata), as with Kafka. Carries no stack
 * trace: it is an expected outcome, not a fault.
 */
public final class CloseConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CloseConnectionException(String message) {
        super(message, null, false, false);
    }
}
