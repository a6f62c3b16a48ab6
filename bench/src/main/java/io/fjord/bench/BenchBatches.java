package io.fjord.bench;

import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.Random;

/** Uncompressed v2 batches of an exact size, as a producer would send them. */
final class BenchBatches {
    /** Value bytes per record: small records, as in a typical producer batch. */
    private static final int RECORD_VALUE_BYTES = 100;

    private BenchBatches() {
    }

    /** A batch of exactly {@code sizeInBytes} (within a byte or two where varint lengths step), in a direct buffer. */
    static ByteBuffer ofSize(int sizeInBytes, long seed) {
        Random random = new Random(seed);
        int records = Math.max(1, sizeInBytes / (RECORD_VALUE_BYTES + 20));
        int lastValue = RECORD_VALUE_BYTES;
        ByteBuffer built = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            built = build(records, lastValue, random);
            int missing = sizeInBytes - built.remaining();
            if (missing == 0 || lastValue + missing < 0) {
                break;
            }
            lastValue += missing;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(built.remaining());
        direct.put(built).flip();
        return direct;
    }

    private static ByteBuffer build(int records, int lastValueBytes, Random random) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE).baseOffset(0);
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[i == records - 1 ? lastValueBytes : RECORD_VALUE_BYTES];
            random.nextBytes(value);
            builder.append(now, (byte[]) null, value);
        }
        return builder.build();
    }
}
