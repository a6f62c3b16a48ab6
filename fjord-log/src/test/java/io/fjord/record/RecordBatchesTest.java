package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class RecordBatchesTest {

    private static ByteBuffer batch(CompressionType codec, long baseOffset, int records) {
        RecordBatchBuilder builder = new RecordBatchBuilder(codec).baseOffset(baseOffset);
        for (int i = 0; i < records; i++) {
            builder.append(100L + i, ("k" + i).getBytes(), ("v" + i).getBytes());
        }
        return builder.build();
    }

    private static ByteBuffer threeBatches() {
        return Batches.concat(batch(CompressionType.NONE, 0, 2), batch(CompressionType.ZSTD, 2, 3),
                batch(CompressionType.SNAPPY, 5, 1));
    }

    @Test
    void walksConcatenatedBatchesOfMixedCodecs() {
        ByteBuffer buffer = threeBatches();
        List<Long> baseOffsets = new ArrayList<>();
        for (RecordBatch batch : RecordBatches.of(buffer)) {
            assertThat(batch.isValid()).isTrue();
            baseOffsets.add(batch.baseOffset());
        }
        assertThat(baseOffsets).containsExactly(0L, 2L, 5L);
        assertThat(Batches.fjordRead(buffer)).extracting(RecordData::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(Batches.kafkaRead(buffer)).isEqualTo(Batches.fjordRead(buffer));
        assertThat(buffer.position()).isZero();
    }

    @Test
    void stopsCleanlyBeforeAPartialBatchAndSaysWhere() {
        ByteBuffer whole = threeBatches();
        int firstTwo = whole.remaining() - batch(CompressionType.SNAPPY, 5, 1).remaining();
        ByteBuffer torn = whole.duplicate().limit(whole.remaining() - 3).slice();

        RecordBatches batches = RecordBatches.over(torn);
        assertThat(batches.next().baseOffset()).isZero();
        assertThat(batches.next().baseOffset()).isEqualTo(2L);
        assertThat(batches.hasNext()).isFalse();
        assertThat(batches.hasPartialBatch()).isTrue();
        assertThat(batches.position()).isEqualTo(firstTwo);
        assertThat(batches.validBytes()).isEqualTo(firstTwo);
        assertThat(batches.remainingBytes()).isEqualTo(torn.remaining() - firstTwo);
        assertThatThrownBy(batches::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aTailShorterThanTheLengthFieldIsPartialToo() {
        ByteBuffer buffer = Batches.concat(batch(CompressionType.NONE, 0, 1), ByteBuffer.wrap(new byte[5]));
        RecordBatches batches = RecordBatches.over(buffer);
        batches.next();
        assertThat(batches.hasNext()).isFalse();
        assertThat(batches.hasPartialBatch()).isTrue();
        assertThat(batches.remainingBytes()).isEqualTo(5);
    }

    @Test
    void anExactEndHasNoPartialBatch() {
        RecordBatches batches = RecordBatches.over(threeBatches());
        int n = 0;
        while (batches.hasNext()) {
            batches.next();
            n++;
        }
        assertThat(n).isEqualTo(3);
        assertThat(batches.hasPartialBatch()).isFalse();
        assertThat(RecordBatches.over(ByteBuffer.allocate(0)).hasNext()).isFalse();
    }

    @Test
    void respectsTheBuffersPositionAndLimit() {
        ByteBuffer buffer = Batches.concat(ByteBuffer.wrap(new byte[7]), batch(CompressionType.LZ4, 9, 2),
                ByteBuffer.wrap(new byte[3]));
        buffer.position(7).limit(buffer.limit() - 3);
        List<RecordBatch> batches = new ArrayList<>();
        RecordBatches.of(buffer).forEach(batches::add);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).position()).isEqualTo(7);
        assertThat(batches.get(0).baseOffset()).isEqualTo(9L);
    }

    @Test
    void impossibleHeadersAreCorrupt() {
        ByteBuffer tooShort = batch(CompressionType.NONE, 0, 1);
        tooShort.putInt(RecordBatch.LENGTH_OFFSET, RecordBatches.MIN_BATCH_LENGTH - 1);
        assertThatThrownBy(() -> RecordBatches.over(tooShort).hasNext())
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("below the minimum");

        ByteBuffer second = Batches.concat(batch(CompressionType.NONE, 0, 1), batch(CompressionType.NONE, 1, 1));
        second.put(new RecordBatch(second, 0).sizeInBytes() + RecordBatch.MAGIC_OFFSET, (byte) 0);
        RecordBatches batches = RecordBatches.over(second);
        batches.next();
        assertThatThrownBy(batches::hasNext).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("magic 0");
    }
}
