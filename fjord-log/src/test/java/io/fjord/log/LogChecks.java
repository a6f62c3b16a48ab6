package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.record.RecordBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Full scans that tests compare the log's indexes and reads against. */
final class LogChecks {
    private LogChecks() {
    }

    record ScannedBatch(int position, byte[] bytes) {
        long baseOffset() {
            return TestBatches.baseOffset(bytes);
        }

        long lastOffset() {
            return TestBatches.lastOffset(bytes);
        }

        long maxTimestamp() {
            return TestBatches.maxTimestamp(bytes);
        }
    }

    /** Every batch of a segment's file, straight from disk, requiring the file to hold whole batches only. */
    static List<ScannedBatch> scan(LogSegment segment) {
        byte[] file;
        try {
            file = Files.readAllBytes(segment.logFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(file.length).as("size of %s", segment.logFile()).isEqualTo(segment.size());
        ByteBuffer b = ByteBuffer.wrap(file);
        List<ScannedBatch> batches = new ArrayList<>();
        int p = 0;
        while (p < file.length) {
            assertThat(file.length - p).as("batch header at %d of %s", p, segment.logFile())
                    .isGreaterThanOrEqualTo(RecordBatch.HEADER_SIZE);
            int size = RecordBatch.LOG_OVERHEAD + b.getInt(p + RecordBatch.LENGTH_OFFSET);
            assertThat(p + size).as("batch end at %d of %s", p, segment.logFile()).isLessThanOrEqualTo(file.length);
            byte[] bytes = new byte[size];
            b.get(p, bytes);
            batches.add(new ScannedBatch(p, bytes));
            p += size;
        }
        return batches;
    }

    /**
     * The segment's indexes and bookkeeping agree with a full scan: every offset index entry names a batch
     * start and its base offset; every time index entry (T, O) names a batch O whose max timestamp is T, with
     * no earlier batch newer than T; the segment's max timestamp and next offset are exact.
     */
    static void checkIndexes(LogSegment segment, List<ScannedBatch> batches) {
        OffsetIndex offsetIndex = segment.offsetIndex();
        long previousOffset = Long.MIN_VALUE;
        int previousPosition = -1;
        for (int slot = 0; slot < offsetIndex.entries(); slot++) {
            long offset = offsetIndex.offsetAt(slot);
            int position = offsetIndex.positionAt(slot);
            assertThat(offset).as("offset index slot %d of %s", slot, segment).isGreaterThan(previousOffset);
            assertThat(position).as("offset index slot %d of %s", slot, segment).isGreaterThan(previousPosition);
            ScannedBatch at = batchAt(batches, position);
            assertThat(at).as("offset index slot %d (%d -> %d) of %s names a batch start", slot, offset, position,
                    segment).isNotNull();
            assertThat(at.baseOffset()).as("offset index slot %d of %s", slot, segment).isEqualTo(offset);
            previousOffset = offset;
            previousPosition = position;
        }
        TimeIndex timeIndex = segment.timeIndex();
        long previousTimestamp = Long.MIN_VALUE;
        for (int slot = 0; slot < timeIndex.entries(); slot++) {
            long timestamp = timeIndex.timestampAt(slot);
            long offset = timeIndex.offsetAt(slot);
            assertThat(timestamp).as("time index slot %d of %s", slot, segment).isGreaterThan(previousTimestamp);
            previousTimestamp = timestamp;
            long maxBefore = RecordBatch.NO_TIMESTAMP;
            ScannedBatch named = null;
            for (ScannedBatch batch : batches) {
                if (batch.baseOffset() == offset) {
                    named = batch;
                    break;
                }
                maxBefore = Math.max(maxBefore, batch.maxTimestamp());
            }
            assertThat(named).as("time index slot %d (%d -> %d) of %s names a batch", slot, timestamp, offset, segment)
                    .isNotNull();
            assertThat(named.maxTimestamp()).as("time index slot %d of %s", slot, segment).isEqualTo(timestamp);
            assertThat(maxBefore).as("batches before time index slot %d of %s", slot, segment)
                    .isLessThanOrEqualTo(timestamp);
        }
        long max = RecordBatch.NO_TIMESTAMP;
        for (ScannedBatch batch : batches) {
            max = Math.max(max, batch.maxTimestamp());
        }
        assertThat(segment.maxTimestamp()).as("max timestamp of %s", segment).isEqualTo(max);
        if (segment.isActive() && !batches.isEmpty()) {
            assertThat(segment.nextOffset()).as("next offset of %s", segment)
                    .isEqualTo(batches.getLast().lastOffset() + 1);
        }
    }

    private static ScannedBatch batchAt(List<ScannedBatch> batches, int position) {
        for (ScannedBatch batch : batches) {
            if (batch.position() == position) {
                return batch;
            }
        }
        return null;
    }

    /** The slice's bytes, copied. */
    static byte[] bytes(LogSlice slice) {
        ByteBuffer buffer = ByteBuffer.allocate(slice.length());
        try {
            if (!slice.isEmpty()) {
                slice.readInto(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.array();
    }
}
