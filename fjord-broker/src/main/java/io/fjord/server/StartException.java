package io.fjord.server;

/** A node cannot start; the message is one line that says why. */
public final class StartException extends RuntimeException {
    public StartException(String message) {
        super(message);
    }

    public StartException(String message, Throwable cause) {
        super(message, cause);
    }
}
