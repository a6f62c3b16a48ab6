package io.fjord.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory: clears leftovers, loads the segments and decides how much to trust them.
 *
 * <p>After a clean shutdown (marker present) files and indexes are trusted; each index gets a cheap sanity
 * check and the last segment's tail must line up exactly with the file end. After an unclean stop, every
 * segment from the one holding the checkpointed recovery point on is read batch by batch (length, magic,
 * CRC, offsets), its indexes rebuilt, and the log is cut at the first bad batch: everything after it is
 * past the recovery point, so it was never reported durable. Earlier segments get a full index check.
 * Recovered bytes are fsynced before the recovery point is moved to the new log end.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /**
     * @param created              the directory held no log at all (no segment, no checkpoint): a new partition,
     *                             whose empty segment was created here and is not durable yet (see {@link #load})
     * @param recoveryPointOnDisk  what the recovery point checkpoint held ({@link #MISSING} when absent or
     *                             unreadable), and {@code logStartOffsetOnDisk} the same for the log start
     *                             offset: opening need not rewrite files that are current
     */
    record Loaded(List<LogSegment> segments, long logStartOffset, long logEndOffset, RecoveryReport report,
                  boolean created, long recoveryPointOnDisk, long logStartOffsetOnDisk) {
    }

    /** A checkpoint with no entry for the log. */
    static final long MISSING = -1L;

    private LogLoader() {
    }

    /** A new log in an empty directory: one empty segment at offset 0, nothing to read or recover. */
    static Loaded create(Path dir, LogConfig config, long nowMs) throws IOException {
        LogSegment segment = LogSegment.create(dir, 0, config.segmentIndexBytes(), nowMs);
        return new Loaded(List.of(segment), 0, 0, new RecoveryReport(true, 0, 0, List.of(), List.of()), true,
                MISSING, MISSING);
    }

    static Loaded load(Path dir, String name, LogConfig config, CheckpointFile recoveryPointFile,
                       CheckpointFile logStartOffsetFile, long nowMs) throws IOException {
        Files.createDirectories(dir);
        List<Long> baseOffsets = removeLeftoversAndListSegments(dir);
        Path marker = dir.resolve(Log.CLEAN_SHUTDOWN_FILE);
        // A directory without segments is new: nothing to distrust.
        boolean clean = Files.exists(marker) || baseOffsets.isEmpty();
        boolean created = baseOffsets.isEmpty() && !Files.exists(recoveryPointFile.file())
                && !Files.exists(logStartOffsetFile.file());
        long recoveryPointOnDisk = readCheckpoint(recoveryPointFile, name);
        long logStartOffsetOnDisk = readCheckpoint(logStartOffsetFile, name);
        long checkpointedRecoveryPoint = Math.max(0L, recoveryPointOnDisk);
        long checkpointedLogStart = Math.max(0L, logStartOffsetOnDisk);

        List<LogSegment> segments = new ArrayList<>();
        List<Path> rebuilt = new ArrayList<>();
        List<RecoveryReport.Truncation> truncations = new ArrayList<>();
        int scanned = 0;
        try {
            for (long baseOffset : baseOffsets) {
                segments.add(LogSegment.open(dir, baseOffset, nowMs));
            }
            if (segments.isEmpty()) {
                segments.add(LogSegment.create(dir, checkpointedLogStart, config.segmentIndexBytes(), nowMs));
            } else {
                int firstToScan = clean ? segments.size() : Math.max(0, floorIndex(segments, checkpointedRecoveryPoint));
                for (int i = 0; i < segments.size(); i++) {
                    LogSegment segment = segments.get(i);
                    boolean last = i == segments.size() - 1;
                    long offsetLimit = last ? Long.MAX_VALUE : segments.get(i + 1).baseOffset();
                    boolean scan = i >= firstToScan;
                    if (!scan) {
                        String problem = segment.indexProblem(offsetLimit, !clean);
                        if (problem != null) {
                            LOG.warn("Rebuilding the indexes of {}: {}", segment.logFile(), problem);
                            rebuilt.add(segment.logFile());
                            scan = true;
                        } else if (last && !segment.loadTail()) {
                            LOG.warn("The batches of {} do not end at the end of the file; recovering it",
                                    segment.logFile());
                            scan = true;
                        } else if (!last) {
                            segment.loadFromIndexes(offsetLimit);
                        }
                    }
                    if (scan) {
                        scanned++;
                        RecoveryReport.Truncation cut = segment.recover(config.segmentIndexBytes(),
                                config.indexIntervalBytes());
                        if (cut != null) {
                            LOG.warn("Recovery of {}: invalid batch at position {} ({}); truncating {} bytes from "
                                    + "position {}", cut.file(), cut.position(), cut.reason(), cut.bytes(),
                                    cut.position());
                            truncations.add(cut);
                            removeAfter(segments, i, truncations);
                            last = true;
                        }
                    }
                    if (last) {
                        segment.activate(config.segmentIndexBytes());
                    } else {
                        segment.deactivate();
                    }
                }
            }
            long logEndOffset = segments.getLast().nextOffset();
            long logStartOffset = Math.max(checkpointedLogStart, segments.getFirst().baseOffset());
            if (logEndOffset < logStartOffset) {
                LOG.warn("{}: recovery left the log end offset {} below the log start offset {}; starting empty there",
                        name, logEndOffset, logStartOffset);
                removeAfter(segments, -1, truncations);
                segments.add(LogSegment.create(dir, logStartOffset, config.segmentIndexBytes(), nowMs));
                logEndOffset = logStartOffset;
            }
            if (scanned > 0 || !truncations.isEmpty()) {
                // Recovered bytes may still sit only in the page cache; make them durable before the recovery
                // point claims they are.
                for (LogSegment segment : segments) {
                    segment.flush();
                }
            }
            Files.deleteIfExists(marker);
            // A new log holds nothing anyone was promised, and losing its empty files in a crash only makes
            // the next open create them again. Its segment stays marked not durable, so the first flush
            // fsyncs the directory before any offset is reported durable. Creating a topic of many partitions
            // spent most of its time in this fsync and the checkpoint writes.
            if (!created) {
                CheckpointFile.fsyncDirectory(dir);
                for (LogSegment segment : segments) {
                    segment.markDirEntryDurable();
                }
            }
            if (!clean) {
                LOG.info("{}: recovered after an unclean shutdown from recovery point {}: {} segment(s) scanned, "
                                + "{} cut, log end offset {}", name, checkpointedRecoveryPoint, scanned,
                        truncations.size(), logEndOffset);
            }
            RecoveryReport report = new RecoveryReport(clean, checkpointedRecoveryPoint, scanned, List.copyOf(rebuilt),
                    List.copyOf(truncations));
            return new Loaded(segments, logStartOffset, logEndOffset, report, created, recoveryPointOnDisk,
                    logStartOffsetOnDisk);
        } catch (IOException | RuntimeException e) {
            for (LogSegment segment : segments) {
                segment.release();
            }
            throw e;
        }
    }

    /** Removes every segment after index {@code keep}, reporting each as cut whole. */
    private static void removeAfter(List<LogSegment> segments, int keep, List<RecoveryReport.Truncation> truncations)
            throws IOException {
        while (segments.size() > keep + 1) {
            LogSegment removed = segments.removeLast();
            Path file = removed.logFile();
            long bytes = removed.size();
            removed.markDeleted();
            removed.release();
            LOG.warn("Recovery: deleting {} ({} bytes), which follows the cut", file, bytes);
            truncations.add(new RecoveryReport.Truncation(file, 0, bytes, "follows a cut in an earlier segment"));
        }
    }

    private static int floorIndex(List<LogSegment> segments, long offset) {
        int found = -1;
        for (int i = 0; i < segments.size() && segments.get(i).baseOffset() <= offset; i++) {
            found = i;
        }
        return found;
    }

    private static long readCheckpoint(CheckpointFile file, String name) {
        try {
            Map<String, Long> entries = file.read();
            Long value = entries.get(name);
            return value == null || value < 0 ? MISSING : value;
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable checkpoint {}: {}", file.file(), e.getMessage());
            return MISSING;
        }
    }

    /**
     * Deletes what an earlier run left half done (files renamed for deletion, checkpoint temp files, indexes
     * without a log file) and returns the base offsets of the segment files, sorted.
     */
    private static List<Long> removeLeftoversAndListSegments(Path dir) throws IOException {
        List<Long> logs = new ArrayList<>();
        List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(LogSegment.DELETED_SUFFIX) || fileName.endsWith(CheckpointFile.TMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                    continue;
                }
                long base = LogSegment.parseBaseOffset(fileName, LogSegment.LOG_SUFFIX);
                if (base >= 0) {
                    logs.add(base);
                } else if (fileName.endsWith(LogSegment.INDEX_SUFFIX)
                        || fileName.endsWith(LogSegment.TIME_INDEX_SUFFIX)) {
                    indexes.add(file);
                }
            }
        }
        java.util.Set<Long> logSet = new java.util.HashSet<>(logs);
        for (Path index : indexes) {
            String fileName = index.getFileName().toString();
            String suffix = fileName.endsWith(LogSegment.INDEX_SUFFIX) ? LogSegment.INDEX_SUFFIX
                    : LogSegment.TIME_INDEX_SUFFIX;
            long base = LogSegment.parseBaseOffset(fileName, suffix);
            if (base < 0 || !logSet.contains(base)) {
                Files.deleteIfExists(index);
            }
        }
        logs.sort(null);
        return logs;
    }
}
