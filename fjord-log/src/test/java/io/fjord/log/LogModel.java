package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * The state of a stateful property test: a real {@link Log} next to a plain model of what it must hold
 * (the appended batches by base offset, log start and end offsets). Each operation applies to both and
 * checks the log's answer; {@link #checkInvariants()} compares everything after every step.
 */
final class LogModel {
    final Path dir;
    final LogConfig config;
    Log log;
    /** Every batch still expected in the files, by base offset. */
    final TreeMap<Long, byte[]> batches = new TreeMap<>();
    long logStart;
    long logEnd;
    /** The leader epoch history the log must report, by epoch, kept by Kafka's rules. */
    final TreeMap<Integer, Long> epochs = new TreeMap<>();
    /** The epoch the next batches carry: raised now and then, as leaders change. */
    int stampEpoch;
    long clockMs = 1_000_000;
    final Random random;
    final List<String> steps = new ArrayList<>();

    LogModel(Path dir, LogConfig config, long seed) {
        this.dir = dir;
        this.config = config;
        this.random = new Random(seed);
        this.log = Log.open(dir, config, null, () -> clockMs);
    }

    @Override
    public String toString() {
        return "LogModel(" + config + ", logStart=" + logStart + ", logEnd=" + logEnd + ", batches=" + batches.size()
                + ")";
    }

    // ---- operations ----

    /** Spec of one batch: records, value size, timestamp offset from the clock (or none). */
    record BatchSpec(int records, int valueBytes, int timestampDelta, boolean noTimestamp) {
    }

    void append(List<BatchSpec> specs, boolean asLeader) {
        List<byte[]> built = new ArrayList<>();
        long offset = logEnd;
        for (BatchSpec spec : specs) {
            clockMs += random.nextInt(20);
            long ts = spec.noTimestamp ? -1 : clockMs + spec.timestampDelta;
            // A leader append carries client offsets (0-based); the log renumbers them.
            byte[] batch = TestBatches.batch(asLeader ? 0 : offset, spec.records, spec.valueBytes, ts, random);
            if (random.nextInt(4) == 0) {
                stampEpoch += 1 + random.nextInt(2);
            }
            batch = TestBatches.withLeaderEpoch(batch, random.nextInt(10) == 0 ? -1 : stampEpoch);
            built.add(batch);
            offset += spec.records;
        }
        ByteBuffer buffer = TestBatches.concat(built);
        int position = buffer.position();
        LogAppendInfo info;
        try {
            info = asLeader ? log.appendAsLeader(buffer) : log.append(buffer);
        } catch (RecordsTooLargeException e) {
            assertThat(buffer.remaining()).isGreaterThan(config.segmentBytes());
            return;
        }
        assertThat(buffer.position()).isEqualTo(position);
        assertThat(info.firstOffset()).isEqualTo(logEnd);
        assertThat(info.lastOffset()).isEqualTo(offset - 1);
        assertThat(info.batches()).isEqualTo(specs.size());
        for (byte[] batch : TestBatches.split(buffer)) {
            batches.put(TestBatches.baseOffset(batch), batch);
            int epoch = ByteBuffer.wrap(batch).getInt(io.fjord.record.RecordBatch.PARTITION_LEADER_EPOCH_OFFSET);
            if (epoch > (epochs.isEmpty() ? -1 : epochs.lastKey())) {
                assignEpoch(epoch, TestBatches.baseOffset(batch));
            }
        }
        logEnd = offset;
    }

    void read(double startFraction, int maxBytes, boolean minOneBatch, double maxFraction, boolean bounded) {
        long start = logStart + (long) Math.floor(startFraction * (logEnd - logStart + 1));
        start = Math.min(start, logEnd);
        long maxOffset = bounded ? start + (long) Math.floor(maxFraction * (logEnd - start + 1)) : Long.MAX_VALUE;
        LogSlice slice = log.read(start, maxBytes, minOneBatch, maxOffset);
        try {
            checkRead(start, maxBytes, minOneBatch, Math.min(maxOffset, logEnd), slice);
        } finally {
            slice.release();
        }
    }

    private void checkRead(long start, int maxBytes, boolean minOneBatch, long limit, LogSlice slice) {
        byte[] got = LogChecks.bytes(slice);
        List<byte[]> expected = new ArrayList<>();
        var floor = batches.floorEntry(start);
        Long from = floor != null && TestBatches.lastOffset(floor.getValue()) >= start ? floor.getKey()
                : batches.ceilingKey(start);
        if (from != null) {
            expected.addAll(batches.tailMap(from, true).values());
        }
        List<byte[]> returned = TestBatches.split(ByteBuffer.wrap(got));
        String where = "read(" + start + ", " + maxBytes + ", " + minOneBatch + ", limit " + limit + ")";
        assertThat(returned.size()).as(where).isLessThanOrEqualTo(expected.size());
        for (int i = 0; i < returned.size(); i++) {
            assertThat(returned.get(i)).as(where + " batch " + i).isEqualTo(expected.get(i));
            assertThat(TestBatches.lastOffset(returned.get(i))).as(where).isLessThan(limit);
        }
        if (returned.size() > 1 || (returned.size() == 1 && !minOneBatch)) {
            assertThat(got.length).as(where).isLessThanOrEqualTo(maxBytes);
        }
        if (returned.isEmpty()) {
            boolean nothingVisible = expected.isEmpty() || TestBatches.lastOffset(expected.getFirst()) >= limit;
            boolean tooBig = !expected.isEmpty() && !minOneBatch && expected.getFirst().length > maxBytes;
            assertThat(nothingVisible || tooBig).as(where + " returned nothing").isTrue();
        } else if (returned.size() < expected.size()) {
            // Stopping early is allowed only at the byte limit, the offset limit or a segment boundary.
            byte[] next = expected.get(returned.size());
            boolean fits = got.length + next.length <= maxBytes;
            boolean visible = TestBatches.lastOffset(next) < limit;
            if (fits && visible) {
                long nextBase = TestBatches.baseOffset(next);
                assertThat(log.segments().stream().anyMatch(s -> s.baseOffset() == nextBase))
                        .as(where + " stopped before " + nextBase + " which fits and is not a segment start").isTrue();
            }
        }
    }

    /** A new leader records its epoch at its log end offset, as Partition does on becoming leader. */
    void newLeaderEpoch(int bump) {
        stampEpoch = Math.max(stampEpoch, epochs.isEmpty() ? -1 : epochs.lastKey()) + bump;
        log.assignEpochStartOffset(stampEpoch, logEnd);
        assignEpoch(stampEpoch, logEnd);
    }

    /** Kafka's assignment rule, stated plainly: entries not below the new one in epoch or offset go. */
    private void assignEpoch(int epoch, long startOffset) {
        if (!epochs.isEmpty() && epochs.lastKey() == epoch && epochs.lastEntry().getValue() <= startOffset) {
            return;
        }
        while (!epochs.isEmpty() && (epochs.lastKey() >= epoch || epochs.lastEntry().getValue() >= startOffset)) {
            epochs.pollLastEntry();
        }
        epochs.put(epoch, startOffset);
    }

    private void epochsEndAt(long endOffset) {
        while (!epochs.isEmpty() && epochs.lastEntry().getValue() >= endOffset) {
            epochs.pollLastEntry();
        }
    }

    private void epochsStartAt(long startOffset) {
        Integer covering = null;
        while (!epochs.isEmpty() && epochs.firstEntry().getValue() <= startOffset) {
            covering = epochs.pollFirstEntry().getKey();
        }
        if (covering != null) {
            epochs.put(covering, startOffset);
        }
    }

    void readOutOfRange(boolean below) {
        if (below && logStart == 0) {
            return;
        }
        long offset = below ? logStart - 1 : logEnd + 1;
        assertThatThrownBy(() -> log.read(offset, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    void truncate(double fraction, boolean belowStart) {
        long target;
        if (belowStart) {
            target = Math.max(0, logStart - 1 - (long) (fraction * 10));
        } else {
            target = Math.min(logEnd, logStart + (long) Math.floor(fraction * (logEnd - logStart + 1)));
        }
        boolean changed = log.truncateTo(target);
        assertThat(changed).isEqualTo(target < logEnd);
        if (!changed) {
            return;
        }
        if (target < logStart) {
            batches.clear();
            epochs.clear();
            logStart = target;
            logEnd = target;
            return;
        }
        var containing = batches.floorEntry(target);
        long newEnd = target;
        if (containing != null && TestBatches.lastOffset(containing.getValue()) >= target) {
            newEnd = containing.getKey();
        }
        batches.tailMap(newEnd, true).clear();
        epochsEndAt(newEnd);
        if (newEnd < logStart) {
            batches.clear();
            epochs.clear();
            newEnd = logStart;
        }
        logEnd = newEnd;
    }

    void deleteRecords(double fraction) {
        long target = Math.min(logEnd, logStart + (long) Math.floor(fraction * (logEnd - logStart + 1)));
        long result = log.deleteRecordsBefore(target);
        logStart = Math.max(logStart, target);
        assertThat(result).isEqualTo(logStart);
        pruneBelowFirstSegment();
    }

    void retentionBytes(long limit) {
        long before = logStart;
        log.updateConfig(config.with(LogConfig.RETENTION_BYTES_CONFIG, limit).with(LogConfig.RETENTION_MS_CONFIG, -1));
        try {
            log.deleteRetentionSegments(clockMs);
        } finally {
            log.updateConfig(config);
        }
        assertThat(log.logStartOffset()).isGreaterThanOrEqualTo(before);
        logStart = log.logStartOffset();
        pruneBelowFirstSegment();
        List<LogSegment> segments = log.segments();
        long total = segments.stream().mapToLong(LogSegment::size).sum();
        assertThat(segments.size() == 1 || total - segments.getFirst().size() < limit)
                .as("retention.bytes %d left %d bytes in %d segments", limit, total, segments.size()).isTrue();
    }

    void retentionMs(long retentionMs) {
        long before = logStart;
        log.updateConfig(config.with(LogConfig.RETENTION_MS_CONFIG, retentionMs)
                .with(LogConfig.RETENTION_BYTES_CONFIG, -1));
        try {
            log.deleteRetentionSegments(clockMs);
        } finally {
            log.updateConfig(config);
        }
        long after = log.logStartOffset();
        assertThat(after).isGreaterThanOrEqualTo(before);
        // Everything retention removed at or above the old log start was older than the cut-off.
        for (byte[] batch : batches.subMap(before, true, after, false).values()) {
            if (TestBatches.lastOffset(batch) < after && TestBatches.maxTimestamp(batch) >= 0) {
                assertThat(clockMs - TestBatches.maxTimestamp(batch)).isGreaterThan(retentionMs);
            }
        }
        logStart = after;
        pruneBelowFirstSegment();
    }

    private void pruneBelowFirstSegment() {
        epochsStartAt(logStart);
        long firstBase = log.segments().getFirst().baseOffset();
        batches.headMap(firstBase, false).clear();
    }

    void flush() {
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(logEnd);
    }

    void offsetForTimestamp(int delta) {
        long target = clockMs + delta;
        Optional<TimestampOffset> found = log.offsetForTimestamp(target);
        TimestampOffset expected = null;
        for (byte[] batch : batches.values()) {
            if (TestBatches.lastOffset(batch) >= logStart && TestBatches.maxTimestamp(batch) >= target) {
                expected = new TimestampOffset(TestBatches.maxTimestamp(batch),
                        Math.max(TestBatches.baseOffset(batch), logStart));
                break;
            }
        }
        assertThat(found.orElse(null)).as("offsetForTimestamp(%d)", target).isEqualTo(expected);
    }

    void reopenClean() {
        log.close();
        log = Log.open(dir, config, null, () -> clockMs);
        // As Kafka does at every open: an epoch that starts at the log end (a leader that wrote nothing) goes.
        epochsEndAt(logEnd);
        assertThat(log.recoveryReport().cleanShutdown()).isTrue();
        assertThat(log.recoveryReport().truncations()).isEmpty();
        assertThat(log.recoveryPoint()).isEqualTo(logEnd);
    }

    enum Damage { NONE, GARBAGE_TAIL, ZERO_TAIL, TORN_LAST_BATCH, LOST_INDEXES }

    void reopenUnclean(Damage damage) {
        long recoveryPoint = log.recoveryPoint();
        List<LogSegment> segments = log.segments();
        LogSegment last = segments.getLast();
        Path lastFile = last.logFile();
        LogSegment victim = segments.get(random.nextInt(segments.size()));
        Path victimIndex = victim.offsetIndex().file();
        Path victimTimeIndex = victim.timeIndex().file();
        log.abandon();
        boolean cut = false;
        switch (damage) {
            case NONE -> { }
            case GARBAGE_TAIL -> {
                byte[] garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                appendToFile(lastFile, garbage);
                cut = true;
            }
            case ZERO_TAIL -> {
                appendToFile(lastFile, new byte[1 + random.nextInt(200)]);
                cut = true;
            }
            case TORN_LAST_BATCH -> {
                if (!batches.isEmpty() && batches.lastKey() >= Math.max(recoveryPoint, last.baseOffset())) {
                    byte[] lastBatch = batches.lastEntry().getValue();
                    chopFile(lastFile, 1 + random.nextInt(lastBatch.length - 1));
                    batches.remove(batches.lastKey());
                    logEnd = batches.isEmpty() ? Math.max(logStart, last.baseOffset())
                            : TestBatches.lastOffset(batches.lastEntry().getValue()) + 1;
                    cut = true;
                }
            }
            case LOST_INDEXES -> {
                delete(victimIndex);
                delete(victimTimeIndex);
            }
        }
        log = Log.open(dir, config, null, () -> clockMs);
        RecoveryReport report = log.recoveryReport();
        assertThat(report.cleanShutdown()).isFalse();
        if (cut) {
            assertThat(report.truncations()).as("report of %s", damage).isNotEmpty();
            assertThat(report.truncations().getFirst().file()).isEqualTo(lastFile);
        } else {
            assertThat(report.truncations()).as("report of %s", damage).isEmpty();
        }
        if (logEnd < logStart) {
            logEnd = logStart;
        }
        epochsEndAt(logEnd);
        epochsStartAt(logStart);
        assertThat(log.recoveryPoint()).isEqualTo(logEnd);
    }

    private static void appendToFile(Path file, byte[] bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chopFile(Path file, int bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- invariants ----

    void checkInvariants() {
        assertThat(log.logStartOffset()).as("log start offset").isEqualTo(logStart);
        assertThat(log.logEndOffset()).as("log end offset").isEqualTo(logEnd);
        assertThat(log.recoveryPoint()).as("recovery point").isBetween(logStart, logEnd);
        List<LogSegment> segments = log.segments();
        assertThat(segments).isNotEmpty();
        segmentsSeen = Math.max(segmentsSeen, segments.size());
        assertThat(segments.getFirst().baseOffset()).isLessThanOrEqualTo(logStart);
        List<byte[]> onDisk = new ArrayList<>();
        long expectedNext = -1;
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            assertThat(segment.isActive()).as("only the last segment is active").isEqualTo(i == segments.size() - 1);
            List<LogChecks.ScannedBatch> scanned = LogChecks.scan(segment);
            LogChecks.checkIndexes(segment, scanned);
            long nextBase = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : Long.MAX_VALUE;
            for (LogChecks.ScannedBatch batch : scanned) {
                assertThat(batch.baseOffset()).as("batch in %s", segment).isGreaterThanOrEqualTo(segment.baseOffset());
                assertThat(batch.lastOffset()).as("batch in %s", segment).isLessThan(nextBase);
                if (expectedNext >= 0) {
                    assertThat(batch.baseOffset()).as("offsets are dense").isEqualTo(expectedNext);
                }
                expectedNext = batch.lastOffset() + 1;
                assertThat(TestBatches.crcValid(batch.bytes())).isTrue();
                onDisk.add(batch.bytes());
            }
        }
        if (expectedNext >= 0) {
            assertThat(expectedNext).as("last batch ends at the log end offset").isEqualTo(logEnd);
        }
        List<byte[]> modelled = new ArrayList<>(batches.values());
        assertThat(onDisk).as("batches on disk").hasSameSizeAs(modelled);
        for (int i = 0; i < onDisk.size(); i++) {
            assertThat(onDisk.get(i)).as("batch %d on disk", i).isEqualTo(modelled.get(i));
        }
        if (!batches.isEmpty()) {
            assertThat(TestBatches.lastOffset(batches.firstEntry().getValue())).isGreaterThanOrEqualTo(
                    segments.getFirst().baseOffset());
        }
        List<EpochEntry> expectedEpochs = new ArrayList<>();
        epochs.forEach((epoch, start) -> expectedEpochs.add(new EpochEntry(epoch, start)));
        assertThat(log.epochEntries()).as("leader epoch history").isEqualTo(expectedEpochs);
        assertThat(log.latestEpoch()).isEqualTo(epochs.isEmpty() ? -1 : epochs.lastKey());
        int highest = epochs.isEmpty() ? 2 : epochs.lastKey() + 2;
        for (int epoch = -1; epoch <= highest; epoch++) {
            assertThat(log.endOffsetForEpoch(epoch)).as("end offset for epoch %d", epoch).isEqualTo(endOffsetFor(epoch));
        }
        // The file holds every epoch that has records; an epoch assigned at the log end may wait for its first
        // record to be written (and one without records is dropped at the next open anyway).
        Path checkpoint = dir.resolve(LeaderEpochCache.FILE_NAME);
        long end = log.logEndOffset();
        List<EpochEntry> withRecords = expectedEpochs.stream().filter(e -> e.startOffset() < end).toList();
        try {
            if (Files.exists(checkpoint)) {
                assertThat(LeaderEpochCache.read(checkpoint).entries().stream().filter(e -> e.startOffset() < end).toList())
                        .as("epoch checkpoint").isEqualTo(withRecords);
            } else {
                assertThat(withRecords).as("no epoch checkpoint").isEmpty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kafka's OffsetForLeaderEpoch answer, computed from the modelled history with a sorted map. */
    private EpochEndOffset endOffsetFor(int epoch) {
        if (epoch == -1 || epochs.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (epoch == epochs.lastKey()) {
            return new EpochEndOffset(epoch, logEnd);
        }
        var higher = epochs.higherEntry(epoch);
        if (higher == null) {
            return EpochEndOffset.UNDEFINED;
        }
        Integer floor = epochs.floorKey(epoch);
        return new EpochEndOffset(floor == null ? epoch : floor, higher.getValue());
    }

    /** The largest segment count seen, for the test's statistics. */
    int segmentsSeen;

    void close() {
        log.close();
    }
}
