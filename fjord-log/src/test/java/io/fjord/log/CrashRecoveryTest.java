package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.record.RecordBatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child process that appends with group-commit flushing ({@link CrashChild}) with SIGKILL at random
 * moments, round after round, sometimes also tearing or garbling the unflushed tail the way a power cut
 * would. After every kill the log is recovered here and must hold every batch the child reported flushed,
 * byte for byte; everything visible must be exactly what the child wrote, offsets dense from the log start
 * to the log end (so nothing after a torn point shows); and the next child must continue from that log end.
 * The seed is printed with any failure; rerun with {@code -Dfjord.crash.seed=N}.
 */
class CrashRecoveryTest {
    static final LogConfig CONFIG = LogConfig.defaults()
            .with(LogConfig.SEGMENT_BYTES_CONFIG, 128 * 1024)
            .with(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 1024)
            .with(LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 4096)
            .with(LogConfig.GROUP_COMMIT_CONFIG, true);
    private static final Pattern FLUSHED = Pattern.compile("F (\\d+) (\\d+) E");
    private static final Pattern READY = Pattern.compile("READY (\\d+)");
    /** Offsets kept below the log end between rounds; older ones are deleted so the test stays small. */
    private static final long KEEP = 3000;

    @TempDir
    Path temp;

    /** The batch the child appends at {@code baseOffset}: a pure function of the seed and the offset. */
    static byte[] expectedBatch(long seed, long baseOffset) {
        Random random = new Random(seed * 1_000_003L + baseOffset);
        int records = 1 + random.nextInt(5);
        int valueBytes = random.nextInt(10) == 0 ? random.nextInt(8000) : random.nextInt(400);
        return TestBatches.batch(baseOffset, records, valueBytes, 1_700_000_000_000L + baseOffset, random);
    }

    private record Round(long readyOffset, List<long[]> flushed) {
    }

    @Test
    void everyFlushedBatchSurvivesSigkill() throws Exception {
        long seed = Long.getLong("fjord.crash.seed", 20260401L);
        int rounds = Integer.getInteger("fjord.crash.rounds", 24);
        Random random = new Random(seed);
        Path dir = temp.resolve("crash-0");
        long expectedEnd = 0;
        for (int round = 0; round < rounds; round++) {
            try {
                expectedEnd = round(dir, seed, random, expectedEnd, round);
            } catch (Throwable t) {
                throw new AssertionError("crash test failed in round " + round + " with seed " + seed
                        + " (rerun with -Dfjord.crash.seed=" + seed + "): " + t.getMessage(), t);
            }
        }
    }

    private long round(Path dir, long seed, Random random, long expectedEnd, int round) throws Exception {
        Round result = runChildAndKill(dir, seed, random.nextInt(round % 4 == 0 ? 40 : 400), round);
        assertThat(result.readyOffset).as("child continues from the recovered log end").isEqualTo(expectedEnd);
        // Reports may be printed out of order (a future already durable completes on the appending thread),
        // but the recovery point is a prefix: the highest reported offset means everything below is durable.
        long lastFlushed = expectedEnd - 1;
        for (long[] batch : result.flushed) {
            assertThat(batch[0]).as("reported batches are new").isGreaterThanOrEqualTo(expectedEnd);
            lastFlushed = Math.max(lastFlushed, batch[1]);
        }

        int damage = random.nextInt(3);
        boolean damaged = damage > 0 && damageUnflushedTail(dir, lastFlushed, damage == 1, random);

        Log log = Log.open(dir, CONFIG);
        try {
            RecoveryReport report = log.recoveryReport();
            assertThat(report.cleanShutdown()).isFalse();
            if (damaged) {
                assertThat(report.truncations()).as("damage is reported").isNotEmpty();
            }
            assertThat(log.logEndOffset()).as("log end covers every flushed batch").isGreaterThan(lastFlushed);
            for (long[] batch : result.flushed) {
                assertThat(readBatchAt(log, batch[0])).as("flushed batch at %d", batch[0])
                        .isEqualTo(expectedBatch(seed, batch[0]));
            }
            verifyEverythingVisible(log, seed);
            long end = log.logEndOffset();
            if (end - log.logStartOffset() > KEEP) {
                log.deleteRecordsBefore(end - KEEP);
            }
            if (random.nextBoolean()) {
                log.close();
            } else {
                log.abandon();
            }
            return end;
        } catch (Throwable t) {
            log.abandon();
            throw t;
        }
    }

    private Round runChildAndKill(Path dir, long seed, int killAfterMs, int round) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path stderr = temp.resolve("child-" + round + ".err");
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(),
                Long.toString(seed))
                .redirectError(stderr.toFile())
                .start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.startsWith("READY")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the pipe breaks when the child dies
            }
        });
        reader.start();
        try {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("child never became ready; stderr: " + Files.readString(stderr));
            }
            Thread.sleep(killAfterMs);
            assertThat(child.isAlive()).as("child still running; stderr: %s", Files.readString(stderr)).isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor();
            reader.join();
        }
        long readyOffset = -1;
        List<long[]> flushed = new ArrayList<>();
        for (String line : lines) {
            Matcher f = FLUSHED.matcher(line);
            Matcher r = READY.matcher(line);
            if (f.matches()) {
                flushed.add(new long[] {Long.parseLong(f.group(1)), Long.parseLong(f.group(2))});
            } else if (r.matches()) {
                readyOffset = Long.parseLong(r.group(1));
            }
        }
        return new Round(readyOffset, flushed);
    }

    /**
     * Tears (cuts) or garbles the last segment after the end of the last flushed batch, as a crash before
     * the fsync may leave it. Returns whether anything was changed.
     */
    private static boolean damageUnflushedTail(Path dir, long lastFlushed, boolean tear, Random random)
            throws IOException {
        Path last;
        try (Stream<Path> files = Files.list(dir)) {
            last = files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().reduce((a, b) -> b)
                    .orElseThrow();
        }
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long flushedEnd = 0;
            ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
            for (long p = 0; p + RecordBatch.HEADER_SIZE <= size; ) {
                header.clear();
                channel.read(header, p);
                long batchLast = header.getLong(0) + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
                int batchSize = RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
                if (batchLast > lastFlushed || p + batchSize > size) {
                    break;
                }
                p += batchSize;
                flushedEnd = p;
            }
            if (tear) {
                if (flushedEnd >= size - 1) {
                    return false;
                }
                // Keep a partial batch: cut strictly inside the unflushed bytes.
                long cut = flushedEnd + 1 + (long) (random.nextDouble() * (size - flushedEnd - 1));
                channel.truncate(cut);
                return true;
            }
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            channel.write(ByteBuffer.wrap(garbage), size);
            return true;
        }
    }

    private static byte[] readBatchAt(Log log, long offset) {
        LogSlice slice = log.read(offset, 1, true);
        try {
            List<byte[]> batches = TestBatches.split(ByteBuffer.wrap(LogChecks.bytes(slice)));
            assertThat(batches).as("batch at %d", offset).hasSize(1);
            return batches.getFirst();
        } finally {
            slice.release();
        }
    }

    /** Every batch from the log start to the log end is one the child wrote, with dense offsets. */
    private static void verifyEverythingVisible(Log log, long seed) {
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        boolean first = true;
        while (offset < end) {
            LogSlice slice = log.read(offset, 1 << 20, true);
            try {
                List<byte[]> batches = TestBatches.split(ByteBuffer.wrap(LogChecks.bytes(slice)));
                assertThat(batches).as("read at %d of [%d, %d)", offset, log.logStartOffset(), end).isNotEmpty();
                for (byte[] batch : batches) {
                    long base = TestBatches.baseOffset(batch);
                    if (first) {
                        assertThat(base).isLessThanOrEqualTo(offset);
                        first = false;
                    } else {
                        assertThat(base).as("dense offsets").isEqualTo(offset);
                    }
                    assertThat(TestBatches.crcValid(batch)).isTrue();
                    assertThat(batch).as("batch at %d", base).isEqualTo(expectedBatch(seed, base));
                    offset = TestBatches.lastOffset(batch) + 1;
                }
            } finally {
                slice.release();
            }
        }
        assertThat(offset).isEqualTo(end);
    }
}
