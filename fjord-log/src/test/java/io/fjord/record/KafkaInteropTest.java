package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Batches cross between Fjord and kafka-clients in both directions, for every codec. */
class KafkaInteropTest {

    static List<RecordInput> sampleRecords() {
        Random random = new Random(7);
        byte[] big = new byte[150_000];
        for (int i = 0; i < big.length; i++) {
            // Compressible but not trivially so: several LZ4 (64 KiB) and snappy (32 KiB) blocks.
            big[i] = (byte) ('a' + random.nextInt(4));
        }
        byte[] noise = new byte[70_000];
        random.nextBytes(noise);
        List<RecordInput> records = new ArrayList<>();
        records.add(RecordInput.of(1_700_000_000_000L, "key-1", "value-1"));
        records.add(RecordInput.of(1_700_000_000_500L, null, "null key"));
        records.add(RecordInput.of(1_699_999_999_000L, "", ""));
        records.add(RecordInput.of(1_700_000_000_100L, "tombstone", null));
        records.add(RecordInput.of(1_700_000_000_200L, "ключ-🔑", "värde 値",
                Header.of("trace-id", new byte[] {1, 2, 3}), Header.of("空", null), Header.of("", new byte[0])));
        records.add(new RecordInput(null, 1_700_000_000_300L, "big".getBytes(), big, List.of()));
        records.add(new RecordInput(null, 1_700_000_000_400L, noise, noise, List.of(Header.of("h", noise))));
        records.add(RecordInput.of(RecordBatch.NO_TIMESTAMP, "no timestamp", "x"));
        return records;
    }

    static Stream<Arguments> specs() {
        List<Arguments> out = new ArrayList<>();
        for (CompressionType codec : CompressionType.values()) {
            out.add(Arguments.of(BatchSpec.plain(codec)));
            out.add(Arguments.of(BatchSpec.plain(codec).baseOffset(1_000_000L).leaderEpoch(7)
                    .producer(42L, (short) 3, 100, true)));
            out.add(Arguments.of(BatchSpec.plain(codec).baseOffset(5L).producer(9L, (short) 0, 0, false)
                    .logAppendTime(1_800_000_000_000L)));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void fjordReadsWhatKafkaBuilds(BatchSpec spec) {
        List<RecordInput> records = sampleRecords();
        ByteBuffer batch = Batches.kafkaBuild(spec, records);

        assertThat(Batches.fjordRead(batch)).isEqualTo(Batches.kafkaRead(batch)).isEqualTo(Batches.expected(spec, records));
        RecordBatch view = new RecordBatch(batch, 0);
        assertThat(view.isValid()).isTrue();
        assertThat(view.compressionType()).isEqualTo(spec.compression());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void kafkaReadsWhatFjordBuilds(BatchSpec spec) {
        List<RecordInput> records = sampleRecords();
        ByteBuffer batch = Batches.fjordBuild(spec, records);

        // kafkaRead calls ensureValid() on every batch: the CRC Kafka computes matches ours.
        assertThat(Batches.kafkaRead(batch)).isEqualTo(Batches.expected(spec, records));
        assertThat(Batches.fjordRead(batch)).isEqualTo(Batches.expected(spec, records));

        MutableRecordBatch kafka = MemoryRecords.readableRecords(batch.duplicate()).batches().iterator().next();
        assertThat(kafka.baseOffset()).isEqualTo(spec.baseOffset());
        assertThat(kafka.lastOffset()).isEqualTo(spec.baseOffset() + records.size() - 1);
        assertThat(kafka.countOrNull()).isEqualTo(records.size());
        assertThat(kafka.partitionLeaderEpoch()).isEqualTo(spec.partitionLeaderEpoch());
        assertThat(kafka.producerId()).isEqualTo(spec.producerId());
        assertThat(kafka.producerEpoch()).isEqualTo(spec.producerEpoch());
        assertThat(kafka.baseSequence()).isEqualTo(spec.baseSequence());
        assertThat(kafka.isTransactional()).isEqualTo(spec.transactional());
        assertThat(kafka.timestampType()).isEqualTo(Batches.kafkaType(spec));
        assertThat((int) kafka.compressionType().id).isEqualTo(spec.compression().id);
        long expectedMax = spec.logAppendTime() != null ? spec.logAppendTime()
                : records.stream().mapToLong(RecordInput::timestamp).max().orElseThrow();
        assertThat(kafka.maxTimestamp()).isEqualTo(expectedMax);
        assertThat(kafka.sizeInBytes()).isEqualTo(batch.remaining());
    }

    /**
     * Where the codec's output depends only on the input and the library (same JDK zlib, same
     * lz4-java, snappy-java and zstd-jni as kafka-clients, same block sizes and framing), the bytes
     * must be identical, not merely equivalent.
     */
    @ParameterizedTest
    @MethodSource("specs")
    void sameBytesAsKafka(BatchSpec spec) {
        List<RecordInput> records = sampleRecords();
        assertThat(Batches.bytes(Batches.fjordBuild(spec, records)))
                .isEqualTo(Batches.bytes(Batches.kafkaBuild(spec, records)));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void explicitOffsetsWithGapsCrossBothWays(CompressionType codec) {
        BatchSpec spec = BatchSpec.plain(codec).baseOffset(100L);
        List<RecordInput> records = List.of(
                RecordInput.of(10L, "a", "1").atOffset(100L),
                RecordInput.of(20L, "b", "2").atOffset(103L),
                RecordInput.of(15L, "c", "3").atOffset(250L));
        ByteBuffer ours = Batches.fjordBuild(spec, records);
        ByteBuffer theirs = Batches.kafkaBuild(spec, records);

        assertThat(Batches.kafkaRead(ours)).isEqualTo(Batches.expected(spec, records));
        assertThat(Batches.fjordRead(theirs)).isEqualTo(Batches.expected(spec, records));
        assertThat(new RecordBatch(ours, 0).lastOffsetDelta()).isEqualTo(150);
        assertThat(new RecordBatch(ours, 0).recordCount()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void controlBatchMatchesKafkasEndTxnMarker(CompressionType codec) {
        MemoryRecordsBuilder kafka = new MemoryRecordsBuilder(ByteBuffer.allocate(128), (byte) 2,
                Batches.kafkaCompression(codec), org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                500L, RecordBatch.NO_TIMESTAMP, 77L, (short) 2, RecordBatch.NO_SEQUENCE, true, true, 4,
                ByteBuffer.allocate(128).capacity());
        kafka.appendEndTxnMarker(1234L, new EndTransactionMarker(ControlRecordType.COMMIT, 9));
        ByteBuffer theirs = Batches.copy(kafka.build().buffer());

        Record marker = new RecordReader().records(new RecordBatch(theirs, 0)).next();
        ByteBuffer ours = new RecordBatchBuilder(codec).baseOffset(500L).partitionLeaderEpoch(4)
                .producer(77L, (short) 2, RecordBatch.NO_SEQUENCE).transactional(true).control(true)
                .append(marker.timestamp(), marker.key(), marker.value())
                .build();

        RecordBatch view = new RecordBatch(ours, 0);
        assertThat(view.isControlBatch()).isTrue();
        assertThat(view.isTransactional()).isTrue();
        assertThat(Batches.bytes(ours)).isEqualTo(Batches.bytes(theirs));
        DefaultRecordBatch parsed = (DefaultRecordBatch) MemoryRecords.readableRecords(ours).batches().iterator().next();
        assertThat(parsed.isControlBatch()).isTrue();
        assertThat(ControlRecordType.parse(parsed.iterator().next().key())).isEqualTo(ControlRecordType.COMMIT);
    }
}
