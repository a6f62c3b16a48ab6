package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyOutputStream;

/** Snappy payloads as the two families of producers write them. */
class SnappyFrameTest {
    private static final List<RecordInput> RECORDS = List.of(
            RecordInput.of(5L, "k", "v".repeat(50_000)),
            RecordInput.of(6L, null, "second"));

    private static byte[] uncompressedRecords() {
        return Batches.payload(Batches.fjordBuild(BatchSpec.plain(CompressionType.NONE), RECORDS));
    }

    @Test
    void rawSnappyAsLibrdkafkaWritesItIsReadByUsAndByKafka() throws IOException {
        ByteBuffer batch = Batches.rawBatch(CompressionType.SNAPPY, RECORDS.size(), Snappy.compress(uncompressedRecords()));
        batch.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, 5L);
        Batches.fixCrc(batch);
        List<RecordData> expected = Batches.expected(BatchSpec.plain(CompressionType.SNAPPY), RECORDS);
        assertThat(Batches.fjordRead(batch)).isEqualTo(Batches.kafkaRead(batch)).isEqualTo(expected);
    }

    @Test
    void streamsWrittenBackToBackAreReadAsOne() throws IOException {
        byte[] records = uncompressedRecords();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int half = records.length / 2;
        try (SnappyOutputStream first = new SnappyOutputStream(sink)) {
            first.write(records, 0, half);
        }
        try (SnappyOutputStream second = new SnappyOutputStream(sink)) {
            second.write(records, half, records.length - half);
        }
        ByteBuffer batch = Batches.rawBatch(CompressionType.SNAPPY, RECORDS.size(), sink.toByteArray());
        assertThat(Batches.fjordRead(batch)).hasSize(2);
        assertThat(Batches.fjordRead(batch)).isEqualTo(Batches.kafkaRead(batch));
    }
}
