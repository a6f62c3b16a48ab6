package io.fjord.produce;

import io.fjord.log.Log;
import io.fjord.log.LogConfig;
import io.fjord.log.LogSlice;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionConfig;
import io.fjord.partition.TopicPartition;
import io.fjord.record.CompressionType;
import io.fjord.record.Header;
import io.fjord.record.Record;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.record.RecordIterator;
import io.fjord.record.RecordReader;
import io.fjord.record.TimestampType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Partitions over real logs in a test's directory, client batches, and what the log holds. */
final class TestLogs {
    static final long TIMESTAMP = 1_700_000_000_000L;

    private TestLogs() {
    }

    static PartitionConfig config(CompressionType topicCodec, TimestampType timestampType, int maxMessageBytes) {
        return new PartitionConfig(LogConfig.defaults(), topicCodec, maxMessageBytes, timestampType, 1);
    }

    static Partition partition(Path dir) {
        return partition(dir, PartitionConfig.defaults());
    }

    static Partition partition(Path dir, PartitionConfig config) {
        Log log = Log.open(dir.resolve("t-0"), config.log());
        return new Partition(new TopicPartition("t", 0), UUID.nameUUIDFromBytes(new byte[] {1}), log, config, 0);
    }

    /** A client batch of {@code count} records "k{i}"/"v{i}" with a header, as a read-only buffer like a request's. */
    static ByteBuffer batch(CompressionType codec, int count) {
        return batch(codec, count, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE);
    }

    static ByteBuffer batch(CompressionType codec, int count, long producerId, short epoch, int baseSequence) {
        RecordBatchBuilder builder = new RecordBatchBuilder(codec).producer(producerId, epoch, baseSequence);
        for (int i = 0; i < count; i++) {
            builder.append(TIMESTAMP + i, bytes("k" + i), bytes("v" + i), Header.of("h", bytes("x" + i)));
        }
        return builder.build().asReadOnlyBuffer();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every byte of the log, from its start. */
    static ByteBuffer contents(Partition partition) {
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(partition.log().sizeInBytes()));
        long offset = partition.logStartOffset();
        while (offset < partition.logEndOffset()) {
            LogSlice slice = partition.read(offset, Integer.MAX_VALUE, true, Long.MAX_VALUE);
            try {
                int start = all.position();
                slice.readInto(all);
                offset = lastBatch(all, start).nextOffset();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                slice.release();
            }
        }
        return all.flip();
    }

    /** The batches of the log, each a view into {@link #contents}. */
    static List<RecordBatch> batches(Partition partition) {
        ByteBuffer all = contents(partition);
        List<RecordBatch> batches = new ArrayList<>();
        for (int p = 0; p < all.limit(); ) {
            RecordBatch batch = new RecordBatch(all, p);
            batches.add(batch);
            p += batch.sizeInBytes();
        }
        return batches;
    }

    static List<Record> records(RecordBatch batch) {
        List<Record> records = new ArrayList<>();
        RecordIterator it = new RecordReader().records(batch);
        while (it.hasNext()) {
            records.add(it.next());
        }
        return records;
    }

    static String string(ByteBuffer bytes) {
        return bytes == null ? null : StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
    }

    private static RecordBatch lastBatch(ByteBuffer all, int start) {
        RecordBatch batch = new RecordBatch(all, start);
        for (int p = start; p < all.position(); p += batch.sizeInBytes()) {
            batch.wrap(all, p);
        }
        return batch;
    }
}
