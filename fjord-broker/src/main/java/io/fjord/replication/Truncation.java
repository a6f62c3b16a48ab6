package io.fjord.replication;

import io.fjord.log.EpochEndOffset;

/**
 * Where a follower cuts its log when the leader says it diverges (Kafka's fetcher truncation rules,
 * KIP-101/KIP-279 carried by the fetch's diverging epoch, KIP-595): to the end of the last epoch both
 * logs share, which is exactly the records the leader does not have.
 *
 * @param offset    the offset to truncate to (never above the local log end)
 * @param completed false when the follower does not know the leader's epoch at all: it cuts to the end of
 *                  its own older epoch and the next fetch, with that epoch, narrows it down further
 */
public record Truncation(long offset, boolean completed) {

    /**
     * @param leader        the leader's end of the follower's last fetched epoch (epoch found, end offset)
     * @param local         the follower's own {@code endOffsetForEpoch(leader.epoch())}
     * @param localLogEnd   the follower's log end offset
     * @param localHighWatermark the follower's high watermark: where it cuts when the leader knows no end at all
     */
    public static Truncation onDivergence(EpochEndOffset leader, EpochEndOffset local, long localLogEnd,
            long localHighWatermark) {
        if (leader.endOffset() < 0) {
            // The leader has no end for that epoch (it knows none as late): only what was committed is safe.
            return new Truncation(Math.min(localHighWatermark, localLogEnd), true);
        }
        if (leader.epoch() < 0 || local.isUndefined()) {
            // Either side has no epoch to compare: keep what the leader's end offset covers.
            return new Truncation(Math.min(leader.endOffset(), localLogEnd), true);
        }
        if (local.epoch() != leader.epoch()) {
            // We never had the leader's epoch: drop back to the end of our largest older one and ask again.
            return new Truncation(Math.min(local.endOffset(), localLogEnd), false);
        }
        return new Truncation(Math.min(Math.min(local.endOffset(), leader.endOffset()), localLogEnd), true);
    }
}
