package io.fjord.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/** Builds and reads batches with Fjord's code and with kafka-clients (the oracle), the same way. */
final class Batches {
    private Batches() {
    }

    static org.apache.kafka.common.record.TimestampType kafkaType(BatchSpec spec) {
        return spec.logAppendTime() != null
                ? org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                : org.apache.kafka.common.record.TimestampType.CREATE_TIME;
    }

    static Compression kafkaCompression(CompressionType type) {
        return Compression.of(org.apache.kafka.common.record.internal.CompressionType.forId(type.id)).build();
    }

    static ByteBuffer kafkaBuild(BatchSpec spec, List<RecordInput> records) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(256), (byte) 2,
                kafkaCompression(spec.compression()), kafkaType(spec), spec.baseOffset(),
                spec.logAppendTime() == null ? RecordBatch.NO_TIMESTAMP : spec.logAppendTime(),
                spec.producerId(), spec.producerEpoch(), spec.baseSequence(), spec.transactional(),
                spec.partitionLeaderEpoch());
        long next = spec.baseOffset();
        for (RecordInput r : records) {
            long offset = r.offset() != null ? r.offset() : next;
            builder.appendWithOffset(offset, r.timestamp(), r.key(), r.value(), r.kafkaHeaders());
            next = offset + 1;
        }
        ByteBuffer built = builder.build().buffer();
        ByteBuffer copy = ByteBuffer.allocate(built.remaining());
        copy.put(built.duplicate()).flip();
        return copy;
    }

    static ByteBuffer fjordBuild(BatchSpec spec, List<RecordInput> records) {
        RecordBatchBuilder builder = new RecordBatchBuilder(spec.compression())
                .baseOffset(spec.baseOffset())
                .partitionLeaderEpoch(spec.partitionLeaderEpoch())
                .producer(spec.producerId(), spec.producerEpoch(), spec.baseSequence())
                .transactional(spec.transactional());
        if (spec.logAppendTime() != null) {
            builder.logAppendTime(spec.logAppendTime());
        }
        for (RecordInput r : records) {
            if (r.offset() != null) {
                builder.appendWithOffset(r.offset(), r.timestamp(), wrap(r.key()), wrap(r.value()), r.fjordHeaders());
            } else {
                builder.append(r.timestamp(), r.key(), r.value(), r.fjordHeaders());
            }
        }
        return builder.build();
    }

    /** All records of all batches, read by kafka-clients, each batch's checksum verified first. */
    static List<RecordData> kafkaRead(ByteBuffer buffer) {
        List<RecordData> out = new ArrayList<>();
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(buffer.duplicate()).batches()) {
            batch.ensureValid();
            for (org.apache.kafka.common.record.internal.Record record : batch) {
                out.add(RecordData.of(record));
            }
        }
        return out;
    }

    /** All records of all batches, read by Fjord; a fresh reader per batch keeps records valid. */
    static List<RecordData> fjordRead(ByteBuffer buffer) {
        List<RecordData> out = new ArrayList<>();
        RecordReader reader = new RecordReader();
        for (RecordBatch batch : RecordBatches.of(buffer)) {
            RecordIterator it = reader.records(batch);
            while (it.hasNext()) {
                out.add(RecordData.of(it.next()));
            }
        }
        return out;
    }

    static List<RecordData> expected(BatchSpec spec, List<RecordInput> records) {
        List<RecordData> out = new ArrayList<>();
        long next = spec.baseOffset();
        for (RecordInput r : records) {
            long offset = r.offset() != null ? r.offset() : next;
            out.add(r.expected(offset, spec.logAppendTime()));
            next = offset + 1;
        }
        return out;
    }

    static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return copy;
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    static ByteBuffer concat(ByteBuffer... buffers) {
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer b : buffers) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    /** Rewrites the CRC after a test has edited CRC-covered bytes on purpose. */
    static void fixCrc(ByteBuffer batch) {
        RecordBatch view = new RecordBatch(batch, batch.position());
        batch.putInt(batch.position() + RecordBatch.CRC_OFFSET, (int) view.computeCrc());
    }

    /** A batch around an arbitrary payload, with a consistent length and CRC, for feeding readers junk. */
    static ByteBuffer rawBatch(CompressionType codec, int recordCount, byte[] payload) {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + payload.length);
        batch.putInt(RecordBatch.LENGTH_OFFSET, RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD + payload.length);
        batch.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, -1);
        batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) codec.id);
        batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, recordCount - 1);
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, -1L);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, (short) -1);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, -1);
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, recordCount);
        batch.put(RecordBatch.HEADER_SIZE, payload);
        fixCrc(batch);
        return batch;
    }

    /** The records section of a batch (compressed if the batch is). */
    static byte[] payload(ByteBuffer batch) {
        byte[] out = new byte[batch.remaining() - RecordBatch.HEADER_SIZE];
        batch.get(batch.position() + RecordBatch.HEADER_SIZE, out);
        return out;
    }

    /** Reads every record, as a consumer would, so that any inconsistency surfaces. */
    static int drain(ByteBuffer buffer) {
        int n = 0;
        RecordReader reader = new RecordReader();
        for (RecordBatch batch : RecordBatches.of(buffer)) {
            RecordIterator it = reader.records(batch);
            while (it.hasNext()) {
                Record r = it.next();
                r.headers();
                n++;
            }
        }
        return n;
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }
}
