package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's contract at its edges: read limits, validation of appends, rolling rules, naming, concurrency. */
class LogTest {
    @TempDir
    Path dir;

    private final Random random = new Random(5);
    private long clock = 1_000_000;

    private byte[] batch(int records, int valueBytes, long timestamp) {
        return TestBatches.batch(0, records, valueBytes, timestamp, random);
    }

    @Test
    void readHonoursMaxBytesMinOneBatchAndMaxOffset() {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            List<byte[]> appended = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ByteBuffer b = ByteBuffer.wrap(batch(2, 100, i));
                log.appendAsLeader(b);
                appended.add(b.array());
            }
            int size = appended.getFirst().length;

            assertThat(log.read(0, size - 1, false)).isSameAs(LogSlice.EMPTY);
            LogSlice one = log.read(0, size - 1, true);
            assertThat(LogChecks.bytes(one)).isEqualTo(appended.get(0));
            one.release();

            LogSlice two = log.read(3, 2 * size + size / 2, false); // offset 3 lies inside the second batch
            assertThat(LogChecks.bytes(two)).isEqualTo(TestBatches.concat(appended.subList(1, 3)).array());
            two.release();

            LogSlice bounded = log.read(0, 1 << 20, true, 5); // offset 5 is inside the third batch: stop before it
            assertThat(bounded.length()).isEqualTo(2 * size);
            bounded.release();
            assertThat(log.read(4, 1 << 20, true, 5)).isSameAs(LogSlice.EMPTY);

            assertThat(log.read(10, 100, true)).isSameAs(LogSlice.EMPTY);
            assertThatThrownBy(() -> log.read(11, 100, true)).isInstanceOf(OffsetOutOfRangeException.class)
                    .satisfies(e -> assertThat(((OffsetOutOfRangeException) e).logEndOffset()).isEqualTo(10));
            assertThatThrownBy(() -> log.read(-1, 100, true)).isInstanceOf(OffsetOutOfRangeException.class);
        }
    }

    @Test
    void malformedAppendsAreRejectedWithoutWritingAnything() {
        try (Log log = Log.open(dir, LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 1000))) {
            log.appendAsLeader(ByteBuffer.wrap(batch(1, 10, 1)));
            long size = log.sizeInBytes();

            assertThatThrownBy(() -> log.append(ByteBuffer.allocate(100))).isInstanceOf(InvalidBatchException.class);
            byte[] good = batch(1, 10, 1);
            assertThatThrownBy(() -> log.append(ByteBuffer.wrap(Mapped.truncated(good))))
                    .isInstanceOf(InvalidBatchException.class);
            byte[] badMagic = good.clone();
            badMagic[RecordBatch.MAGIC_OFFSET] = 1;
            assertThatThrownBy(() -> log.appendAsLeader(ByteBuffer.wrap(badMagic)))
                    .isInstanceOf(InvalidBatchException.class).hasMessageContaining("magic");
            assertThatThrownBy(() -> log.append(ByteBuffer.wrap(TestBatches.withBaseOffset(good, 0))))
                    .isInstanceOf(InvalidBatchException.class).hasMessageContaining("below the next offset 1");
            assertThatThrownBy(() -> log.appendAsLeader(ByteBuffer.wrap(batch(1, 1200, 1))))
                    .isInstanceOf(RecordsTooLargeException.class);
            assertThat(log.sizeInBytes()).isEqualTo(size);
            assertThat(log.logEndOffset()).isEqualTo(1);
        }
    }

    @Test
    void followerAppendsMayLeaveGapsButNeverGoBack() {
        try (Log log = Log.open(dir, LogConfig.defaults())) {
            log.append(ByteBuffer.wrap(TestBatches.withBaseOffset(batch(2, 10, 1), 0)));
            log.append(ByteBuffer.wrap(TestBatches.withBaseOffset(batch(1, 10, 1), 10)));
            assertThat(log.logEndOffset()).isEqualTo(11);
            LogSlice slice = log.read(5, 1000, true); // in the gap: the next batch
            assertThat(TestBatches.baseOffset(LogChecks.bytes(slice))).isEqualTo(10);
            slice.release();
        }
    }

    @Test
    void segmentsRollOnSizeTimeAndFullIndexes() throws java.io.IOException {
        LogConfig config = LogConfig.defaults()
                .with(LogConfig.SEGMENT_BYTES_CONFIG, 1000)
                .with(LogConfig.SEGMENT_MS_CONFIG, 60_000)
                .with(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 0)
                .with(LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 8 * 4);
        try (Log log = Log.open(dir, config, null, () -> clock)) {
            log.appendAsLeader(ByteBuffer.wrap(batch(1, 600, 1000)));
            log.appendAsLeader(ByteBuffer.wrap(batch(1, 600, 1000)));
            assertThat(log.segmentCount()).as("size").isEqualTo(2);

            log.appendAsLeader(ByteBuffer.wrap(batch(1, 10, 1000)));
            log.appendAsLeader(ByteBuffer.wrap(batch(1, 10, 1000 + 60_001)));
            assertThat(log.segmentCount()).as("segment.ms by batch timestamps").isEqualTo(3);

            log.appendAsLeader(ByteBuffer.wrap(batch(1, 10, -1)));
            clock += 60_001;
            log.appendAsLeader(ByteBuffer.wrap(batch(1, 10, -1)));
            assertThat(log.segmentCount()).as("segment.ms by wall clock without timestamps").isEqualTo(4);

            for (int i = 0; i < 5; i++) {
                log.appendAsLeader(ByteBuffer.wrap(batch(1, 10, -1)));
            }
            assertThat(log.segmentCount()).as("full offset index (4 entries)").isEqualTo(5);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).sorted())
                    .containsExactly("00000000000000000000.log", "00000000000000000001.log",
                            "00000000000000000003.log", "00000000000000000005.log", "00000000000000000010.log");
        }
    }

    @Test
    void deleteRecordsToTheEndRollsAndDropsEverything() {
        try (Log log = Log.open(dir, LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 1000))) {
            for (int i = 0; i < 10; i++) {
                log.appendAsLeader(ByteBuffer.wrap(batch(1, 200, i)));
            }
            assertThat(log.deleteRecordsBefore(10)).isEqualTo(10);
            assertThat(log.segmentCount()).isEqualTo(1);
            assertThat(log.sizeInBytes()).isZero();
            assertThat(log.read(10, 100, true)).isSameAs(LogSlice.EMPTY);
            assertThat(log.appendAsLeader(ByteBuffer.wrap(batch(1, 1, 1))).firstOffset()).isEqualTo(10);
            assertThatThrownBy(() -> log.deleteRecordsBefore(12)).isInstanceOf(OffsetOutOfRangeException.class);
        }
        try (Log reopened = Log.open(dir, LogConfig.defaults())) {
            assertThat(reopened.logStartOffset()).isEqualTo(10);
            assertThat(reopened.logEndOffset()).isEqualTo(11);
        }
    }

    @Test
    void retentionByTimeUsesTheNewestTimestampOfEachSegment() {
        LogConfig config = LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 500)
                .with(LogConfig.RETENTION_MS_CONFIG, 1000);
        try (Log log = Log.open(dir, config)) {
            long[] timestamps = {100, 200, 5000, 300, 6000, 7000};
            for (long ts : timestamps) {
                log.appendAsLeader(ByteBuffer.wrap(batch(1, 400, ts))); // one batch per segment
            }
            assertThat(log.segmentCount()).isEqualTo(6);
            // At 6000 the first two are expired; the third (5000) is exactly 1000 ms old, which is not more than
            // retention.ms, so it stays and protects the fourth (300) behind it.
            assertThat(log.deleteRetentionSegments(6000)).isEqualTo(2);
            assertThat(log.logStartOffset()).isEqualTo(2);
            assertThat(log.deleteRetentionSegments(1_000_000)).as("never the active segment").isEqualTo(3);
            assertThat(log.deleteRetentionSegments(1_000_000, 0)).isZero();
        }
    }

    @Test
    void offsetForTimestampFindsTheFirstBatchReachingIt() {
        try (Log log = Log.open(dir, LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 800)
                .with(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 0))) {
            long[] timestamps = {10, 30, 20, 40, 40, 60, 50};
            for (long ts : timestamps) {
                log.appendAsLeader(ByteBuffer.wrap(batch(2, 200, ts)));
            }
            assertThat(log.offsetForTimestamp(0)).contains(new TimestampOffset(10, 0));
            assertThat(log.offsetForTimestamp(25)).contains(new TimestampOffset(30, 2));
            assertThat(log.offsetForTimestamp(40)).contains(new TimestampOffset(40, 6));
            assertThat(log.offsetForTimestamp(55)).contains(new TimestampOffset(60, 10));
            assertThat(log.offsetForTimestamp(61)).isEmpty();
            log.deleteRecordsBefore(7);
            assertThat(log.offsetForTimestamp(0)).contains(new TimestampOffset(40, 7));
        }
    }

    @Test
    void configKeysAndDefaultsAreKafkas() {
        LogConfig defaults = LogConfig.defaults();
        assertThat(defaults.segmentBytes()).isEqualTo(1 << 30);
        assertThat(defaults.segmentMs()).isEqualTo(604_800_000L);
        assertThat(defaults.segmentIndexBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(defaults.indexIntervalBytes()).isEqualTo(4096);
        assertThat(defaults.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(defaults.retentionMs()).isEqualTo(604_800_000L);
        assertThat(defaults.retentionBytes()).isEqualTo(-1);
        assertThat(defaults.fileDeleteDelayMs()).isEqualTo(60_000);
        LogConfig parsed = LogConfig.fromMap(Map.of("segment.bytes", "2048", "retention.ms", 5L, "flush.ms", "10",
                "fjord.flush.group.commit", "true", "cleanup.policy", "delete"));
        assertThat(parsed.segmentBytes()).isEqualTo(2048);
        assertThat(parsed.retentionMs()).isEqualTo(5);
        assertThat(parsed.flushMs()).isEqualTo(10);
        assertThat(parsed.groupCommit()).isTrue();
        assertThat(LogConfig.fromMap(parsed.toMap())).isEqualTo(parsed);
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("segment.bytes", "10")))
                .hasMessageContaining("segment.bytes");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("flush.messages", "x"))).hasMessageContaining("flush.messages");
    }

    @Test
    void readersRacingTheWriterSeeOnlyWholeBatches() throws Exception {
        LogConfig config = LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 8192)
                .with(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 300);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Log log = Log.open(dir, config)) {
            Runnable reader = () -> {
                Random r = new Random(Thread.currentThread().threadId());
                try {
                    while (!stop.get()) {
                        long end = log.logEndOffset();
                        long offset = (long) (r.nextDouble() * (end + 1));
                        LogSlice slice = log.read(offset, r.nextInt(5000), true);
                        long expected = -1;
                        for (byte[] batch : TestBatches.split(ByteBuffer.wrap(LogChecks.bytes(slice)))) {
                            assertThat(TestBatches.crcValid(batch)).isTrue();
                            if (expected >= 0) {
                                assertThat(TestBatches.baseOffset(batch)).isEqualTo(expected);
                            }
                            expected = TestBatches.lastOffset(batch) + 1;
                        }
                        slice.release();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            };
            Thread a = new Thread(reader);
            Thread b = new Thread(reader);
            a.start();
            b.start();
            for (int i = 0; i < 5000 && failure.get() == null; i++) {
                log.appendAsLeader(ByteBuffer.wrap(batch(1 + random.nextInt(4), random.nextInt(200), i)));
            }
            stop.set(true);
            a.join();
            b.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    /** Helpers for malformed inputs. */
    private static final class Mapped {
        static byte[] truncated(byte[] batch) {
            byte[] cut = new byte[batch.length - 1];
            System.arraycopy(batch, 0, cut, 0, cut.length);
            return cut;
        }
    }
}
