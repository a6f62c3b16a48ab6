package io.fjord.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random sequences of appends, reads, rolls (small segments and indexes), truncations, retention, log start
 * moves, flushes, new leader epochs and reopens, clean and unclean with damaged tails, run against
 * {@link LogModel}: after every step the files hold exactly the modelled batches with dense offsets, reads
 * return exactly those bytes, indexes agree with a full scan, log start <= recovery point <= log end, and the
 * leader epoch history (in memory and in its checkpoint) is what Kafka's rules make of the batches' epochs.
 */
class LogPropertiesTest {
    private static Path root;
    private static final AtomicLong RUNS = new AtomicLong();

    @BeforeContainer
    static void createRoot() throws IOException {
        root = Files.createTempDirectory("fjord-log-properties");
    }

    @AfterContainer
    static void deleteRoot() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Property(tries = 100, seed = "20260401")
    void everyOperationSequenceKeepsTheInvariants(@ForAll("chains") ActionChain<LogModel> chain) {
        LogModel model = chain.withInvariant("log matches model", LogModel::checkInvariants).run();
        model.close();
        Statistics.label("actions per chain").collect(chain.transformations().size() / 10 * 10);
        Statistics.label("most segments at once").collect(Math.min(model.segmentsSeen, 10));
    }

    @Provide
    Arbitrary<ActionChain<LogModel>> chains() {
        Arbitrary<LogConfig> configs = Combinators.combine(
                Arbitraries.integers().between(700, 4000),
                Arbitraries.integers().between(0, 1500),
                Arbitraries.integers().between(24, 240))
            .as((segmentBytes, indexInterval, indexBytes) -> LogConfig.defaults()
                    .with(LogConfig.SEGMENT_BYTES_CONFIG, segmentBytes)
                    .with(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, indexInterval)
                    .with(LogConfig.SEGMENT_INDEX_BYTES_CONFIG, indexBytes));
        Arbitrary<Tuple.Tuple2<LogConfig, Long>> setups = Combinators.combine(configs, Arbitraries.longs()).as(Tuple::of);
        return setups.flatMap(setup -> ActionChain.<LogModel>startWith(() -> {
                    Path dir = root.resolve("topic-" + RUNS.incrementAndGet());
                    return new LogModel(dir, setup.get1(), setup.get2());
                })
                .withAction(9, append())
                .withAction(4, read())
                .withAction(1, Action.just(Transformer.mutate("read out of range",
                        model -> model.readOutOfRange(model.random.nextBoolean()))))
                .withAction(1, Action.just(Transformer.mutate("new leader epoch",
                        model -> model.newLeaderEpoch(1 + model.random.nextInt(2)))))
                .withAction(1, truncate())
                .withAction(1, deleteRecords())
                .withAction(1, retention())
                .withAction(1, Action.just(Transformer.mutate("flush", LogModel::flush)))
                .withAction(2, offsetForTimestamp())
                .withAction(1, Action.just(Transformer.mutate("reopen clean", LogModel::reopenClean)))
                .withAction(2, reopenUnclean())
                .withMaxTransformations(40));
    }

    private static Action.Independent<LogModel> append() {
        return () -> {
            Arbitrary<LogModel.BatchSpec> specs = Combinators.combine(
                    Arbitraries.integers().between(1, 5),
                    Arbitraries.frequencyOf(
                            Tuple.of(8, Arbitraries.integers().between(0, 200)),
                            Tuple.of(1, Arbitraries.integers().between(200, 1200))),
                    Arbitraries.integers().between(-300, 300),
                    Arbitraries.of(false, false, false, false, false, false, false, true))
                .as(LogModel.BatchSpec::new);
            return Combinators.combine(specs.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false))
                    .as((list, leader) -> Transformer.mutate(
                            (leader ? "appendAsLeader " : "append ") + list,
                            model -> model.append(list, leader)));
        };
    }

    private static Action.Independent<LogModel> read() {
        return () -> Combinators.combine(
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 5000),
                Arbitraries.of(true, false),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.of(true, false, false))
            .as((start, maxBytes, minOne, maxFraction, bounded) -> Transformer.mutate(
                    "read " + start + " max " + maxBytes + " minOne " + minOne + " bound " + (bounded ? maxFraction : "-"),
                    model -> model.read(start, maxBytes, minOne, maxFraction, bounded)));
    }

    private static Action.Independent<LogModel> truncate() {
        return () -> Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.of(false, false, false, true))
            .as((fraction, below) -> Transformer.mutate("truncate " + fraction + (below ? " below start" : ""),
                    model -> model.truncate(fraction, below)));
    }

    private static Action.Independent<LogModel> deleteRecords() {
        return () -> Arbitraries.doubles().between(0, 1)
            .map(fraction -> Transformer.mutate("deleteRecordsBefore " + fraction,
                    model -> model.deleteRecords(fraction)));
    }

    private static Action.Independent<LogModel> retention() {
        return () -> Arbitraries.oneOf(
                Arbitraries.longs().between(0, 20_000).map(limit -> Transformer.<LogModel>mutate(
                        "retention.bytes " + limit, model -> model.retentionBytes(limit))),
                Arbitraries.longs().between(0, 3_000).map(ms -> Transformer.<LogModel>mutate(
                        "retention.ms " + ms, model -> model.retentionMs(ms))));
    }

    private static Action.Independent<LogModel> offsetForTimestamp() {
        return () -> Arbitraries.integers().between(-5_000, 500)
            .map(delta -> Transformer.mutate("offsetForTimestamp now" + delta,
                    model -> model.offsetForTimestamp(delta)));
    }

    private static Action.Independent<LogModel> reopenUnclean() {
        return () -> Arbitraries.of(LogModel.Damage.class)
            .map(damage -> Transformer.mutate("reopen unclean " + damage, model -> model.reopenUnclean(damage)));
    }
}
