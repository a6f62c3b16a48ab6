package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Random records in every codec survive Fjord's builder and reader, and agree with kafka-clients. */
class RecordRoundTripTest {

    @Property(tries = 300)
    void recordsRoundTripThroughBuilderAndReader(@ForAll("specs") BatchSpec spec,
            @ForAll("records") List<RecordInput> records) {
        List<RecordData> expected = Batches.expected(spec, records);
        ByteBuffer ours = Batches.fjordBuild(spec, records);

        assertThat(new RecordBatch(ours, 0).isValid()).isTrue();
        assertThat(Batches.fjordRead(ours)).isEqualTo(expected);
        assertThat(Batches.kafkaRead(ours)).isEqualTo(expected);
        assertThat(Batches.fjordRead(Batches.kafkaBuild(spec, records))).isEqualTo(expected);
    }

    @Provide
    Arbitrary<BatchSpec> specs() {
        Arbitrary<CompressionType> codecs = Arbitraries.of(CompressionType.class);
        Arbitrary<Long> baseOffsets = Arbitraries.longs().between(0, 1L << 40);
        Arbitrary<Long> appendTimes = Arbitraries.longs().between(0, 4_000_000_000_000L).injectNull(0.7);
        return Combinators.combine(codecs, baseOffsets, appendTimes).as((codec, base, appendTime) -> {
            BatchSpec spec = BatchSpec.plain(codec).baseOffset(base);
            return appendTime == null ? spec : spec.logAppendTime(appendTime);
        });
    }

    @Provide
    Arbitrary<List<RecordInput>> records() {
        Arbitrary<Long> timestamps = Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.longs().between(0, 4_000_000_000_000L)),
                Tuple.of(1, Arbitraries.just(RecordBatch.NO_TIMESTAMP)));
        Arbitrary<List<Header>> headers = Combinators.combine(strings(), bytes()).as(Header::of).list().ofMaxSize(4);
        return Combinators.combine(timestamps, bytes(), bytes(), headers)
                .as((ts, key, value, hs) -> new RecordInput(null, ts, key, value, hs))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        // Large, repetitive values cross codec block boundaries (32 KiB snappy, 64 KiB lz4).
        Arbitrary<byte[]> large = Arbitraries.integers().between(30_000, 140_000)
                .map(n -> {
                    byte[] b = new byte[n];
                    for (int i = 0; i < n; i++) {
                        b[i] = (byte) (i % 251 ^ i / 7);
                    }
                    return b;
                });
        return Arbitraries.frequencyOf(Tuple.of(30, small), Tuple.of(1, large)).injectNull(0.15);
    }

    /** Any Unicode text, multi-byte and supplementary characters included, but no lone surrogates. */
    private static Arbitrary<String> strings() {
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0, 0x7F);
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF);
        return Arbitraries.oneOf(ascii, any).list().ofMaxSize(12).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }
}
