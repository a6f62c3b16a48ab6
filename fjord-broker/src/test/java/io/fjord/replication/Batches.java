package io.fjord.replication;

import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** v2 record batches as a leader's log holds them: offsets and leader epoch already set. */
final class Batches {
    private Batches() {
    }

    /** One batch of {@code count} records from {@code baseOffset}, written in {@code epoch}. */
    static byte[] batch(long baseOffset, int count, int epoch) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE).baseOffset(baseOffset)
                .partitionLeaderEpoch(epoch);
        for (int i = 0; i < count; i++) {
            builder.append(1_700_000_000_000L + i, null, ("v" + (baseOffset + i)).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer built = builder.build();
        byte[] bytes = new byte[built.remaining()];
        built.get(bytes);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }
}
