package io.fjord.log;

/**
 * The answer to a search by timestamp, at batch granularity: {@code offset} is the base offset of the first
 * batch whose maxTimestamp is at least the target (raised to the log start offset when that lies inside the
 * batch) and {@code timestamp} is that batch's maxTimestamp. A ListOffsets handler that needs the exact record
 * reads that batch and walks its records.
 */
public record TimestampOffset(long timestamp, long offset) {
}
