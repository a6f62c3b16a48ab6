package io.fjord.protocol;

/** Bytes that do not form a valid message of the version they claim to be. */
public class MessageParseException extends RuntimeException {
    public MessageParseException(String message) {
        super(message);
    }

    public MessageParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
