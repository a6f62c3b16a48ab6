package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After an fsync fails, a later fsync that "succeeds" proves nothing (Linux reports a writeback error once,
 * then marks the pages clean), so the log must never again call the unflushed offsets durable, must take no
 * more appends, and must not leave a clean-shutdown marker; reopening recovers it.
 */
class FlushFailureTest {
    @TempDir
    Path dir;

    private final Random random = new Random(5);

    private ByteBuffer batch(long baseOffset) {
        return ByteBuffer.wrap(TestBatches.withBaseOffset(TestBatches.batch(0, 3, 20, 1_000L, random), baseOffset));
    }

    @Test
    void afterAFailedFsyncNothingBecomesDurableAndAppendsAreRefusedUntilTheLogIsReopened() throws Exception {
        Log log = Log.open(dir, LogConfig.defaults());
        log.append(batch(0));
        log.flush();
        log.append(batch(3));
        CompletableFuture<Long> waiting = log.flushedFuture(5);

        log.injectFlushFault(new IOException("Input/output error"));
        assertThatThrownBy(log::flush).isInstanceOf(LogStorageException.class).hasMessageContaining("Input/output error");
        assertThat(waiting).isCompletedExceptionally();
        assertThat(log.flushFailed()).isTrue();

        // The next fsync would report no error; the log must not take it as proof.
        assertThatThrownBy(log::flush).isInstanceOf(LogStorageException.class);
        assertThat(log.recoveryPoint()).isEqualTo(3);
        assertThat(log.flushedFuture(5)).as("a retry's wait for the same offsets").isCompletedExceptionally();
        assertThat(log.flushedFuture(2)).as("what was durable before stays so").isCompletedWithValue(3L);
        assertThat(log.hasUnflushed()).as("the flusher leaves it alone").isFalse();
        assertThatThrownBy(() -> log.append(batch(6))).isInstanceOf(LogStorageException.class)
                .hasMessageContaining("fsync failed");
        assertThat(log.logEndOffset()).isEqualTo(6);
        log.close();

        try (Log reopened = Log.open(dir, LogConfig.defaults())) {
            assertThat(reopened.recoveryReport().cleanShutdown()).as("no clean-shutdown marker was left").isFalse();
            assertThat(reopened.logEndOffset()).isEqualTo(6);
            assertThat(reopened.flushFailed()).isFalse();
            reopened.append(batch(6));
            reopened.flush();
            assertThat(reopened.recoveryPoint()).isEqualTo(9);
        }
    }
}
