package io.fjord.offsets;

/**
 * A record found by timestamp: its offset, its timestamp, and the leader epoch of its batch (-1 when
 * the batch carries none).
 */
record FoundOffset(long timestamp, long offset, int leaderEpoch) {
}
