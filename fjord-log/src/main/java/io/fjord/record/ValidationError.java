package io.fjord.record;

/** Why a produce's batches were refused, as the Kafka error the partition response carries. */
public enum ValidationError {
    NONE(0),
    /** Bytes damaged in transit: CRC mismatch, a length that does not fit, a truncated batch. */
    CORRUPT_MESSAGE(2),
    /** A batch larger than the topic's max.message.bytes. */
    MESSAGE_TOO_LARGE(10),
    /** Intact bytes that break the rules: wrong magic, inconsistent counts or offsets, bad records. */
    INVALID_RECORD(87);

    /** Kafka's numeric error code. */
    public final short code;

    ValidationError(int code) {
        this.code = (short) code;
    }
}
