package io.fjord.produce;

import static io.fjord.produce.TestLogs.TIMESTAMP;
import static io.fjord.produce.TestLogs.batch;
import static io.fjord.produce.TestLogs.partition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.log.LogConfig;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionConfig;
import io.fjord.record.CompressionType;
import io.fjord.record.TimestampType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deduplication after a restart, clean (snapshot at close) or not (snapshot at a roll plus replay, or replay alone). */
class ProducerStateRestartTest {
    private static final long NOW = TIMESTAMP + 1000;
    private static final long PID = 31;

    @TempDir
    Path dir;
    private final LeaderAppender appender = new LeaderAppender(TimestampLimits.KAFKA_DEFAULTS);
    private final List<Partition> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(Partition::close);
    }

    private Partition open(PartitionConfig config) {
        Partition partition = partition(dir, config);
        open.add(partition);
        return partition;
    }

    private long append(Partition partition, int seq) {
        AppendResult result = appender.append(partition, batch(CompressionType.LZ4, 2, PID, (short) 0, seq), (short) -1,
                (short) 13, NOW);
        assertThat(result.error()).isEqualTo(io.fjord.protocol.Errors.NONE);
        return result.baseOffset();
    }

    private Path partitionDir() {
        return dir.resolve("t-0");
    }

    @Test
    void aCleanShutdownLeavesASnapshotAtTheLogEnd() {
        Partition first = partition(dir);
        for (int seq = 0; seq < 10; seq += 2) {
            append(first, seq);
        }
        first.close();
        assertThat(partitionDir().resolve(String.format("%020d.snapshot", 10))).exists();

        Partition second = open(PartitionConfig.defaults());
        assertThat(second.producerState().entry(PID).lastSeq()).isEqualTo(9);
        assertThat(append(second, 6)).as("a retry of the fourth batch").isEqualTo(6);
        assertThat(append(second, 10)).isEqualTo(10);
        assertThat(second.logEndOffset()).isEqualTo(12);
    }

    @Test
    void aCrashWithoutSnapshotsReplaysTheWholeLog() {
        Partition crashed = partition(dir);
        for (int seq = 0; seq < 10; seq += 2) {
            append(crashed, seq);
        }
        // Not closed: no snapshot, no clean shutdown marker, as after kill -9.
        Partition reopened = open(PartitionConfig.defaults());
        assertThat(reopened.log().recoveryReport()).isNotNull();
        assertThat(append(reopened, 8)).isEqualTo(8);
        assertThat(reopened.logEndOffset()).isEqualTo(10);
        assertThat(reopened.producerState().check(PID, (short) 0, 11, 11).error())
                .isEqualTo(io.fjord.protocol.Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void aCrashAfterRollsReplaysFromTheNewestSnapshot() throws Exception {
        // Small segments: every append rolls, and every roll snapshots (in the background).
        PartitionConfig small = new PartitionConfig(LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 200), null,
                PartitionConfig.DEFAULT_MAX_MESSAGE_BYTES, TimestampType.CREATE_TIME, 1);
        Partition crashed = partition(dir, small);
        for (int seq = 0; seq < 16; seq += 2) {
            append(crashed, seq);
        }
        assertThat(crashed.log().segmentCount()).isGreaterThan(3);
        awaitSnapshots();
        List<Path> snapshots = SnapshotFile.list(partitionDir());
        assertThat(snapshots).hasSizeBetween(1, 2);
        assertThat(SnapshotFile.offsetOf(snapshots.get(0))).isLessThanOrEqualTo(16);

        Partition reopened = open(small);
        assertThat(reopened.producerState().entry(PID).batchCount()).isEqualTo(5);
        for (int seq = 6; seq < 16; seq += 2) {
            assertThat(append(reopened, seq)).as("retry of sequence %d", seq).isEqualTo(seq);
        }
        assertThat(reopened.logEndOffset()).isEqualTo(16);
    }

    @Test
    void aSnapshotBeyondTheLogEndIsDeleted() throws Exception {
        Partition first = partition(dir);
        append(first, 0);
        first.close();
        // As if a crash had taken back batches a snapshot already described.
        Files.copy(SnapshotFile.path(partitionDir(), 2), SnapshotFile.path(partitionDir(), 50));

        Partition reopened = open(PartitionConfig.defaults());
        assertThat(SnapshotFile.path(partitionDir(), 50)).doesNotExist();
        assertThat(append(reopened, 0)).isEqualTo(0);
    }

    private void awaitSnapshots() throws Exception {
        // The writer is one background thread: a task queued after ours runs after them.
        SnapshotWriter.executor().submit(() -> { }).get();
    }
}
