package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flush policies, group commit, flushed futures and the recovery point checkpoint. */
class FlushTest {
    @TempDir
    Path dir;

    private final Random random = new Random(3);
    private final List<LogFlusher> flushers = new ArrayList<>();

    @AfterEach
    void stopFlushers() {
        for (LogFlusher flusher : flushers) {
            flusher.close();
        }
    }

    private LogFlusher flusher(long checkpointIntervalMs) {
        LogFlusher flusher = new LogFlusher("test-flusher", checkpointIntervalMs, System::currentTimeMillis);
        flushers.add(flusher);
        return flusher;
    }

    private LogAppendInfo appendOne(Log log) {
        return log.appendAsLeader(ByteBuffer.wrap(TestBatches.batch(0, 1, 100, 1, random)));
    }

    @Test
    void groupCommitSharesFsyncsAmongAppends() {
        LogFlusher flusher = flusher(60_000);
        LogConfig config = LogConfig.defaults().with(LogConfig.GROUP_COMMIT_CONFIG, true)
                .with(LogConfig.SEGMENT_BYTES_CONFIG, 64 * 1024);
        try (Log log = Log.open(dir, config, flusher)) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            int appends = 3000;
            for (int i = 0; i < appends; i++) {
                LogAppendInfo info = appendOne(log);
                futures.add(log.flushedFuture(info.lastOffset()));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
            for (int i = 0; i < appends; i++) {
                assertThat(futures.get(i).join()).isGreaterThan(i);
            }
            assertThat(log.recoveryPoint()).isEqualTo(appends);
            assertThat(flusher.flushCount()).as("fsync passes for %d appends", appends).isLessThan(appends / 2);
            assertThat(log.segmentCount()).as("rolled segments were flushed too").isGreaterThan(1);
        }
    }

    @Test
    void flushMessagesTriggersTheFlusher() throws InterruptedException {
        LogFlusher flusher = flusher(60_000);
        LogConfig config = LogConfig.defaults().with(LogConfig.FLUSH_MESSAGES_CONFIG, 50);
        try (Log log = Log.open(dir, config, flusher)) {
            for (int i = 0; i < 49; i++) {
                appendOne(log);
            }
            Thread.sleep(200);
            assertThat(log.recoveryPoint()).isZero();
            appendOne(log);
            awaitRecoveryPoint(log, 50);
        }
    }

    @Test
    void flushMsFlushesOnTheFlusherClock() {
        LogFlusher flusher = flusher(60_000);
        LogConfig config = LogConfig.defaults().with(LogConfig.FLUSH_MS_CONFIG, 100);
        try (Log log = Log.open(dir, config, flusher)) {
            for (int i = 0; i < 10; i++) {
                appendOne(log);
            }
            awaitRecoveryPoint(log, 10);
        }
    }

    @Test
    void withoutAFlusherFlushMessagesFlushesInline() {
        LogConfig config = LogConfig.defaults().with(LogConfig.FLUSH_MESSAGES_CONFIG, 10);
        try (Log log = Log.open(dir, config)) {
            for (int i = 0; i < 9; i++) {
                appendOne(log);
            }
            assertThat(log.recoveryPoint()).isZero();
            appendOne(log);
            assertThat(log.recoveryPoint()).isEqualTo(10);
        }
    }

    @Test
    void futuresWithoutAFlusherCompleteOnExplicitFlush() {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            LogAppendInfo info = appendOne(log);
            CompletableFuture<Long> future = log.flushedFuture(info.lastOffset());
            assertThat(future).isNotDone();
            log.flush();
            assertThat(future).isCompletedWithValue(1L);
            assertThat(log.flushedFuture(0)).isCompletedWithValue(1L);
        }
    }

    @Test
    void truncationFailsWaitersForTheDroppedOffsets() {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            appendOne(log);
            log.flush();
            LogAppendInfo dropped = appendOne(log);
            CompletableFuture<Long> future = log.flushedFuture(dropped.lastOffset());
            log.truncateTo(dropped.firstOffset());
            assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(LogTruncatedException.class);
        }
    }

    @Test
    void closeCompletesWaitersAndCheckpointsTheLogEnd() throws Exception {
        Log log = Log.open(dir, LogConfig.defaults());
        for (int i = 0; i < 5; i++) {
            appendOne(log);
        }
        CompletableFuture<Long> covered = log.flushedFuture(4);
        CompletableFuture<Long> beyond = log.flushedFuture(5);
        log.close();
        assertThat(covered).isCompletedWithValue(5L);
        assertThatThrownBy(beyond::join).hasCauseInstanceOf(LogClosedException.class);
        assertThat(Files.readAllLines(dir.resolve(Log.RECOVERY_POINT_CHECKPOINT)))
                .containsExactly("0", "1", dir.getFileName() + " 5");
        assertThat(dir.resolve(Log.CLEAN_SHUTDOWN_FILE)).exists();
        try (Log reopened = Log.open(dir, LogConfig.defaults())) {
            assertThat(reopened.recoveryReport().cleanShutdown()).isTrue();
            assertThat(dir.resolve(Log.CLEAN_SHUTDOWN_FILE)).as("marker removed while open").doesNotExist();
        }
    }

    @Test
    void flusherCheckpointsTheRecoveryPointPeriodically() throws Exception {
        LogFlusher flusher = flusher(50);
        try (Log log = Log.open(dir, LogConfig.defaults(), flusher)) {
            for (int i = 0; i < 7; i++) {
                appendOne(log);
            }
            log.flush();
            Path checkpoint = dir.resolve(Log.RECOVERY_POINT_CHECKPOINT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!new CheckpointFile(checkpoint).read().getOrDefault(dir.getFileName().toString(), -1L).equals(7L)) {
                assertThat(System.nanoTime()).as("checkpoint written in time").isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    private static void awaitRecoveryPoint(Log log, long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.recoveryPoint() < expected) {
            assertThat(System.nanoTime()).as("recovery point reaches %d", expected).isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(log.recoveryPoint()).isEqualTo(expected);
    }
}
