package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a Record exposes, and that reading an uncompressed batch copies nothing. */
class RecordViewTest {

    @Test
    void uncompressedKeysAndValuesAreSlicesOfTheBatch() {
        ByteBuffer batch = new RecordBatchBuilder(CompressionType.NONE)
                .append(7L, "key".getBytes(), "value".getBytes(), Header.of("h", "hv".getBytes()))
                .build();
        Record record = new RecordReader().records(new RecordBatch(batch, 0)).next();

        assertThat(record.key().array()).isSameAs(batch.array());
        assertThat(record.value().array()).isSameAs(batch.array());
        assertThat(record.headers().get(0).value().array()).isSameAs(batch.array());
        // Writing through the batch shows up in the record: a view, not a copy.
        int valueAt = record.value().arrayOffset();
        batch.array()[valueAt] = 'V';
        assertThat(StandardCharsets.UTF_8.decode(record.value()).toString()).isEqualTo("Value");
    }

    @Test
    void exposesEveryField() {
        ByteBuffer batch = new RecordBatchBuilder(CompressionType.GZIP).baseOffset(40L)
                .append(1_000L, "k".getBytes(), null)
                .append(900L, (byte[]) null, new byte[0], Header.of("a", null), Header.of("b", new byte[] {1}))
                .build();
        RecordIterator it = new RecordReader().records(new RecordBatch(batch, 0));
        assertThat(it.remaining()).isEqualTo(2);

        Record first = it.next();
        assertThat(first.offset()).isEqualTo(40L);
        assertThat(first.offsetDelta()).isZero();
        assertThat(first.timestamp()).isEqualTo(1_000L);
        assertThat(first.timestampDelta()).isZero();
        assertThat(first.attributes()).isZero();
        assertThat(first.hasKey()).isTrue();
        assertThat(first.keySize()).isEqualTo(1);
        assertThat(first.hasValue()).isFalse();
        assertThat(first.valueSize()).isEqualTo(-1);
        assertThat(first.value()).isNull();
        assertThat(first.headerCount()).isZero();
        assertThat(first.headers()).isEmpty();

        Record second = it.next();
        assertThat(second.offset()).isEqualTo(41L);
        assertThat(second.timestampDelta()).isEqualTo(-100L);
        assertThat(second.timestamp()).isEqualTo(900L);
        assertThat(second.key()).isNull();
        assertThat(second.value().remaining()).isZero();
        assertThat(second.headers()).containsExactly(new Header("a", null), Header.of("b", new byte[] {1}));
        assertThat(second.sizeInBytes()).isPositive();
        assertThat(it.hasNext()).isFalse();
        assertThat(it.remaining()).isZero();
    }

    @Test
    void builderRejectsWhatKafkaRejects() {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE).baseOffset(10L);
        assertThatThrownBy(() -> builder.append(-2L, (byte[]) null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.appendWithOffset(9L, 0L, null, null)).isInstanceOf(IllegalArgumentException.class);
        builder.appendWithOffset(12L, 0L, null, null);
        assertThatThrownBy(() -> builder.appendWithOffset(12L, 0L, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.baseOffset(0L)).isInstanceOf(IllegalStateException.class);
        assertThat(builder.nextOffset()).isEqualTo(13L);
        builder.build();
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RecordBatchBuilder(CompressionType.LZ4).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RecordBatchBuilder(CompressionType.GZIP).compressionLevel(10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordBatchBuilder(CompressionType.SNAPPY).compressionLevel(3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"gzip,1", "gzip,9", "lz4,1", "lz4,17", "zstd,1", "zstd,19", "zstd,-5"})
    void compressionLevelsMatchKafkasBytes(String codecName, int level) {
        CompressionType codec = CompressionType.forName(codecName);
        byte[] value = "some text ".repeat(500).getBytes(StandardCharsets.UTF_8);
        ByteBuffer ours = new RecordBatchBuilder(codec).compressionLevel(level)
                .append(1L, "k".getBytes(), value)
                .build();
        var kafka = MemoryRecords.builder(ByteBuffer.allocate(64),
                kafkaCompression(codecName, level), org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0L);
        kafka.append(1L, "k".getBytes(), value);
        assertThat(Batches.bytes(ours)).isEqualTo(Batches.bytes(kafka.build().buffer()));
    }

    private static Compression kafkaCompression(String codecName, int level) {
        if (codecName.equals("gzip")) {
            return Compression.gzip().level(level).build();
        }
        return codecName.equals("lz4") ? Compression.lz4().level(level).build() : Compression.zstd().level(level).build();
    }

    @Test
    void copiesRecordsIntoANewBatchKeepingTheirOffsets() {
        ByteBuffer source = new RecordBatchBuilder(CompressionType.SNAPPY).baseOffset(100L)
                .append(5L, "a".getBytes(), "1".getBytes(), Header.of("x", "y".getBytes()))
                .append(6L, "b".getBytes(), "2".getBytes())
                .append(7L, "c".getBytes(), "3".getBytes())
                .build();
        RecordBatchBuilder compacted = new RecordBatchBuilder(CompressionType.ZSTD).baseOffset(100L);
        RecordIterator it = new RecordReader().records(new RecordBatch(source, 0));
        Record first = it.next();
        it.next();
        compacted.append(first).append(it.next());
        ByteBuffer out = compacted.build();

        assertThat(Batches.kafkaRead(out)).extracting(RecordData::offset).containsExactly(100L, 102L);
        assertThat(Batches.fjordRead(out).get(0).headers()).containsExactly(new RecordData.HeaderData("x", "79"));
        assertThat(new RecordBatch(out, 0).lastOffsetDelta()).isEqualTo(2);
    }
}
