package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled task applies retention to every log it is given and checkpoints the moved log start. */
class LogRetentionTest {
    @TempDir
    Path dir;

    @Test
    void scheduledRunsDeleteExpiredSegmentsOfEveryLog() throws Exception {
        LogConfig config = LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 600)
                .with(LogConfig.RETENTION_MS_CONFIG, 10_000);
        Random random = new Random(9);
        long[] now = {100_000};
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Log a = Log.open(dir.resolve("a-0"), config); Log b = Log.open(dir.resolve("b-0"), config)) {
            for (Log log : List.of(a, b)) {
                for (int i = 0; i < 6; i++) {
                    log.appendAsLeader(ByteBuffer.wrap(TestBatches.batch(0, 1, 400, 1_000 + i, random)));
                }
                assertThat(log.segmentCount()).isEqualTo(6);
            }
            LogRetention retention = new LogRetention(() -> List.of(a, b), () -> now[0]);
            try (retention) {
                retention.schedule(scheduler, 20);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (a.segmentCount() > 1 || b.segmentCount() > 1) {
                    assertThat(System.nanoTime()).as("retention ran").isLessThan(deadline);
                    Thread.sleep(10);
                }
            }
            assertThat(a.logStartOffset()).isEqualTo(5);
            assertThat(Files.readAllLines(dir.resolve("a-0").resolve(Log.LOG_START_OFFSET_CHECKPOINT)))
                    .containsExactly("0", "1", "a-0 5");
            assertThat(retention.runOnce()).isZero();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
