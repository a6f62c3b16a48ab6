package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log keeps its leader epoch history: taken from batch headers on every append, trimmed by every
 * truncation and move of the log start, kept across reopens, rebuilt from the batches when the checkpoint is
 * missing or damaged, and trimmed after recovery cut a torn tail.
 */
class LogEpochTest {
    /** Three records per batch; the five batches carry epochs 0, 0, 2, 2, 5, so epochs start at 0, 6, 12. */
    private static final int[] EPOCHS = {0, 0, 2, 2, 5};
    private static final List<EpochEntry> HISTORY = List.of(new EpochEntry(0, 0), new EpochEntry(2, 6),
            new EpochEntry(5, 12));

    @TempDir
    Path dir;

    private final Random random = new Random(8);

    private byte[] batch(long baseOffset, int epoch) {
        byte[] batch = TestBatches.withBaseOffset(TestBatches.batch(0, 3, 30, 1_000L, random), baseOffset);
        return TestBatches.withLeaderEpoch(batch, epoch);
    }

    /** Appends the five batches of {@link #EPOCHS} as a follower does, with their own offsets. */
    private void appendHistory(Log log) {
        for (int i = 0; i < EPOCHS.length; i++) {
            log.append(ByteBuffer.wrap(batch(3L * i, EPOCHS[i])));
        }
        assertThat(log.logEndOffset()).isEqualTo(15);
    }

    private Path checkpoint() {
        return dir.resolve(LeaderEpochCache.FILE_NAME);
    }

    @Test
    void appendsRecordWhereEachEpochStartsAndAnswerOffsetForLeaderEpoch() throws IOException {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            assertThat(log.latestEpoch()).isEqualTo(-1);
            assertThat(log.endOffsetForEpoch(0)).isEqualTo(EpochEndOffset.UNDEFINED);
            appendHistory(log);
            assertThat(log.epochEntries()).isEqualTo(HISTORY);
            assertThat(log.latestEpoch()).isEqualTo(5);
            assertThat(Files.readAllLines(checkpoint())).containsExactly("0", "3", "0 0", "2 6", "5 12");

            assertThat(log.endOffsetForEpoch(0)).isEqualTo(new EpochEndOffset(0, 6));
            assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(0, 6));
            assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 12));
            assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(2, 12));
            assertThat(log.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(2, 12));
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 15));
            assertThat(log.endOffsetForEpoch(6)).isEqualTo(EpochEndOffset.UNDEFINED);
            assertThat(log.endOffsetForEpoch(-1)).isEqualTo(EpochEndOffset.UNDEFINED);
        }
    }

    @Test
    void leaderAppendsTakeEpochsFromTheirBatchesAtTheOffsetsTheyGet() {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            for (int epoch : EPOCHS) {
                log.appendAsLeader(ByteBuffer.wrap(batch(0, epoch)));
            }
            assertThat(log.epochEntries()).isEqualTo(HISTORY);
        }
    }

    @Test
    void severalNewEpochsInOneAppendAreAllRecorded() {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            List<byte[]> batches = new ArrayList<>();
            int[] epochs = {-1, 1, 1, 0, 4, 3, 4, 7};
            for (int i = 0; i < epochs.length; i++) {
                batches.add(batch(3L * i, epochs[i]));
            }
            log.append(TestBatches.concat(batches));
            assertThat(log.epochEntries()).as("no epoch (-1) and epochs below the latest add nothing")
                    .containsExactly(new EpochEntry(1, 3), new EpochEntry(4, 12), new EpochEntry(7, 21));
        }
    }

    @Test
    void batchesWithoutEpochsLeaveTheHistoryEmpty() throws IOException {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            log.append(ByteBuffer.wrap(batch(0, -1)));
            assertThat(log.epochEntries()).isEmpty();
            assertThat(log.latestEpoch()).isEqualTo(-1);
            assertThat(checkpoint()).doesNotExist();
        }
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            assertThat(log.epochEntries()).isEmpty();
            assertThat(Files.readAllLines(checkpoint())).as("written after the scan, so the next open skips it")
                    .containsExactly("0", "0");
        }
    }

    @Test
    void truncationInsideAnEpochDropsTheLaterEpochs() throws IOException {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            appendHistory(log);
            assertThat(log.truncateTo(9)).isTrue();
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 6));
            assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 9));
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(EpochEndOffset.UNDEFINED);
            assertThat(Files.readAllLines(checkpoint())).containsExactly("0", "2", "0 0", "2 6");

            // The follower then takes the new leader's records of a later epoch.
            log.append(ByteBuffer.wrap(batch(9, 6)));
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 6),
                    new EpochEntry(6, 9));

            assertThat(log.truncateTo(6)).isTrue();
            assertThat(log.epochEntries()).as("on an epoch boundary").containsExactly(new EpochEntry(0, 0));
        }
    }

    @Test
    void aNewLeaderRecordsItsEpochAtItsLogEnd() {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            appendHistory(log);
            log.assignEpochStartOffset(7, log.logEndOffset());
            assertThat(log.latestEpoch()).isEqualTo(7);
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 15));
            assertThat(log.endOffsetForEpoch(7)).isEqualTo(new EpochEndOffset(7, 15));

            log.appendAsLeader(ByteBuffer.wrap(batch(0, 7)));
            assertThat(log.epochEntries()).last().isEqualTo(new EpochEntry(7, 15));
            assertThat(log.endOffsetForEpoch(7)).isEqualTo(new EpochEndOffset(7, 18));
            log.assignEpochStartOffset(7, 18);
            assertThat(log.epochEntries()).as("an epoch keeps its start").last().isEqualTo(new EpochEntry(7, 15));

            assertThatThrownBy(() -> log.assignEpochStartOffset(8, 19)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("past the log end offset 18");
        }
    }

    @Test
    void movingTheLogStartMovesTheHistoryStart() {
        try (Log log = Log.open(dir, LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 300))) {
            appendHistory(log);
            assertThat(log.segmentCount()).as("one batch per segment").isEqualTo(5);
            log.deleteRecordsBefore(7);
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(2, 7), new EpochEntry(5, 12));

            // Retention by size down to the active segment: the log start becomes 12.
            log.updateConfig(log.config().with(LogConfig.RETENTION_BYTES_CONFIG, 1));
            assertThat(log.deleteRetentionSegments(System.currentTimeMillis())).isPositive();
            assertThat(log.logStartOffset()).isEqualTo(12);
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(5, 12));
        }
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(5, 12));
        }
    }

    @Test
    void fullTruncationEmptiesTheHistory() throws IOException {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            appendHistory(log);
            log.truncateFullyAndStartAt(100);
            assertThat(log.logStartOffset()).isEqualTo(100);
            assertThat(log.logEndOffset()).isEqualTo(100);
            assertThat(log.epochEntries()).isEmpty();
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(EpochEndOffset.UNDEFINED);
            assertThat(Files.readAllLines(checkpoint())).containsExactly("0", "0");
            log.append(ByteBuffer.wrap(batch(100, 6)));
        }
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            assertThat(log.logStartOffset()).isEqualTo(100);
            assertThat(log.logEndOffset()).isEqualTo(103);
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(6, 100));
        }
    }

    @Test
    void truncatingBelowTheLogStartEmptiesTheHistory() {
        try (Log log = Log.open(dir, LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 300))) {
            appendHistory(log);
            log.deleteRecordsBefore(9);
            log.truncateTo(3);
            assertThat(log.logEndOffset()).isEqualTo(3);
            assertThat(log.epochEntries()).isEmpty();
        }
    }

    @Test
    void reopeningKeepsTheHistory() {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            appendHistory(log);
        }
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            assertThat(log.epochEntries()).isEqualTo(HISTORY);
            assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(2, 12));
        }
    }

    @Test
    void aMissingCheckpointIsRebuiltFromTheBatches() throws IOException {
        try (Log log = Log.open(dir, LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 300))) {
            appendHistory(log);
            log.deleteRecordsBefore(8);
        }
        Files.delete(checkpoint());
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            assertThat(log.epochEntries()).as("rebuilt, and moved up to the log start 8")
                    .containsExactly(new EpochEntry(2, 8), new EpochEntry(5, 12));
            assertThat(Files.readAllLines(checkpoint())).containsExactly("0", "2", "2 8", "5 12");
        }
    }

    @Test
    void aDamagedCheckpointIsRebuiltFromTheBatches() throws IOException {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            appendHistory(log);
        }
        for (String damage : new String[] {"0\n3\n0 0\n2 6\n", "garbage", "0\n2\n5 0\n2 6\n", ""}) {
            Files.writeString(checkpoint(), damage);
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            PrintStream original = System.err;
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            Log log;
            try {
                log = Log.open(dir, LogConfig.defaults());
            } finally {
                System.setErr(original);
            }
            try (log) {
                assertThat(log.epochEntries()).as("after %s", damage).isEqualTo(HISTORY);
                assertThat(log.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(2, 12));
            }
            assertThat(stderr.toString(StandardCharsets.UTF_8)).as("the warning for %s", damage).contains("WARN")
                    .contains("damaged leader epoch checkpoint").contains(checkpoint().toString());
            assertThat(LeaderEpochCache.read(checkpoint()).entries()).isEqualTo(HISTORY);
        }
    }

    @Test
    void aCutTailAfterAnUncleanStopTakesItsEpochWithIt() throws IOException {
        Log crashed = Log.open(dir, LogConfig.defaults());
        appendHistory(crashed);
        crashed.abandon();
        // The last batch (epoch 5, offsets 12..14) was not fully on disk: tear it.
        Path segment = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10);
        }
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            assertThat(log.recoveryReport().cleanShutdown()).isFalse();
            assertThat(log.recoveryReport().truncations()).hasSize(1);
            assertThat(log.logEndOffset()).isEqualTo(12);
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 6));
            assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 12));
            assertThat(Files.readAllLines(checkpoint())).containsExactly("0", "2", "0 0", "2 6");

            log.append(ByteBuffer.wrap(batch(12, 6)));
            assertThat(log.epochEntries()).last().isEqualTo(new EpochEntry(6, 12));
        }
    }

    @Test
    void aCreatedLogWritesNoEpochCheckpointUntilItHasARecordOfAnEpoch() throws IOException {
        Path partition = Files.createDirectory(dir.resolve("t-0"));
        try (Log log = Log.create(partition, LogConfig.defaults(), null)) {
            assertThat(log.epochEntries()).isEmpty();
            assertThat(partition.resolve(LeaderEpochCache.FILE_NAME)).doesNotExist();
            log.assignEpochStartOffset(0, 0);
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(0, 0));
            assertThat(partition.resolve(LeaderEpochCache.FILE_NAME)).as("written with the epoch's first record").doesNotExist();
            log.append(ByteBuffer.wrap(batch(0, 0)));
            assertThat(Files.readAllLines(partition.resolve(LeaderEpochCache.FILE_NAME))).containsExactly("0", "1", "0 0");
        }
    }

    @Test
    void closedLogsRefuseEpochChanges() {
        Log log = Log.open(dir, LogConfig.defaults());
        log.close();
        assertThatThrownBy(() -> log.assignEpochStartOffset(1, 0)).isInstanceOf(LogClosedException.class);
        assertThatThrownBy(() -> log.truncateFullyAndStartAt(0)).isInstanceOf(LogClosedException.class);
    }

    /**
     * The race made certain: a new epoch is appended after the reader took the epochs and before it reads the
     * log end. The answer for the old latest epoch must end where the new one starts, not at the new log end.
     */
    @Test
    void anEpochAppendedWhileAnsweringIsNotCoveredByThePreviousOne() {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            appendHistory(log);
            AtomicBoolean appended = new AtomicBoolean();
            log.setEpochReadHook(() -> {
                if (appended.compareAndSet(false, true)) {
                    log.append(ByteBuffer.wrap(batch(15, 6)));
                }
            });
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 15));
            assertThat(appended).isTrue();
            assertThat(log.endOffsetForEpoch(6)).isEqualTo(new EpochEndOffset(6, 18));

            // And a truncation that removes the latest epoch while answering: the answer is after it.
            AtomicBoolean truncated = new AtomicBoolean();
            log.setEpochReadHook(() -> {
                if (truncated.compareAndSet(false, true)) {
                    log.truncateTo(9);
                }
            });
            EpochEndOffset answer = log.endOffsetForEpoch(6);
            assertThat(truncated).isTrue();
            assertThat(answer).as("epoch 6 is gone").isEqualTo(EpochEndOffset.UNDEFINED);
        }
    }

    /**
     * Readers ask without the lock while the writer appends one epoch after another (epoch k starts at
     * k * 10). Whatever the interleaving, an answer for epoch k must be epoch k ending inside [k*10, (k+1)*10]:
     * the latest epoch's end (the log end) must never reach into the records of the next one.
     */
    @Test
    void concurrentReadersGetConsistentAnswers() throws Exception {
        int epochs = 100;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Log log = Log.open(dir, LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 64 * 1024))) {
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Thread reader = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            int latest = log.latestEpoch();
                            int k = latest < 0 ? 0 : ThreadLocalRandom.current().nextInt(latest + 2);
                            EpochEndOffset answer = log.endOffsetForEpoch(k);
                            if (answer.isUndefined()) {
                                assertThat(k).as("only epochs not yet appended are unknown").isGreaterThan(latest);
                                continue;
                            }
                            assertThat(answer.epoch()).isEqualTo(k);
                            assertThat(answer.endOffset()).as("end of epoch %s", k)
                                    .isBetween(k * 10L, (k + 1) * 10L);
                            List<EpochEntry> entries = log.epochEntries();
                            for (int i = 0; i < entries.size(); i++) {
                                assertThat(entries.get(i)).isEqualTo(new EpochEntry(i, i * 10L));
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            byte[] template = TestBatches.batch(0, 1, 10, 1_000L, random);
            for (int k = 0; k < epochs && failure.get() == null; k++) {
                for (int i = 0; i < 10; i++) {
                    log.appendAsLeader(ByteBuffer.wrap(TestBatches.withLeaderEpoch(template, k)));
                }
            }
            stop.set(true);
            for (Thread reader : readers) {
                reader.join(30_000);
                assertThat(reader.isAlive()).isFalse();
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertThat(log.epochEntries()).hasSize(epochs);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }
}
