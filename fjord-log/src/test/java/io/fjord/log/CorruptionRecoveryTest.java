package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage found at open: a flipped byte in the middle of a segment past the recovery point is detected,
 * reported (in the {@link RecoveryReport} and at WARN) with its file and the position of the batch it hit,
 * and everything from that batch on is cut; nothing served afterwards fails its CRC. Damaged indexes and
 * checkpoints are rebuilt or ignored rather than trusted.
 */
class CorruptionRecoveryTest {
    private static final LogConfig CONFIG = LogConfig.defaults()
            .with(LogConfig.SEGMENT_BYTES_CONFIG, 4096)
            .with(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 256);

    @TempDir
    Path dir;

    private final Random random = new Random(42);

    /** Appends {@code count} batches; returns them with their final offsets. */
    private List<byte[]> appendBatches(Log log, int count) {
        List<byte[]> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteBuffer batch = ByteBuffer.wrap(TestBatches.batch(0, 1 + random.nextInt(3), 40 + random.nextInt(150),
                    1000 + i, random));
            log.appendAsLeader(batch);
            appended.add(batch.array());
        }
        return appended;
    }

    @Test
    void flippedByteInTheMiddleOfASegmentIsCutAndReported() throws IOException {
        Log log = Log.open(dir, CONFIG);
        appendBatches(log, 30);
        log.flush();
        long recoveryPoint = log.recoveryPoint();
        appendBatches(log, 120);
        List<LogSegment> segments = log.segments();
        assertThat(segments.size()).isGreaterThan(4);
        // A segment wholly after the recovery point, and a batch in the middle of it.
        LogSegment victim = segments.stream().filter(s -> s.baseOffset() > recoveryPoint).skip(1).findFirst()
                .orElseThrow();
        Path victimFile = victim.logFile();
        List<LogChecks.ScannedBatch> batches = LogChecks.scan(victim);
        LogChecks.ScannedBatch hit = batches.get(batches.size() / 2);
        long flipAt = hit.position() + 30 + random.nextInt(hit.bytes().length - 30);
        long segmentsAfter = segments.stream().filter(s -> s.baseOffset() > victim.baseOffset()).count();
        log.abandon();
        flipByte(victimFile, flipAt);

        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        Log reopened;
        try {
            reopened = Log.open(dir, CONFIG);
        } finally {
            System.setErr(original);
        }
        try {
            RecoveryReport report = reopened.recoveryReport();
            assertThat(report.cleanShutdown()).isFalse();
            RecoveryReport.Truncation cut = report.truncations().getFirst();
            assertThat(cut.file()).isEqualTo(victimFile);
            assertThat(cut.position()).isEqualTo(hit.position());
            assertThat(cut.reason()).contains("CRC");
            assertThat(report.truncations()).hasSize(1 + (int) segmentsAfter);
            assertThat(stderr.toString(StandardCharsets.UTF_8))
                    .contains("WARN")
                    .contains(victimFile.toString())
                    .contains("position " + hit.position());

            assertThat(reopened.logEndOffset()).isEqualTo(hit.baseOffset());
            assertThat(reopened.recoveryPoint()).isEqualTo(hit.baseOffset());
            assertAllServedBatchesAreValid(reopened);
            LogAppendInfo next = reopened.appendAsLeader(ByteBuffer.wrap(TestBatches.batch(0, 1, 10, 5000, random)));
            assertThat(next.firstOffset()).isEqualTo(hit.baseOffset());
        } finally {
            reopened.close();
        }
    }

    @Test
    void corruptLengthFieldIsCutAtThatBatch() throws IOException {
        Log log = Log.open(dir, CONFIG);
        appendBatches(log, 20);
        LogSegment active = log.segments().getLast();
        List<LogChecks.ScannedBatch> batches = LogChecks.scan(active);
        LogChecks.ScannedBatch hit = batches.get(batches.size() / 2);
        Path file = active.logFile();
        log.abandon();
        flipByte(file, hit.position() + 8); // the high byte of batchLength

        try (Log reopened = Log.open(dir, CONFIG)) {
            RecoveryReport.Truncation cut = reopened.recoveryReport().truncations().getFirst();
            assertThat(cut.file()).isEqualTo(file);
            assertThat(cut.position()).isEqualTo(hit.position());
            assertThat(reopened.logEndOffset()).isEqualTo(hit.baseOffset());
            assertAllServedBatchesAreValid(reopened);
        }
    }

    @Test
    void garbageIndexAfterCleanShutdownIsRebuilt() throws IOException {
        Log log = Log.open(dir, CONFIG);
        List<byte[]> appended = appendBatches(log, 60);
        Path index = log.segments().getFirst().offsetIndex().file();
        log.close();
        byte[] garbage = new byte[Math.toIntExact(Files.size(index))];
        random.nextBytes(garbage);
        Files.write(index, garbage);

        try (Log reopened = Log.open(dir, CONFIG)) {
            assertThat(reopened.recoveryReport().cleanShutdown()).isTrue();
            assertThat(reopened.recoveryReport().rebuiltIndexes()).isNotEmpty();
            assertThat(reopened.recoveryReport().truncations()).isEmpty();
            for (LogSegment segment : reopened.segments()) {
                LogChecks.checkIndexes(segment, LogChecks.scan(segment));
            }
            for (byte[] batch : appended) {
                LogSlice slice = reopened.read(TestBatches.baseOffset(batch), 1, true);
                assertThat(LogChecks.bytes(slice)).isEqualTo(batch);
                slice.release();
            }
        }
    }

    @Test
    void unreadableCheckpointMeansRecoveringEverything() throws IOException {
        Log log = Log.open(dir, CONFIG);
        appendBatches(log, 40);
        long end = log.logEndOffset();
        log.flush();
        log.checkpointRecoveryPoint();
        log.abandon();
        Files.writeString(dir.resolve(Log.RECOVERY_POINT_CHECKPOINT), "not a checkpoint\n");

        try (Log reopened = Log.open(dir, CONFIG)) {
            assertThat(reopened.recoveryReport().recoveryPoint()).isZero();
            assertThat(reopened.recoveryReport().segmentsScanned()).isEqualTo(reopened.segmentCount());
            assertThat(reopened.logEndOffset()).isEqualTo(end);
        }
    }

    @Test
    void cleanShutdownTailThatDoesNotLineUpIsRecovered() throws IOException {
        Log log = Log.open(dir, CONFIG);
        appendBatches(log, 10);
        long end = log.logEndOffset();
        Path file = log.segments().getLast().logFile();
        log.close();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        try (Log reopened = Log.open(dir, CONFIG)) {
            assertThat(reopened.recoveryReport().truncations()).singleElement()
                    .satisfies(cut -> assertThat(cut.bytes()).isEqualTo(3));
            assertThat(reopened.logEndOffset()).isEqualTo(end);
        }
    }

    @Test
    void aCleanReopenLeavesCurrentCheckpointsAloneAndLaterOnesStillLand() throws IOException {
        Log log = Log.open(dir, CONFIG);
        appendBatches(log, 20);
        long end = log.logEndOffset();
        log.close();
        Path recoveryPoint = dir.resolve(Log.RECOVERY_POINT_CHECKPOINT);
        Path logStart = dir.resolve(Log.LOG_START_OFFSET_CHECKPOINT);
        Object recoveryPointFile = Files.readAttributes(recoveryPoint, BasicFileAttributes.class).fileKey();
        Object logStartFile = Files.readAttributes(logStart, BasicFileAttributes.class).fileKey();
        assertThat(recoveryPointFile).isNotNull();

        try (Log reopened = Log.open(dir, CONFIG)) {
            // A rewrite replaces the file (temp file, fsync, rename): the same file means it was not rewritten.
            assertThat(Files.readAttributes(recoveryPoint, BasicFileAttributes.class).fileKey()).isEqualTo(recoveryPointFile);
            assertThat(Files.readAttributes(logStart, BasicFileAttributes.class).fileKey()).isEqualTo(logStartFile);
            assertThat(reopened.recoveryPoint()).isEqualTo(end);
            appendBatches(reopened, 5);
            end = reopened.logEndOffset();
        }
        assertThat(new CheckpointFile(recoveryPoint).read()).containsEntry(dir.getFileName().toString(), end);
        try (Log again = Log.open(dir, CONFIG)) {
            assertThat(again.recoveryReport().cleanShutdown()).isTrue();
            assertThat(again.logEndOffset()).isEqualTo(end);
        }
    }

    @Test
    void aReopenAfterAnUncleanStopCheckpointsTheRecoveredEnd() throws IOException {
        Log log = Log.open(dir, CONFIG);
        appendBatches(log, 30);
        long end = log.logEndOffset();
        log.abandon();
        String name = dir.getFileName().toString();
        // Never checkpointed since it was created: no entry, which reads as 0.
        assertThat(new CheckpointFile(dir.resolve(Log.RECOVERY_POINT_CHECKPOINT)).read().getOrDefault(name, 0L)).isZero();
        try (Log reopened = Log.open(dir, CONFIG)) {
            assertThat(reopened.recoveryReport().cleanShutdown()).isFalse();
            assertThat(reopened.logEndOffset()).isEqualTo(end);
            assertThat(new CheckpointFile(dir.resolve(Log.RECOVERY_POINT_CHECKPOINT)).read()).containsEntry(name, end);
        }
    }

    private static void assertAllServedBatchesAreValid(Log log) {
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            LogSlice slice = log.read(offset, 1 << 20, true);
            try {
                List<byte[]> batches = TestBatches.split(ByteBuffer.wrap(LogChecks.bytes(slice)));
                assertThat(batches).isNotEmpty();
                for (byte[] batch : batches) {
                    assertThat(TestBatches.crcValid(batch)).as("batch at %d", TestBatches.baseOffset(batch)).isTrue();
                    offset = TestBatches.lastOffset(batch) + 1;
                }
            } finally {
                slice.release();
            }
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            channel.write(one.rewind(), position);
        }
    }
}
