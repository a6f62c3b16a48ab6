package io.fjord.log;

/** One append larger than {@code segment.bytes}: no segment could ever hold it (Kafka's RECORD_LIST_TOO_LARGE). */
public final class RecordsTooLargeException extends LogException {
    public RecordsTooLargeException(String message) {
        super(message);
    }
}
