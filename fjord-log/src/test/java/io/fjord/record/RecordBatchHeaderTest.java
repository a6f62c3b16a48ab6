package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The header view against kafka-clients' DefaultRecordBatch, field by field and rewrite by rewrite. */
class RecordBatchHeaderTest {
    private static final List<RecordInput> RECORDS = List.of(
            RecordInput.of(1_000L, "a", "1"),
            RecordInput.of(3_000L, "b", "2"),
            RecordInput.of(2_000L, "c", "3"));

    private static DefaultRecordBatch kafkaView(ByteBuffer batch) {
        return (DefaultRecordBatch) MemoryRecords.readableRecords(batch).batches().iterator().next();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void everyHeaderFieldMatchesKafka(CompressionType codec) {
        BatchSpec spec = BatchSpec.plain(codec).baseOffset(4_242L).leaderEpoch(11).producer(99L, (short) 5, 17, true);
        ByteBuffer batch = Batches.kafkaBuild(spec, RECORDS);
        RecordBatch ours = new RecordBatch(batch, 0);
        DefaultRecordBatch theirs = kafkaView(batch.duplicate());

        assertThat(ours.baseOffset()).isEqualTo(theirs.baseOffset());
        assertThat(ours.lastOffset()).isEqualTo(theirs.lastOffset());
        assertThat(ours.nextOffset()).isEqualTo(theirs.nextOffset());
        assertThat(ours.lastOffsetDelta()).isEqualTo(2);
        assertThat(ours.sizeInBytes()).isEqualTo(theirs.sizeInBytes());
        assertThat(ours.partitionLeaderEpoch()).isEqualTo(theirs.partitionLeaderEpoch());
        assertThat(ours.magic()).isEqualTo(theirs.magic());
        assertThat(ours.crc()).isEqualTo(theirs.checksum());
        assertThat(ours.computeCrc()).isEqualTo(theirs.checksum());
        assertThat(ours.isValid()).isEqualTo(theirs.isValid()).isTrue();
        assertThat(ours.compressionType().id).isEqualTo(theirs.compressionType().id);
        assertThat(ours.timestampType().configName).isEqualTo(theirs.timestampType().name);
        assertThat(ours.isTransactional()).isEqualTo(theirs.isTransactional());
        assertThat(ours.isControlBatch()).isEqualTo(theirs.isControlBatch());
        assertThat(ours.hasDeleteHorizon()).isEqualTo(theirs.deleteHorizonMs().isPresent());
        assertThat(ours.baseTimestamp()).isEqualTo(theirs.baseTimestamp()).isEqualTo(1_000L);
        assertThat(ours.maxTimestamp()).isEqualTo(theirs.maxTimestamp()).isEqualTo(3_000L);
        assertThat(ours.producerId()).isEqualTo(theirs.producerId());
        assertThat(ours.hasProducerId()).isEqualTo(theirs.hasProducerId());
        assertThat(ours.producerEpoch()).isEqualTo(theirs.producerEpoch());
        assertThat(ours.baseSequence()).isEqualTo(theirs.baseSequence());
        assertThat(ours.lastSequence()).isEqualTo(theirs.lastSequence());
        assertThat(ours.recordCount()).isEqualTo(theirs.countOrNull());
    }

    @Test
    void lastSequenceWrapsLikeKafka() {
        BatchSpec spec = BatchSpec.plain(CompressionType.NONE).producer(1L, (short) 0, Integer.MAX_VALUE - 1, false);
        ByteBuffer batch = Batches.kafkaBuild(spec, RECORDS);
        assertThat(new RecordBatch(batch, 0).lastSequence()).isEqualTo(kafkaView(batch.duplicate()).lastSequence()).isZero();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void rewritingBaseOffsetAndLeaderEpochKeepsTheCrcAndMatchesKafka(CompressionType codec) {
        ByteBuffer original = Batches.fjordBuild(BatchSpec.plain(codec), RECORDS);
        ByteBuffer ours = Batches.copy(original);
        ByteBuffer theirs = Batches.copy(original);

        RecordBatch view = new RecordBatch(ours, 0);
        view.setBaseOffset(1_000_000L);
        view.setPartitionLeaderEpoch(12);
        DefaultRecordBatch kafka = kafkaView(theirs);
        kafka.setLastOffset(1_000_002L);
        kafka.setPartitionLeaderEpoch(12);

        assertThat(Batches.bytes(ours)).isEqualTo(Batches.bytes(theirs));
        assertThat(view.crc()).isEqualTo(new RecordBatch(original, 0).crc());
        assertThat(view.isValid()).isTrue();
        assertThat(Batches.fjordRead(ours)).extracting(RecordData::offset).containsExactly(1_000_000L, 1_000_001L, 1_000_002L);
        assertThat(Batches.kafkaRead(ours)).extracting(RecordData::offset).containsExactly(1_000_000L, 1_000_001L, 1_000_002L);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void logAppendTimeRewriteMatchesKafkaByteForByte(CompressionType codec) {
        ByteBuffer original = Batches.fjordBuild(BatchSpec.plain(codec).baseOffset(7L), RECORDS);
        ByteBuffer ours = Batches.copy(original);
        ByteBuffer theirs = Batches.copy(original);
        long brokerTime = 1_750_000_000_123L;

        RecordBatch view = new RecordBatch(ours, 0);
        view.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, brokerTime);
        kafkaView(theirs).setMaxTimestamp(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, brokerTime);

        assertThat(Batches.bytes(ours)).isEqualTo(Batches.bytes(theirs));
        assertThat(view.isValid()).isTrue();
        assertThat(view.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        // Every record now reports the broker's time, by both readers.
        assertThat(Batches.fjordRead(ours)).extracting(RecordData::timestamp).containsOnly(brokerTime);
        assertThat(Batches.kafkaRead(ours)).extracting(RecordData::timestamp).containsOnly(brokerTime);
    }

    @Test
    void createTimeRewriteMatchesKafka() {
        ByteBuffer original = Batches.fjordBuild(BatchSpec.plain(CompressionType.NONE), RECORDS);
        ByteBuffer ours = Batches.copy(original);
        ByteBuffer theirs = Batches.copy(original);

        new RecordBatch(ours, 0).setMaxTimestamp(TimestampType.CREATE_TIME, 5_000L);
        kafkaView(theirs).setMaxTimestamp(org.apache.kafka.common.record.TimestampType.CREATE_TIME, 5_000L);

        assertThat(Batches.bytes(ours)).isEqualTo(Batches.bytes(theirs));
        assertThat(new RecordBatch(ours, 0).isValid()).isTrue();
    }

    @Test
    void viewWorksAtAnOffsetInsideALargerAndDirectBuffer() {
        ByteBuffer batch = Batches.fjordBuild(BatchSpec.plain(CompressionType.LZ4).baseOffset(3L), RECORDS);
        ByteBuffer direct = ByteBuffer.allocateDirect(batch.remaining() + 100);
        direct.position(37);
        direct.put(batch.duplicate());
        direct.clear();

        RecordBatch view = new RecordBatch(direct, 37);
        direct.limit(37 + view.sizeInBytes());
        assertThat(view.isValid()).isTrue();
        assertThat(view.recordCount()).isEqualTo(3);
        RecordIterator records = new RecordReader().records(view);
        assertThat(records.next().offset()).isEqualTo(3L);
        assertThat(records.next().timestamp()).isEqualTo(3_000L);
    }
}
