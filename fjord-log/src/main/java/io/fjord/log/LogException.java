package io.fjord.log;

/** Base of the errors the log reports to its callers; each subtype maps to one Kafka error code. */
public class LogException extends RuntimeException {
    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
