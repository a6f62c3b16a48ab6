package io.fjord.log;

/** Appended bytes that are not a sequence of whole v2 batches with increasing offsets (Kafka's CORRUPT_MESSAGE). */
public final class InvalidBatchException extends LogException {
    public InvalidBatchException(String message) {
        super(message);
    }
}
