package io.fjord.offsets;

import io.fjord.log.Log;
import io.fjord.log.LogSlice;
import io.fjord.log.TimestampOffset;
import io.fjord.partition.Partition;
import io.fjord.record.Record;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordBatches;
import io.fjord.record.RecordIterator;
import io.fjord.record.RecordReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Finds records by timestamp for ListOffsets, to the record rather than the batch, as Kafka does:
 * the log's indexes find the batch, then the batch's records are read (decompressed if need be).
 * Not a hot path: batches are copied onto the heap to be read.
 */
final class TimestampSearch {
    /** Enough for a typical batch at once; a larger first batch comes whole anyway. */
    private static final int READ_BYTES = 64 * 1024;

    private final RecordReader reader = new RecordReader();

    /**
     * The first record at or after the log start whose timestamp is at least {@code timestamp}
     * (Kafka's search for a timestamp), or empty when there is none.
     */
    Optional<FoundOffset> firstAtOrAfter(Partition partition, long timestamp) {
        Log log = partition.log();
        Optional<TimestampOffset> batch = log.offsetForTimestamp(timestamp);
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        long from = batch.get().offset();
        return scan(partition, from, from, record -> record.timestamp() >= timestamp, timestamp);
    }

    /**
     * The first record carrying the log's largest timestamp (MAX_TIMESTAMP, KIP-734), or empty for a
     * log without timestamps.
     */
    Optional<FoundOffset> maxTimestamp(Partition partition) {
        Log log = partition.log();
        long max = log.maxTimestamp();
        if (max < 0) {
            return Optional.empty();
        }
        Optional<TimestampOffset> batch = log.offsetForTimestamp(max);
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        long from = batch.get().offset();
        return scan(partition, from, from, record -> record.timestamp() == max, max);
    }

    /** The leader epoch of the batch holding {@code offset}, or -1 when there is none or it carries none. */
    int leaderEpochAt(Partition partition, long offset) {
        if (offset >= partition.logEndOffset()) {
            return -1;
        }
        LogSlice slice = partition.log().read(offset, RecordBatch.HEADER_SIZE, true);
        try {
            if (slice.length() < RecordBatch.HEADER_SIZE) {
                return -1;
            }
            ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
            while (header.hasRemaining()) {
                if (slice.channel().read(header, slice.position() + header.position()) < 0) {
                    return -1;
                }
            }
            int epoch = header.getInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET);
            return Math.max(epoch, -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            slice.release();
        }
    }

    private interface RecordTest {
        boolean matches(Record record);
    }

    /**
     * Reads batches from {@code start} on; the first record at or after {@code minOffset} that
     * {@code test} accepts, in a batch whose maxTimestamp reaches {@code batchAtLeast}. The log's
     * answer usually points at the right batch; the loop covers a batch whose matching records
     * lie before the log start offset.
     */
    private Optional<FoundOffset> scan(Partition partition, long start, long minOffset, RecordTest test, long batchAtLeast) {
        long next = start;
        while (next < partition.logEndOffset()) {
            ByteBuffer bytes = readBatches(partition, next);
            if (bytes == null) {
                return Optional.empty();
            }
            RecordBatches batches = RecordBatches.over(bytes);
            while (batches.hasNext()) {
                RecordBatch batch = batches.next();
                next = batch.nextOffset();
                if (batch.maxTimestamp() < batchAtLeast) {
                    continue;
                }
                RecordIterator records = reader.records(batch);
                while (records.hasNext()) {
                    Record record = records.next();
                    if (record.offset() >= minOffset && test.matches(record)) {
                        int epoch = batch.partitionLeaderEpoch();
                        return Optional.of(new FoundOffset(record.timestamp(), record.offset(), epoch < 0 ? -1 : epoch));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The batches from the one holding {@code offset}, copied out of the segment; null when none. */
    private static ByteBuffer readBatches(Partition partition, long offset) {
        LogSlice slice = partition.log().read(offset, READ_BYTES, true);
        try {
            if (slice.isEmpty()) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(slice.length());
            slice.readInto(buffer);
            return buffer.flip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            slice.release();
        }
    }
}
