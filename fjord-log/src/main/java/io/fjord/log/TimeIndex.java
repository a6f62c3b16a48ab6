package io.fjord.log;

import io.fjord.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The time index of one segment: entries of (timestamp int64, relative offset int32). An entry (T, O) is
 * written when the largest timestamp seen so far has grown to T, O being the base offset of the batch that
 * carries it; every batch appended before the entry has a timestamp at most T. So the batches before the
 * last entry with T below a target can all be skipped when searching for that target.
 */
final class TimeIndex extends MappedIndex {
    static final int ENTRY_SIZE = 12;

    TimeIndex(Path file, long baseOffset, int maxIndexBytes, boolean keepEntries) throws IOException {
        super(file, baseOffset, ENTRY_SIZE, maxIndexBytes, keepEntries);
    }

    /** Appends (timestamp, offset) if the timestamp is larger than the last entry's and there is room. */
    void maybeAppend(long timestamp, long offset) {
        int n = entries();
        if (timestamp == RecordBatch.NO_TIMESTAMP || n >= maxEntries()
                || (n > 0 && timestamp <= timestampAt(n - 1))) {
            return;
        }
        ByteBuffer b = buffer();
        b.putLong(n * ENTRY_SIZE, timestamp);
        b.putInt(n * ENTRY_SIZE + 8, relativeOffset(offset));
        setEntries(n + 1);
    }

    /**
     * Full when one slot is left: that one is kept for the final entry written when the segment rolls, which
     * records the segment's largest timestamp for retention after a restart.
     */
    boolean isFullForAppends() {
        return entries() >= maxEntries() - 1;
    }

    long timestampAt(int slot) {
        return buffer().getLong(slot * ENTRY_SIZE);
    }

    long offsetAt(int slot) {
        return baseOffset + buffer().getInt(slot * ENTRY_SIZE + 8);
    }

    long lastTimestamp() {
        int n = entries();
        return n == 0 ? RecordBatch.NO_TIMESTAMP : timestampAt(n - 1);
    }

    long lastOffset() {
        int n = entries();
        return n == 0 ? baseOffset : offsetAt(n - 1);
    }

    /** The last slot whose timestamp is below {@code timestamp}, or -1. */
    int floorSlotBelow(long timestamp) {
        int n = entries();
        ByteBuffer b = buffer();
        return lastSlotWhere(n, slot -> b.getLong(slot * ENTRY_SIZE) < timestamp);
    }

    /** Drops the entries pointing at offsets at or above {@code offset}. */
    void truncateTo(long offset) {
        int n = entries();
        int keep = 0;
        while (keep < n && offsetAt(keep) < offset) {
            keep++;
        }
        setEntries(keep);
    }

    /** Why this index cannot be trusted for offsets ending before {@code offsetLimit}, or null. */
    String sanityCheck(long offsetLimit, boolean full) {
        int n = entries();
        int from = full ? 0 : Math.max(0, n - 2);
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = Long.MIN_VALUE;
        for (int slot = from; slot < n; slot++) {
            long timestamp = timestampAt(slot);
            long offset = offsetAt(slot);
            if (timestamp <= previousTimestamp || offset < previousOffset) {
                return "entry " + slot + " (" + timestamp + " -> " + offset + ") does not increase";
            }
            if (timestamp < 0 || offset >= offsetLimit) {
                return "entry " + slot + " (" + timestamp + " -> " + offset + ") lies outside the segment";
            }
            previousTimestamp = timestamp;
            previousOffset = offset;
        }
        return null;
    }
}
