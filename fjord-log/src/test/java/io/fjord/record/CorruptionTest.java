package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Damaged bytes are reported as corruption: never accepted silently, never a stray runtime exception. */
class CorruptionTest {
    private static final List<RecordInput> RECORDS = List.of(
            RecordInput.of(1_000L, "alpha", "first value", Header.of("h", new byte[] {9})),
            RecordInput.of(1_001L, null, "second"),
            RecordInput.of(1_002L, "gamma", null));

    private static ByteBuffer batch(CompressionType codec) {
        return Batches.fjordBuild(BatchSpec.plain(codec).baseOffset(10L), RECORDS);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void anyFlippedByteUnderTheCrcMakesTheBatchInvalid(CompressionType codec) {
        ByteBuffer original = batch(codec);
        for (int pos = RecordBatch.CRC_OFFSET; pos < original.remaining(); pos++) {
            for (int bit : new int[] {0x01, 0x80}) {
                ByteBuffer damaged = Batches.copy(original);
                damaged.put(pos, (byte) (damaged.get(pos) ^ bit));
                assertThat(new RecordBatch(damaged, 0).isValid()).as("bit %x of byte %d", bit, pos).isFalse();
            }
        }
    }

    @Test
    void fieldsOutsideTheCrcAreTheBrokersToRewrite() {
        // baseOffset and partitionLeaderEpoch precede the CRC'd range by design (Kafka's format).
        ByteBuffer damaged = batch(CompressionType.NONE);
        damaged.put(RecordBatch.BASE_OFFSET_OFFSET + 7, (byte) 0x55);
        damaged.put(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET + 3, (byte) 0x55);
        assertThat(new RecordBatch(damaged, 0).isValid()).isTrue();
    }

    @Test
    void aFlippedLengthIsInvalidNotAnException() {
        for (int pos = RecordBatch.LENGTH_OFFSET; pos < RecordBatch.LENGTH_OFFSET + 4; pos++) {
            ByteBuffer damaged = batch(CompressionType.GZIP);
            damaged.put(pos, (byte) (damaged.get(pos) ^ 0x40));
            assertThat(new RecordBatch(damaged, 0).isValid()).isFalse();
        }
        ByteBuffer tiny = ByteBuffer.allocate(20);
        assertThat(new RecordBatch(tiny, 0).isValid()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aTruncatedBatchIsPartialForTheIteratorAndCorruptForTheReader(CompressionType codec) {
        ByteBuffer whole = batch(codec);
        for (int cut : new int[] {1, 11, 12, 16, 17, 60, 61, whole.remaining() - 1}) {
            ByteBuffer truncated = whole.duplicate().limit(cut).slice();

            RecordBatches batches = RecordBatches.over(truncated);
            assertThat(batches.hasNext()).as("cut at %d", cut).isFalse();
            assertThat(batches.hasPartialBatch()).isTrue();
            assertThat(batches.position()).isZero();
            assertThat(batches.remainingBytes()).isEqualTo(cut);

            assertThat(new RecordBatch(truncated, 0).isValid()).isFalse();
            if (cut >= RecordBatch.MAGIC_OFFSET + 1) {
                assertThatThrownBy(() -> new RecordReader().records(new RecordBatch(truncated, 0)))
                        .isInstanceOf(CorruptRecordException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aTruncatedPayloadUnderAValidCrcIsCorrupt(CompressionType codec) {
        byte[] payload = Batches.payload(batch(codec));
        for (int keep = 0; keep < payload.length; keep++) {
            byte[] cut = java.util.Arrays.copyOf(payload, keep);
            ByteBuffer damaged = Batches.rawBatch(codec, RECORDS.size(), cut);
            assertThatThrownBy(() -> Batches.drain(damaged)).as("payload cut to %d of %d", keep, payload.length)
                    .isInstanceOf(CorruptRecordException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void recordCountsThatDisagreeWithTheRecordsAreCorrupt(CompressionType codec) {
        byte[] payload = Batches.payload(batch(codec));
        assertThatThrownBy(() -> Batches.drain(Batches.rawBatch(codec, RECORDS.size() + 1, payload)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("holds only 3");
        assertThatThrownBy(() -> Batches.drain(Batches.rawBatch(codec, RECORDS.size() - 1, payload)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("follow the last");
        assertThatThrownBy(() -> Batches.drain(Batches.rawBatch(codec, 1_000_000_000, payload)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("cannot hold");
        assertThatThrownBy(() -> Batches.drain(Batches.rawBatch(codec, -5, payload)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("negative");
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void garbageInsteadOfACompressedPayloadIsCorrupt(CompressionType codec) {
        Random random = new Random(codec.id);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(300)];
            random.nextBytes(junk);
            ByteBuffer damaged = Batches.rawBatch(codec, 1 + random.nextInt(3), junk);
            assertThatThrownBy(() -> Batches.drain(damaged)).isInstanceOf(CorruptRecordException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void randomFlipsInThePayloadEitherParseOrAreReportedAsCorrupt(CompressionType codec) {
        byte[] payload = Batches.payload(batch(codec));
        Random random = new Random(31 + codec.id);
        int corrupt = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] damaged = payload.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                int pos = random.nextInt(damaged.length);
                damaged[pos] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                Batches.drain(Batches.rawBatch(codec, RECORDS.size(), damaged));
            } catch (CorruptRecordException expected) {
                corrupt++;
            }
        }
        // Some flips land in key/value bytes and leave a well-formed batch; most must be caught.
        assertThat(corrupt).isGreaterThan(100);
    }

    @Test
    void oversizedLengthsInsideARecordAreCorruptNotAnAllocation() {
        // A record claiming a 2 GiB key: the claim is checked against the bytes there, nothing is allocated.
        byte[] record = new byte[32];
        int pos = Varints.writeVarint(record, 0, 20);
        record[pos++] = 0;
        pos = Varints.writeVarlong(record, pos, 0);
        pos = Varints.writeVarint(record, pos, 0);
        pos = Varints.writeVarint(record, pos, Integer.MAX_VALUE);
        byte[] payload = java.util.Arrays.copyOf(record, 21);
        assertThatThrownBy(() -> Batches.drain(Batches.rawBatch(CompressionType.NONE, 1, payload)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("key");

        byte[] headers = {28, 0, 0, 0, 2, 'k', 2, 'v', (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 0, 0};
        assertThatThrownBy(() -> Batches.drain(Batches.rawBatch(CompressionType.NONE, 1, headers)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("header count");

        byte[] longVarint = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01, 0, 0, 0, 0};
        assertThatThrownBy(() -> Batches.drain(Batches.rawBatch(CompressionType.NONE, 1, longVarint)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("varint");
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void decompressionStopsAtTheConfiguredBound(CompressionType codec) {
        // 4 MiB of zeros compresses to a few KiB: the bound, not the compressed size, must stop it.
        ByteBuffer bomb = new RecordBatchBuilder(codec).append(0L, null, new byte[4 << 20]).build();
        assertThat(bomb.remaining()).isLessThan(300_000);

        RecordBatch view = new RecordBatch(bomb, 0);
        assertThatThrownBy(() -> new RecordReader(1 << 20).records(view))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("limit");
        assertThat(new RecordReader().records(view).next().valueSize()).isEqualTo(4 << 20);
    }

    @Test
    void unknownCodecAndWrongMagicAreCorrupt() {
        ByteBuffer unknownCodec = Batches.rawBatch(CompressionType.NONE, 1, new byte[10]);
        unknownCodec.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 6);
        Batches.fixCrc(unknownCodec);
        assertThatThrownBy(() -> new RecordReader().records(new RecordBatch(unknownCodec, 0)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("codec");

        ByteBuffer magic1 = batch(CompressionType.NONE);
        magic1.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        assertThatThrownBy(() -> new RecordReader().records(new RecordBatch(magic1, 0)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> RecordBatches.over(magic1).hasNext())
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("magic");
    }
}
