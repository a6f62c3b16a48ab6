package io.fjord.produce;

/**
 * How far record timestamps of a CreateTime topic may lie from the broker's clock
 * ({@code message.timestamp.before.max.ms} / {@code message.timestamp.after.max.ms}).
 */
public record TimestampLimits(long beforeMaxMs, long afterMaxMs) {
    /** Kafka 4's defaults: any age, at most an hour ahead (KIP-1030 lowered the latter from unlimited). */
    public static final TimestampLimits KAFKA_DEFAULTS = new TimestampLimits(Long.MAX_VALUE, 60L * 60 * 1000);

    /** Whether checking means looking at every record, not just the batch's largest timestamp. */
    boolean checksAge() {
        return beforeMaxMs != Long.MAX_VALUE;
    }
}
