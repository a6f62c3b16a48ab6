package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new log skips the checkpoints and fsyncs an existing log needs on open; what it leaves behind
 * must still open as the same log, cleanly or after a crash, and its first flush must still make
 * what it covers durable.
 */
class LogCreateTest {
    @TempDir
    Path parent;

    private final Random random = new Random(11);

    private byte[] batch(long baseOffset) {
        return TestBatches.withBaseOffset(TestBatches.batch(0, 3, 20, 1_000L, random), baseOffset);
    }

    @Test
    void aCreatedLogIsEmptyWritesNoCheckpointsAndReopensWithItsRecords() throws Exception {
        Path dir = Files.createDirectory(parent.resolve("t-0"));
        try (Log log = Log.create(dir, LogConfig.defaults(), null)) {
            assertThat(log.created()).isTrue();
            assertThat(log.logStartOffset()).isZero();
            assertThat(log.logEndOffset()).isZero();
            assertThat(dir.resolve(Log.RECOVERY_POINT_CHECKPOINT)).doesNotExist();
            assertThat(dir.resolve(Log.LOG_START_OFFSET_CHECKPOINT)).doesNotExist();
            log.append(ByteBuffer.wrap(batch(0)));
            log.flush();
            assertThat(log.recoveryPoint()).isEqualTo(3);
        }
        try (Log reopened = Log.open(dir, LogConfig.defaults())) {
            assertThat(reopened.created()).isFalse();
            assertThat(reopened.recoveryReport().cleanShutdown()).isTrue();
            assertThat(reopened.logEndOffset()).isEqualTo(3);
            assertThat(reopened.recoveryPoint()).isEqualTo(3);
        }
    }

    @Test
    void aCreatedLogLeftWithoutCloseReopensAndTakesAppends() {
        Path dir = parent.resolve("t-1");
        Log crashed = Log.open(dir, LogConfig.defaults());
        assertThat(crashed.created()).as("an empty directory is a new log").isTrue();
        crashed.append(ByteBuffer.wrap(batch(0)));
        // Not closed: no clean shutdown marker and no checkpoints, as after kill -9.
        try (Log reopened = Log.open(dir, LogConfig.defaults())) {
            assertThat(reopened.created()).isFalse();
            assertThat(reopened.recoveryReport().cleanShutdown()).isFalse();
            assertThat(reopened.logEndOffset()).isEqualTo(3);
            reopened.append(ByteBuffer.wrap(batch(3)));
            assertThat(reopened.logEndOffset()).isEqualTo(6);
        } finally {
            crashed.abandon();
        }
    }

    @Test
    void creatingWhereASegmentExistsFails() throws Exception {
        Path dir = Files.createDirectory(parent.resolve("t-2"));
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            log.append(ByteBuffer.wrap(batch(0)));
        }
        assertThatThrownBy(() -> Log.create(dir, LogConfig.defaults(), null)).isInstanceOf(LogStorageException.class);
        try (Log reopened = Log.open(dir, LogConfig.defaults())) {
            assertThat(reopened.logEndOffset()).isEqualTo(3);
        }
    }
}
