package io.fjord.log;

import io.fjord.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the framing of appended bytes before any of them is written: whole v2 batches, sane lengths,
 * offsets that never go back. CRCs are not recomputed here: the partition verified them on receipt, and
 * doing it twice would double the CPU cost of every produce.
 */
final class AppendValidator {
    private static final int MIN_BATCH_LENGTH = RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD;

    private AppendValidator() {
    }

    /**
     * Validates {@code batches} for an append at {@code nextOffset} and summarises them. With
     * {@code assignOffsets} the offsets the batches will get from {@link #assignOffsets} are reported;
     * otherwise each batch's own base offset must be at least {@code nextOffset} and above its predecessor's.
     */
    static LogAppendInfo validate(String log, ByteBuffer batches, long nextOffset, boolean assignOffsets) {
        int start = batches.position();
        int end = batches.limit();
        if (start == end) {
            throw new InvalidBatchException(log + ": nothing to append");
        }
        long next = nextOffset;
        long firstOffset = -1;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        long offsetOfMaxTimestamp = -1;
        int maxLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
        int count = 0;
        for (int p = start; p < end; ) {
            int remaining = end - p;
            if (remaining < RecordBatch.HEADER_SIZE) {
                throw invalid(log, "incomplete batch header", p - start);
            }
            int length = batches.getInt(p + RecordBatch.LENGTH_OFFSET);
            if (length < MIN_BATCH_LENGTH || length > remaining - RecordBatch.LOG_OVERHEAD) {
                throw invalid(log, "batch length " + length + " does not fit the " + remaining + " bytes left", p - start);
            }
            byte magic = batches.get(p + RecordBatch.MAGIC_OFFSET);
            if (magic != RecordBatch.MAGIC) {
                throw invalid(log, "magic " + magic + " is not 2", p - start);
            }
            int lastOffsetDelta = batches.getInt(p + RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            if (lastOffsetDelta < 0) {
                throw invalid(log, "negative lastOffsetDelta " + lastOffsetDelta, p - start);
            }
            long base = assignOffsets ? next : batches.getLong(p + RecordBatch.BASE_OFFSET_OFFSET);
            if (base < next) {
                throw invalid(log, "base offset " + base + " is below the next offset " + next, p - start);
            }
            if (count == 0) {
                firstOffset = base;
            }
            long batchMaxTimestamp = batches.getLong(p + RecordBatch.MAX_TIMESTAMP_OFFSET);
            if (batchMaxTimestamp > maxTimestamp) {
                maxTimestamp = batchMaxTimestamp;
                offsetOfMaxTimestamp = base;
            }
            // One compare per batch: the log looks at the epochs again only when one is new to it.
            int leaderEpoch = batches.getInt(p + RecordBatch.PARTITION_LEADER_EPOCH_OFFSET);
            if (leaderEpoch > maxLeaderEpoch) {
                maxLeaderEpoch = leaderEpoch;
            }
            next = base + lastOffsetDelta + 1;
            count++;
            p += RecordBatch.LOG_OVERHEAD + length;
        }
        return new LogAppendInfo(firstOffset, next - 1, maxTimestamp, offsetOfMaxTimestamp, count, end - start,
                maxLeaderEpoch);
    }

    /** Rewrites the base offsets in place from {@code firstOffset} on; the CRC does not cover them. */
    static void assignOffsets(ByteBuffer batches, long firstOffset) {
        long offset = firstOffset;
        for (int p = batches.position(); p < batches.limit(); ) {
            batches.putLong(p + RecordBatch.BASE_OFFSET_OFFSET, offset);
            offset += batches.getInt(p + RecordBatch.LAST_OFFSET_DELTA_OFFSET) + 1;
            p += RecordBatch.LOG_OVERHEAD + batches.getInt(p + RecordBatch.LENGTH_OFFSET);
        }
    }

    /**
     * The (epoch, base offset) of each batch whose partition leader epoch is above {@code latestEpoch} and every
     * earlier batch's epoch, in order: where new leader epochs start. Batches without an epoch (-1) add nothing.
     * Called only when {@link LogAppendInfo#maxLeaderEpoch()} is above the latest epoch, after offsets are final.
     */
    static List<EpochEntry> newEpochStarts(ByteBuffer batches, int latestEpoch) {
        List<EpochEntry> starts = new ArrayList<>(1);
        int latest = latestEpoch;
        for (int p = batches.position(); p < batches.limit(); ) {
            int epoch = batches.getInt(p + RecordBatch.PARTITION_LEADER_EPOCH_OFFSET);
            if (epoch > latest) {
                starts.add(new EpochEntry(epoch, batches.getLong(p + RecordBatch.BASE_OFFSET_OFFSET)));
                latest = epoch;
            }
            p += RecordBatch.LOG_OVERHEAD + batches.getInt(p + RecordBatch.LENGTH_OFFSET);
        }
        return starts;
    }

    private static InvalidBatchException invalid(String log, String what, int position) {
        return new InvalidBatchException(log + ": " + what + " at byte " + position + " of the append");
    }
}
