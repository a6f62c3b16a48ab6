package io.fjord.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment: entries of (offset relative to the segment base, int32; file
 * position of the batch with that base offset, int32), both strictly increasing. A lookup gives a position
 * at or before the wanted batch, from which a short scan of batch headers finds it.
 */
final class OffsetIndex extends MappedIndex {
    static final int ENTRY_SIZE = 8;

    OffsetIndex(Path file, long baseOffset, int maxIndexBytes, boolean keepEntries) throws IOException {
        super(file, baseOffset, ENTRY_SIZE, maxIndexBytes, keepEntries);
    }

    void append(long offset, int position) {
        int n = entries();
        ByteBuffer b = buffer();
        b.putInt(n * ENTRY_SIZE, relativeOffset(offset));
        b.putInt(n * ENTRY_SIZE + 4, position);
        setEntries(n + 1);
    }

    long offsetAt(int slot) {
        return baseOffset + buffer().getInt(slot * ENTRY_SIZE);
    }

    int positionAt(int slot) {
        return buffer().getInt(slot * ENTRY_SIZE + 4);
    }

    /** The last slot whose offset is at most {@code offset}, or -1. */
    int floorSlotForOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0) {
            return -1;
        }
        int n = entries();
        ByteBuffer b = buffer();
        return lastSlotWhere(n, slot -> b.getInt(slot * ENTRY_SIZE) <= relative);
    }

    /** The last slot whose position is at most {@code position}, or -1. */
    int floorSlotForPosition(int position) {
        int n = entries();
        ByteBuffer b = buffer();
        return lastSlotWhere(n, slot -> b.getInt(slot * ENTRY_SIZE + 4) <= position);
    }

    /** Drops the entries for offsets at or above {@code offset}. */
    void truncateTo(long offset) {
        setEntries(floorSlotForOffset(offset - 1) + 1);
    }

    /**
     * Why this index cannot be trusted for a log file of {@code logSize} bytes whose offsets end before
     * {@code offsetLimit}, or null. {@code full} checks every entry; otherwise only the last two, which is
     * what catches a preallocated file left untrimmed by a crash (its tail is zeros).
     */
    String sanityCheck(int logSize, long offsetLimit, boolean full) {
        int n = entries();
        int from = full ? 0 : Math.max(0, n - 2);
        long previousOffset = Long.MIN_VALUE;
        long previousPosition = Long.MIN_VALUE;
        for (int slot = from; slot < n; slot++) {
            long offset = offsetAt(slot);
            int position = positionAt(slot);
            if (offset <= previousOffset || position <= previousPosition) {
                return "entry " + slot + " (" + offset + " -> " + position + ") does not increase";
            }
            if (position < 0 || position >= logSize || offset >= offsetLimit) {
                return "entry " + slot + " (" + offset + " -> " + position + ") lies outside the segment";
            }
            previousOffset = offset;
            previousPosition = position;
        }
        return null;
    }
}
