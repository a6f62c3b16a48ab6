package io.fjord.log;

import java.io.IOException;

/** The disk failed under the log (Kafka's KAFKA_STORAGE_ERROR); the cause is the I/O error. */
public final class LogStorageException extends LogException {
    public LogStorageException(String message, IOException cause) {
        super(message + ": " + cause, cause);
    }
}
