package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchValidatorTest {
    private static final int MAX = 1 << 20;
    private static final List<RecordInput> RECORDS = List.of(
            RecordInput.of(1_000L, "a", "1"),
            RecordInput.of(3_000L, "b", "2"),
            RecordInput.of(2_000L, null, "3"));

    private static ByteBuffer clientBatch(CompressionType codec) {
        return Batches.kafkaBuild(BatchSpec.plain(codec).producer(5L, (short) 1, 0, false), RECORDS);
    }

    private static ValidationResult produce(ByteBuffer batches) {
        return BatchValidator.forProduce(MAX).validate(batches);
    }

    @Test
    void errorCodesAreKafkas() {
        assertThat(ValidationError.CORRUPT_MESSAGE.code).isEqualTo(Errors.CORRUPT_MESSAGE.code());
        assertThat(ValidationError.INVALID_RECORD.code).isEqualTo(Errors.INVALID_RECORD.code());
        assertThat(ValidationError.MESSAGE_TOO_LARGE.code).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
        assertThat(ValidationError.NONE.code).isEqualTo(Errors.NONE.code());
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void acceptsWhatAKafkaProducerSends(CompressionType codec) {
        ByteBuffer batch = clientBatch(codec);
        for (BatchValidator.RecordChecks depth : BatchValidator.RecordChecks.values()) {
            ValidationResult result = new BatchValidator(MAX, depth, true).validate(batch);
            assertThat(result.isValid()).as("%s %s: %s", codec, depth, result.message()).isTrue();
            assertThat(result.batchCount()).isEqualTo(1);
            assertThat(result.recordCount()).isEqualTo(3);
            assertThat(result.maxRecordTimestamp()).isEqualTo(3_000L);
        }
        assertThat(batch.position()).isZero();
    }

    @Test
    void aFlippedBitIsCorruptMessage() {
        ByteBuffer batch = clientBatch(CompressionType.NONE);
        batch.put(batch.limit() - 2, (byte) (batch.get(batch.limit() - 2) ^ 1));
        ValidationResult result = produce(batch);
        assertThat(result.error()).isEqualTo(ValidationError.CORRUPT_MESSAGE);
        assertThat(result.message()).contains("CRC");
    }

    @Test
    void truncationAndTrailingBytesAreCorruptMessage() {
        ByteBuffer batch = clientBatch(CompressionType.GZIP);
        assertThat(produce(batch.duplicate().limit(batch.limit() - 1).slice()).error())
                .isEqualTo(ValidationError.CORRUPT_MESSAGE);
        assertThat(produce(batch.duplicate().limit(30).slice()).error()).isEqualTo(ValidationError.CORRUPT_MESSAGE);
        assertThat(produce(Batches.concat(batch, ByteBuffer.wrap(new byte[9]))).error())
                .isEqualTo(ValidationError.CORRUPT_MESSAGE);
        ByteBuffer shortLength = Batches.copy(batch);
        shortLength.putInt(RecordBatch.LENGTH_OFFSET, 10);
        assertThat(produce(shortLength).error()).isEqualTo(ValidationError.CORRUPT_MESSAGE);
    }

    @Test
    void aBatchOverTheLimitIsMessageTooLarge() {
        ByteBuffer batch = clientBatch(CompressionType.NONE);
        ValidationResult result = BatchValidator.forProduce(batch.remaining() - 1).validate(batch);
        assertThat(result.error()).isEqualTo(ValidationError.MESSAGE_TOO_LARGE);
        assertThat(BatchValidator.forProduce(batch.remaining()).validate(batch).isValid()).isTrue();
    }

    @Test
    void headerRuleViolationsAreInvalidRecord() {
        assertInvalid(edit(b -> b.put(RecordBatch.MAGIC_OFFSET, (byte) 1)), "magic");
        assertInvalid(edit(b -> b.putInt(RecordBatch.RECORD_COUNT_OFFSET, 0)), "0 records");
        assertInvalid(edit(b -> b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 5)), "lastOffsetDelta");
        assertInvalid(edit(b -> b.putLong(RecordBatch.BASE_OFFSET_OFFSET, 8L)), "baseOffset");
        assertInvalid(edit(b -> b.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, -1)), "sequence");
        assertInvalid(edit(b -> b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 0x20)), "control");
        assertInvalid(edit(b -> b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 7)), "codec");
        assertInvalid(ByteBuffer.allocate(0), "no record batch");
    }

    @Test
    void producersSendOneBatchPerPartitionButReplicasMay() {
        ByteBuffer two = Batches.concat(clientBatch(CompressionType.NONE), clientBatch(CompressionType.LZ4));
        assertInvalid(two, "exactly one batch");

        ValidationResult replicated = new BatchValidator(MAX, BatchValidator.RecordChecks.ALL, false).validate(two);
        assertThat(replicated.isValid()).isTrue();
        assertThat(replicated.batchCount()).isEqualTo(2);
        assertThat(replicated.recordCount()).isEqualTo(6);
    }

    @Test
    void replicasAcceptWhatCompactionLeaves() {
        BatchValidator replica = new BatchValidator(MAX, BatchValidator.RecordChecks.ALL, false);
        ByteBuffer gaps = new RecordBatchBuilder(CompressionType.LZ4).baseOffset(1_000L)
                .appendWithOffset(1_001L, 5L, null, ByteBuffer.wrap("a".getBytes()))
                .appendWithOffset(1_007L, 6L, null, ByteBuffer.wrap("b".getBytes()))
                .build();
        ByteBuffer empty = Batches.rawBatch(CompressionType.NONE, 0, new byte[0]);
        empty.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 4);
        Batches.fixCrc(empty);

        ValidationResult result = replica.validate(Batches.concat(gaps, empty));
        assertThat(result.isValid()).as(result.message()).isTrue();
        assertThat(result.recordCount()).isEqualTo(2);
        assertThat(produce(gaps).error()).isEqualTo(ValidationError.INVALID_RECORD);
        assertThat(produce(empty).error()).isEqualTo(ValidationError.INVALID_RECORD);

        // Even a replica's offsets must increase and stay within the header's range.
        ByteBuffer backwards = Batches.copy(gaps);
        backwards.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 3);
        Batches.fixCrc(backwards);
        assertThat(replica.validate(backwards).error()).isEqualTo(ValidationError.INVALID_RECORD);
    }

    @Test
    void recordsThatDoNotParseOrAreNotDenseAreInvalidRecord() {
        // Offsets 0 and 2 with the header claiming a dense pair: only the record walk can tell.
        ByteBuffer gap = new RecordBatchBuilder(CompressionType.NONE)
                .append(1L, "a".getBytes(), "1".getBytes())
                .appendWithOffset(2L, 2L, null, ByteBuffer.wrap("2".getBytes()))
                .build();
        gap.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 1);
        Batches.fixCrc(gap);
        assertInvalid(gap, "offset delta 2");
        assertThat(new BatchValidator(MAX, BatchValidator.RecordChecks.NONE, true).validate(gap).isValid()).isTrue();

        ByteBuffer junk = Batches.rawBatch(CompressionType.NONE, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
        assertInvalid(junk, "record 0");

        byte[] payload = Batches.payload(clientBatch(CompressionType.NONE));
        assertInvalid(Batches.rawBatch(CompressionType.NONE, 4, payload), "holds 3");
        assertInvalid(Batches.rawBatch(CompressionType.NONE, 2, payload), "follow the last");
    }

    @Test
    void compressedPayloadsAreOnlyOpenedWhenAsked() {
        ByteBuffer junk = Batches.rawBatch(CompressionType.ZSTD, 1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(produce(junk).isValid()).isTrue();
        ValidationResult deep = new BatchValidator(MAX, BatchValidator.RecordChecks.ALL, true).validate(junk);
        assertThat(deep.error()).isEqualTo(ValidationError.CORRUPT_MESSAGE);
        assertThat(deep.message()).contains("zstd");
    }

    private static ByteBuffer edit(java.util.function.Consumer<ByteBuffer> change) {
        ByteBuffer batch = clientBatch(CompressionType.NONE);
        change.accept(batch);
        Batches.fixCrc(batch);
        return batch;
    }

    private static void assertInvalid(ByteBuffer batches, String messagePart) {
        ValidationResult result = produce(batches);
        assertThat(result.error()).as(result.message()).isEqualTo(ValidationError.INVALID_RECORD);
        assertThat(result.message()).contains(messagePart);
        assertThat(result.batchIndex()).isGreaterThanOrEqualTo(0);
    }
}
