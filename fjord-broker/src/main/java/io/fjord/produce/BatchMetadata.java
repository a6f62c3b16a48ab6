package io.fjord.produce;

/**
 * One appended batch of an idempotent producer, as far as deduplication needs it: a retry of it is
 * answered with these offsets instead of being written again.
 *
 * @param timestamp the batch's maxTimestamp as stored (the broker's time for LogAppendTime topics)
 */
record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
}
