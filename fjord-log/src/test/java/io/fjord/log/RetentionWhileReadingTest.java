package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slices stay readable while retention, log start moves and truncation remove their segments. */
class RetentionWhileReadingTest {
    private static final LogConfig CONFIG = LogConfig.defaults()
            .with(LogConfig.SEGMENT_BYTES_CONFIG, 2048)
            .with(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 200)
            .with(LogConfig.RETENTION_BYTES_CONFIG, 4096)
            .with(LogConfig.RETENTION_MS_CONFIG, -1);

    @TempDir
    Path dir;

    @Test
    void heldSliceOutlivesItsDeletedSegment() throws Exception {
        Random random = new Random(7);
        try (Log log = Log.open(dir, CONFIG)) {
            for (int i = 0; i < 40; i++) {
                log.appendAsLeader(ByteBuffer.wrap(TestBatches.batch(0, 1, 150, i, random)));
            }
            assertThat(log.segmentCount()).isGreaterThan(3);
            LogSlice slice = log.read(0, 1 << 20, true);
            byte[] before = LogChecks.bytes(slice);
            Path firstSegment = log.segments().getFirst().logFile();

            assertThat(log.deleteRetentionSegments(System.currentTimeMillis())).isPositive();
            assertThat(log.logStartOffset()).isPositive();
            assertThat(firstSegment).doesNotExist();
            Path renamed = firstSegment.resolveSibling(firstSegment.getFileName() + ".deleted");
            assertThat(renamed).exists();
            assertThatThrownBy(() -> log.read(0, 100, true)).isInstanceOf(OffsetOutOfRangeException.class);

            assertThat(LogChecks.bytes(slice)).isEqualTo(before);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            slice.transferTo(Channels.newChannel(sent));
            assertThat(sent.toByteArray()).isEqualTo(before);
            slice.retain();
            slice.release();
            assertThat(renamed).as("still held once").exists();
            slice.release();
            assertThat(renamed).doesNotExist();
            assertThatThrownBy(slice::release).isInstanceOf(IllegalStateException.class);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.filter(p -> p.toString().endsWith(".deleted"))).isEmpty();
            }
        }
    }

    @Test
    void concurrentReadersNeverSeeBrokenData() throws Exception {
        Random random = new Random(11);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Log log = Log.open(dir, CONFIG)) {
            Thread reader = new Thread(() -> {
                Random r = new Random(12);
                ArrayDeque<Object[]> held = new ArrayDeque<>();
                long reads = 0;
                try {
                    while (!stop.get()) {
                        long start = log.logStartOffset();
                        long end = log.logEndOffset();
                        long offset = start + (long) (r.nextDouble() * (end - start + 1));
                        LogSlice slice;
                        try {
                            slice = log.read(Math.min(offset, end), r.nextInt(3000), r.nextBoolean());
                        } catch (OffsetOutOfRangeException e) {
                            continue; // the log start moved under us
                        }
                        byte[] bytes = LogChecks.bytes(slice);
                        checkBatches(bytes, offset);
                        held.add(new Object[] {slice, bytes});
                        if (held.size() > 8) {
                            Object[] oldest = held.poll();
                            // Still the same bytes although the segment may be gone by now.
                            assertThat(LogChecks.bytes((LogSlice) oldest[0])).isEqualTo((byte[]) oldest[1]);
                            ((LogSlice) oldest[0]).release();
                        }
                        reads++;
                    }
                    held.forEach(h -> ((LogSlice) h[0]).release());
                    assertThat(reads).isPositive();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            long deadline = System.nanoTime() + 2_000_000_000L;
            int round = 0;
            while (System.nanoTime() < deadline && failure.get() == null) {
                log.appendAsLeader(ByteBuffer.wrap(TestBatches.batch(0, 1 + random.nextInt(3), random.nextInt(300),
                        round, random)));
                if (++round % 20 == 0) {
                    log.deleteRetentionSegments(System.currentTimeMillis());
                }
                if (round % 97 == 0) {
                    log.deleteRecordsBefore(log.logEndOffset() - random.nextInt(10));
                }
            }
            stop.set(true);
            reader.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".deleted"))).as("released segments are gone").isEmpty();
        }
    }

    private static void checkBatches(byte[] bytes, long offset) {
        List<byte[]> batches = TestBatches.split(ByteBuffer.wrap(bytes));
        long next = -1;
        for (byte[] batch : batches) {
            assertThat(TestBatches.crcValid(batch)).isTrue();
            if (next < 0) {
                assertThat(TestBatches.lastOffset(batch)).isGreaterThanOrEqualTo(offset);
                assertThat(TestBatches.baseOffset(batch)).isLessThanOrEqualTo(offset);
            } else {
                assertThat(TestBatches.baseOffset(batch)).isEqualTo(next);
            }
            next = TestBatches.lastOffset(batch) + 1;
        }
    }
}
