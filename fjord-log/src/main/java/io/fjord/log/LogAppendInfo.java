package io.fjord.log;

import io.fjord.record.RecordBatch;

/**
 * What one append wrote.
 *
 * @param firstOffset          base offset of the first batch
 * @param lastOffset           last offset of the last batch
 * @param maxTimestamp         largest batch maxTimestamp among the batches, or -1 when none carries one
 * @param offsetOfMaxTimestamp base offset of the batch holding {@code maxTimestamp}, or -1
 * @param batches              number of batches
 * @param sizeInBytes          bytes written
 * @param maxLeaderEpoch       largest partitionLeaderEpoch among the batches, or -1 when none carries one
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, long offsetOfMaxTimestamp,
                            int batches, int sizeInBytes, int maxLeaderEpoch) {

    /** An append whose batches carry no leader epoch. */
    public LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, long offsetOfMaxTimestamp,
                         int batches, int sizeInBytes) {
        this(firstOffset, lastOffset, maxTimestamp, offsetOfMaxTimestamp, batches, sizeInBytes,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
    }
}
