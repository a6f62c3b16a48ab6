package io.fjord.log;

import io.fjord.record.RecordBatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/** A minimal writer of uncompressed v2 batches for tests (the real builder lives in io.fjord.record). */
final class TestBatches {
    private TestBatches() {
    }

    /**
     * A valid batch holding one record per value, with the given record timestamps (all -1 means the batch
     * carries none).
     */
    static byte[] batch(long baseOffset, long[] timestamps, byte[][] values) {
        if (timestamps.length != values.length || values.length == 0) {
            throw new IllegalArgumentException("one timestamp per value, at least one record");
        }
        long baseTimestamp = timestamps[0];
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (long ts : timestamps) {
            maxTimestamp = Math.max(maxTimestamp, ts);
        }
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (int i = 0; i < values.length; i++) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(0); // record attributes
            writeVarlong(body, timestamps[i] - baseTimestamp);
            writeVarint(body, i);
            writeVarint(body, -1); // null key
            writeVarint(body, values[i].length);
            body.writeBytes(values[i]);
            writeVarint(body, 0); // no headers
            writeVarint(records, body.size());
            records.writeBytes(body.toByteArray());
        }
        byte[] recordBytes = records.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + recordBytes.length);
        b.putLong(baseOffset);
        b.putInt(b.capacity() - RecordBatch.LOG_OVERHEAD);
        b.putInt(0); // partition leader epoch
        b.put(RecordBatch.MAGIC);
        b.putInt(0); // crc, filled below
        b.putShort((short) 0); // attributes: no compression, create time
        b.putInt(values.length - 1);
        b.putLong(baseTimestamp);
        b.putLong(maxTimestamp);
        b.putLong(RecordBatch.NO_PRODUCER_ID);
        b.putShort(RecordBatch.NO_PRODUCER_EPOCH);
        b.putInt(RecordBatch.NO_SEQUENCE);
        b.putInt(values.length);
        b.put(recordBytes);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), RecordBatch.ATTRIBUTES_OFFSET, b.capacity() - RecordBatch.ATTRIBUTES_OFFSET);
        b.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
        return b.array();
    }

    /** A batch of {@code records} records of {@code valueBytes} pseudo-random bytes each, all at {@code timestamp}. */
    static byte[] batch(long baseOffset, int records, int valueBytes, long timestamp, Random random) {
        long[] timestamps = new long[records];
        byte[][] values = new byte[records][];
        for (int i = 0; i < records; i++) {
            timestamps[i] = timestamp;
            values[i] = new byte[valueBytes];
            random.nextBytes(values[i]);
        }
        return batch(baseOffset, timestamps, values);
    }

    static ByteBuffer concat(List<byte[]> batches) {
        int total = 0;
        for (byte[] batch : batches) {
            total += batch.length;
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        for (byte[] batch : batches) {
            all.put(batch);
        }
        return all.flip();
    }

    /** Splits bytes holding whole batches into one array per batch. */
    static List<byte[]> split(ByteBuffer bytes) {
        List<byte[]> out = new ArrayList<>();
        int p = bytes.position();
        while (p < bytes.limit()) {
            int size = RecordBatch.LOG_OVERHEAD + bytes.getInt(p + RecordBatch.LENGTH_OFFSET);
            byte[] batch = new byte[size];
            bytes.get(p, batch);
            out.add(batch);
            p += size;
        }
        return out;
    }

    static long baseOffset(byte[] batch) {
        return ByteBuffer.wrap(batch).getLong(RecordBatch.BASE_OFFSET_OFFSET);
    }

    static long lastOffset(byte[] batch) {
        return baseOffset(batch) + ByteBuffer.wrap(batch).getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
    }

    static long maxTimestamp(byte[] batch) {
        return ByteBuffer.wrap(batch).getLong(RecordBatch.MAX_TIMESTAMP_OFFSET);
    }

    static boolean crcValid(byte[] batch) {
        return new RecordBatch(ByteBuffer.wrap(batch), 0).isValid();
    }

    static byte[] withBaseOffset(byte[] batch, long baseOffset) {
        byte[] copy = batch.clone();
        ByteBuffer.wrap(copy).putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        return copy;
    }

    /** A copy carrying {@code epoch} as its partition leader epoch (which, like the base offset, the CRC does not cover). */
    static byte[] withLeaderEpoch(byte[] batch, int epoch) {
        byte[] copy = batch.clone();
        ByteBuffer.wrap(copy).putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, epoch);
        return copy;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        writeVarlong(out, value);
    }

    private static void writeVarlong(ByteArrayOutputStream out, long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
    }
}
