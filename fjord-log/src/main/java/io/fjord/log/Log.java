package io.fjord.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: a directory of segments holding v2 record batches exactly as appended.
 *
 * <p>Threads: appends, truncation, deletion and close come from one writer at a time (they take a lock that
 * is uncontended in practice); reads, timestamp searches and flushed futures from any thread, without locks.
 * Readers see a consistent prefix: the log end offset is published after the bytes and indexes it covers.
 *
 * <p>Offsets: {@code logStartOffset <= recoveryPoint <= logEndOffset}. Everything below the recovery point
 * has been fsynced (or lies below the log start, where it no longer matters); it only moves after an fsync
 * and is checkpointed by the {@link LogFlusher} periodically, on truncation and on close.
 */
public final class Log implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Log.class);

    static final String CLEAN_SHUTDOWN_FILE = ".clean_shutdown";
    static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";
    private static final int MAX_READ_ATTEMPTS = 100;

    private final Path dir;
    private final String name;
    private final LogFlusher flusher;
    private final LongSupplier clock;
    private final CheckpointFile recoveryPointFile;
    private final CheckpointFile logStartOffsetFile;
    private final RecoveryReport recoveryReport;
    private final boolean created;
    /** Which leader epoch wrote which offsets; changed under {@link #lock}, read from any thread. */
    private final LeaderEpochCache epochs;
    private final ReentrantLock lock = new ReentrantLock();
    /** Serialises fsync passes; taken before {@link #lock}, never after it. */
    private final Object flushMonitor = new Object();
    /**
     * Guards moves of the recovery point (flush raises it, truncation lowers it) without the append lock, so
     * a flusher finishing an fsync never waits behind an append. Taken after {@link #lock}, never before.
     */
    private final Object recoveryPointMonitor = new Object();
    /** Serialises recovery point checkpoint writes; nothing is taken while it is held. */
    private final Object checkpointMonitor = new Object();
    private final FlushWaiters waiters = new FlushWaiters();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    /**
     * Set for good by the first failed fsync. Linux reports a writeback error to one fsync and then marks the
     * pages clean, so a later fsync "succeeds" without the bytes being on disk: after a failure nothing may be
     * called durable again, and nothing more is appended, until the node restarts and recovers the log (Kafka
     * takes the log directory offline for the same reason).
     */
    private volatile LogStorageException flushFailure;
    /** A test's stand-in for the next fsync's I/O error; null otherwise. */
    private volatile IOException injectedFlushFault;
    /** Run by {@link #endOffsetForEpoch} between its two reads, so a test can race it deterministically. */
    private volatile Runnable epochReadHook;

    private volatile LogConfig config;
    /** Sorted by base offset, never empty while open; replaced whole (copy on write) on every change. */
    private volatile LogSegment[] segments;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long recoveryPoint;
    /** Bumped by every truncation, so a flush that overlapped one does not advance the recovery point. */
    private volatile long truncations;
    private volatile long lastFlushMs;
    private volatile long lastCheckpointMs;
    private long checkpointedRecoveryPoint = -1;
    private volatile boolean closed;

    private Log(Path dir, String name, LogConfig config, LogFlusher flusher, LongSupplier clock,
                CheckpointFile recoveryPointFile, CheckpointFile logStartOffsetFile, LogLoader.Loaded loaded,
                LeaderEpochCache epochs) {
        this.dir = dir;
        this.name = name;
        this.config = config;
        this.flusher = flusher;
        this.clock = clock;
        this.recoveryPointFile = recoveryPointFile;
        this.logStartOffsetFile = logStartOffsetFile;
        this.recoveryReport = loaded.report();
        this.created = loaded.created();
        this.epochs = epochs;
        this.segments = loaded.segments().toArray(new LogSegment[0]);
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.recoveryPoint = loaded.logEndOffset();
        long now = clock.getAsLong();
        this.lastFlushMs = now;
        this.lastCheckpointMs = now;
    }

    /** Opens (creating if needed) the log in {@code dir}, without background flushing and on the system clock. */
    public static Log open(Path dir, LogConfig config) {
        return open(dir, config, null, System::currentTimeMillis);
    }

    public static Log open(Path dir, LogConfig config, LogFlusher flusher) {
        return open(dir, config, flusher, System::currentTimeMillis);
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, recovering it if the last run did not close it. With
     * a {@code flusher}, flush policies and flushed futures are served by its thread; without one,
     * {@code flush.messages} fsyncs on the appending thread and futures complete on explicit {@link #flush()}.
     * {@code clock} gives wall-clock milliseconds for {@code segment.ms} and flush timing.
     */
    public static Log open(Path dir, LogConfig config, LogFlusher flusher, LongSupplier clock) {
        return open(dir, config, flusher, clock, false);
    }

    /**
     * A new, empty log in {@code dir}, a directory the caller has just created and that holds no log files:
     * unlike {@link #open} nothing is looked for, so a topic of many partitions is created with a few
     * system calls per partition. Fails if a segment file is there after all.
     */
    public static Log create(Path dir, LogConfig config, LogFlusher flusher) {
        return open(dir, config, flusher, System::currentTimeMillis, true);
    }

    private static Log open(Path dir, LogConfig config, LogFlusher flusher, LongSupplier clock, boolean fresh) {
        String name = dir.getFileName().toString();
        CheckpointFile recoveryPointFile = new CheckpointFile(dir.resolve(RECOVERY_POINT_CHECKPOINT));
        CheckpointFile logStartOffsetFile = new CheckpointFile(dir.resolve(LOG_START_OFFSET_CHECKPOINT));
        LogLoader.Loaded loaded;
        try {
            loaded = fresh
                    ? LogLoader.create(dir, config, clock.getAsLong())
                    : LogLoader.load(dir, name, config, recoveryPointFile, logStartOffsetFile, clock.getAsLong());
        } catch (IOException e) {
            throw new LogStorageException((fresh ? "cannot create log " : "cannot open log ") + dir, e);
        }
        LeaderEpochCache epochs;
        try {
            epochs = LeaderEpochLoader.load(dir, name, loaded.segments(), loaded.logStartOffset(),
                    loaded.logEndOffset(), loaded.created());
        } catch (RuntimeException e) {
            for (LogSegment segment : loaded.segments()) {
                segment.release();
            }
            throw e;
        }
        Log log = new Log(dir, name, config, flusher, clock, recoveryPointFile, logStartOffsetFile, loaded, epochs);
        if (loaded.created()) {
            // Both checkpoints would say 0, which is what their absence reads as: no files, no fsyncs.
            log.checkpointedRecoveryPoint = log.recoveryPoint;
        } else {
            try {
                // After a clean stop both files already say this; rewriting them would cost three fsyncs each
                // per partition at every start. (The loader's directory fsync covers their last renames.)
                if (loaded.logStartOffsetOnDisk() != log.logStartOffset) {
                    log.writeLogStartOffsetCheckpoint();
                }
                if (loaded.recoveryPointOnDisk() == log.recoveryPoint) {
                    log.checkpointedRecoveryPoint = log.recoveryPoint;
                } else {
                    log.checkpointRecoveryPoint();
                }
            } catch (RuntimeException e) {
                log.abandon();
                throw e;
            }
        }
        if (flusher != null) {
            flusher.register(log);
        }
        return log;
    }

    // ---- state ----

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies a changed topic config; segment and index sizes apply from the next roll. */
    public void updateConfig(LogConfig newConfig) {
        config = newConfig;
    }

    /** The earliest offset a read may ask for (ListOffsets "earliest"). */
    public long logStartOffset() {
        return logStartOffset;
    }

    /** The offset the next append gets (ListOffsets "latest" before a high watermark exists). */
    public long logEndOffset() {
        return logEndOffset;
    }

    /** Everything below this offset is durable. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments) {
            total += segment.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.length;
    }

    /** What opening this log found and repaired. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** True when this log was new when opened: no segment and no checkpoint were there. */
    public boolean created() {
        return created;
    }

    // ---- appends ----

    /**
     * Appends whole v2 batches that already carry their final offsets (a follower's fetched data, or batches
     * the partition has numbered): each base offset must be at least the log end offset and above the
     * previous batch's last offset. The bytes are written as they are; the buffer's position is unchanged.
     */
    public LogAppendInfo append(ByteBuffer batches) {
        LogAppendInfo info = appendLocked(batches, false);
        afterAppend();
        return info;
    }

    /** Numbers the batches from the log end offset (rewriting baseOffset in place, which the CRC does not cover), then appends them. */
    public LogAppendInfo appendAsLeader(ByteBuffer batches) {
        LogAppendInfo info = appendLocked(batches, true);
        afterAppend();
        return info;
    }

    private LogAppendInfo appendLocked(ByteBuffer batches, boolean assignOffsets) {
        lock.lock();
        try {
            ensureOpen();
            LogStorageException failure = flushFailure;
            if (failure != null) {
                throw new LogStorageException(name + ": appends refused since an fsync failed (restart to recover)",
                        (IOException) failure.getCause());
            }
            long end = logEndOffset;
            LogAppendInfo info = AppendValidator.validate(name, batches, end, assignOffsets);
            LogConfig current = config;
            if (info.sizeInBytes() > current.segmentBytes()) {
                throw new RecordsTooLargeException(name + ": an append of " + info.sizeInBytes()
                        + " bytes exceeds segment.bytes " + current.segmentBytes());
            }
            if (assignOffsets) {
                AppendValidator.assignOffsets(batches, end);
            }
            epochs.persistIfDeferred();
            int latestEpoch = epochs.latestEpoch();
            if (info.maxLeaderEpoch() > latestEpoch) {
                // Rare (a leader change): recorded, and written to the checkpoint, before the records exist, so
                // the checkpoint never lacks an epoch the log holds. If the write below fails, an entry at the
                // old log end remains, which is where the next append of that epoch goes anyway.
                epochs.assignAll(AppendValidator.newEpochStarts(batches, latestEpoch));
            }
            LogSegment active = activeSegment();
            if (active.shouldRoll(current, info.sizeInBytes(), info.maxTimestamp(), info.lastOffset(), clock)) {
                active = roll(info.firstOffset());
            }
            try {
                active.append(batches, current.indexIntervalBytes());
            } catch (IOException e) {
                throw new LogStorageException(name + ": append failed", e);
            }
            logEndOffset = info.lastOffset() + 1;
            return info;
        } finally {
            lock.unlock();
        }
    }

    /** Outside the lock: a flush takes the flush monitor first, so it must not be entered holding the lock. */
    private void afterAppend() {
        LogConfig current = config;
        boolean due = logEndOffset - recoveryPoint >= current.flushMessages();
        if (flusher != null) {
            if (current.groupCommit() || due) {
                flusher.requestFlush(this);
            }
        } else if (due) {
            flush();
        }
    }

    private LogSegment roll(long newBaseOffset) {
        LogSegment old = activeSegment();
        try {
            old.deactivate();
            LogSegment created = LogSegment.create(dir, newBaseOffset, config.segmentIndexBytes(), clock.getAsLong());
            LogSegment[] current = segments;
            LogSegment[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = created;
            segments = next;
            LOG.debug("{}: rolled segment {} (next offset {})", name, created.logFile().getFileName(), newBaseOffset);
            return created;
        } catch (IOException e) {
            throw new LogStorageException(name + ": cannot roll a new segment at " + newBaseOffset, e);
        }
    }

    private LogSegment activeSegment() {
        LogSegment[] current = segments;
        return current[current.length - 1];
    }

    // ---- reads ----

    /** {@link #read(long, int, boolean, long)} bounded by the log end offset only. */
    public LogSlice read(long startOffset, int maxBytes, boolean minOneBatch) {
        return read(startOffset, maxBytes, minOneBatch, Long.MAX_VALUE);
    }

    /**
     * Whole batches from the one holding {@code startOffset}, all from one segment, totalling at most
     * {@code maxBytes} (but the first batch alone even when larger, if {@code minOneBatch}), and none holding
     * {@code maxOffset} or later (the high watermark, for consumers). The slice must be released.
     * An empty slice means nothing is there yet.
     *
     * @throws OffsetOutOfRangeException if {@code startOffset} is below the log start or above the log end offset
     */
    public LogSlice read(long startOffset, int maxBytes, boolean minOneBatch, long maxOffset) {
        for (int attempt = 1; ; attempt++) {
            long truncationsBefore = truncations;
            long end = logEndOffset;
            long start = logStartOffset;
            LogSegment[] current = segments;
            if (closed) {
                throw new LogClosedException(name);
            }
            if (startOffset < start || startOffset > end) {
                throw new OffsetOutOfRangeException(name, startOffset, start, end);
            }
            long limitOffset = Math.min(maxOffset, end);
            if (startOffset >= limitOffset) {
                return LogSlice.EMPTY;
            }
            int i = floorIndex(current, startOffset);
            boolean retry = i < 0;
            for (i = Math.max(i, 0); !retry && i < current.length && current[i].baseOffset() < limitOffset; i++) {
                LogSegment segment = current[i];
                if (!segment.tryRetain()) {
                    retry = true;
                    break;
                }
                LogSlice slice;
                try {
                    slice = segment.read(startOffset, maxBytes, minOneBatch, limitOffset);
                } catch (IOException e) {
                    segment.release();
                    if (truncations != truncationsBefore && attempt < MAX_READ_ATTEMPTS) {
                        retry = true;
                        break;
                    }
                    throw new LogStorageException(name + ": read at offset " + startOffset + " failed", e);
                }
                if (slice != null && slice != LogSlice.EMPTY) {
                    return slice;
                }
                segment.release();
                if (slice == LogSlice.EMPTY) {
                    return slice;
                }
            }
            if (!retry) {
                return LogSlice.EMPTY;
            }
            if (attempt >= MAX_READ_ATTEMPTS) {
                throw new OffsetOutOfRangeException(name, startOffset, logStartOffset, logEndOffset);
            }
        }
    }

    /**
     * The largest batch maxTimestamp in the log's segments, or -1 when no batch has one. With
     * {@link #offsetForTimestamp} it finds the batch ListOffsets MAX_TIMESTAMP (KIP-734) answers with.
     */
    public long maxTimestamp() {
        long max = -1;
        for (LogSegment segment : segments) {
            max = Math.max(max, segment.maxTimestamp());
        }
        return max;
    }

    /**
     * The first batch at or after the log start whose maxTimestamp is at least {@code timestamp}, found through
     * the segments' largest timestamps, then the time index, then a short header scan.
     */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        long start = logStartOffset;
        for (LogSegment segment : segments) {
            if (segment.nextOffset() <= start || segment.maxTimestamp() < timestamp || !segment.tryRetain()) {
                continue;
            }
            try {
                TimestampOffset found = segment.findByTimestamp(timestamp, start);
                if (found != null) {
                    return Optional.of(found);
                }
            } catch (IOException e) {
                throw new LogStorageException(name + ": search by timestamp failed", e);
            } finally {
                segment.release();
            }
        }
        return Optional.empty();
    }

    private static int floorIndex(LogSegment[] segments, long offset) {
        int lo = 0;
        int hi = segments.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segments[mid].baseOffset() <= offset) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    // ---- leader epochs ----

    /** The latest leader epoch this log holds records of (or was assigned as leader), or -1 when none. */
    public int latestEpoch() {
        return epochs.latestEpoch();
    }

    /**
     * OffsetForLeaderEpoch: the largest epoch not above {@code epoch} and the offset where it ends, by Kafka's
     * rules ({@link LeaderEpochCache#endOffsetFor}); the latest epoch ends at the log end offset. Any thread,
     * no lock. The answer pairs a log end offset with the epochs that were current when it was read (an
     * append records a new epoch before its records move the log end), so an append racing this call never
     * makes the latest epoch end before its start or inside the next epoch's records.
     */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        for (;;) {
            EpochEntry[] before = epochs.snapshot();
            Runnable hook = epochReadHook;
            if (hook != null) {
                hook.run();
            }
            long end = logEndOffset;
            // Epochs change only with leaders and truncations, so this almost never goes round again.
            if (epochs.snapshot() == before) {
                return LeaderEpochCache.endOffsetFor(before, epoch, end);
            }
        }
    }

    /**
     * Records that leader epoch {@code epoch} starts at {@code startOffset}: a new leader calls it with its
     * log end offset before it appends anything in that epoch. Kafka's assignment rules apply
     * ({@link LeaderEpochCache#assign}). The checkpoint is written before this returns, or, for an epoch
     * starting at the log end offset (the usual case), before the epoch's first record is appended.
     *
     * @throws IllegalArgumentException if {@code startOffset} is beyond the log end offset, or either is negative
     */
    public void assignEpochStartOffset(int epoch, long startOffset) {
        lock.lock();
        try {
            ensureOpen();
            if (startOffset > logEndOffset) {
                throw new IllegalArgumentException(name + ": epoch " + epoch + " cannot start at " + startOffset
                        + ", past the log end offset " + logEndOffset);
            }
            if (startOffset == logEndOffset) {
                epochs.assignDeferred(epoch, startOffset); // written by the epoch's first append
            } else {
                epochs.assign(epoch, startOffset);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The leader epoch history, oldest first: each epoch with the offset of its first record. */
    public List<EpochEntry> epochEntries() {
        return epochs.entries();
    }

    // ---- truncation and deletion ----

    /**
     * Drops everything from {@code offset} on (the whole batch holding it, if it is inside one), across
     * segments, for a replica that must agree with its leader. Returns false if there was nothing to drop.
     * Readers must not hold slices above {@code offset} (the partition truncates only above its high
     * watermark), since the active file is cut in place.
     */
    public boolean truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("cannot truncate to negative offset " + offset);
        }
        long newEnd;
        lock.lock();
        try {
            ensureOpen();
            if (offset >= logEndOffset) {
                // No records to cut, but an epoch that started here without records goes (Kafka does the same):
                // a replica that led an epoch and wrote nothing would otherwise keep answering the leader with it
                // and be told it diverges at the same offset on every fetch.
                epochs.truncateFromEnd(offset);
                return false;
            }
            truncations++;
            if (offset < logStartOffset) {
                truncateFullyLocked(offset);
                newEnd = offset;
            } else {
                LogSegment[] current = segments;
                int keep = floorIndex(current, offset);
                removeSegments(keep + 1, current.length);
                LogSegment segment = current[keep];
                int removed = segment.truncateTo(offset);
                if (!segment.isActive()) {
                    segment.activate(config.segmentIndexBytes());
                }
                segment.flush();
                CheckpointFile.fsyncDirectory(dir);
                newEnd = segment.nextOffset();
                LOG.info("{}: truncated to offset {} ({} bytes cut from {})", name, newEnd, removed,
                        segment.logFile().getFileName());
                if (newEnd < logStartOffset) {
                    truncateFullyLocked(logStartOffset);
                    newEnd = logStartOffset;
                }
                logEndOffset = newEnd;
                synchronized (recoveryPointMonitor) {
                    if (recoveryPoint > newEnd) {
                        recoveryPoint = newEnd;
                    }
                }
                checkpointRecoveryPoint();
                // Last: if its checkpoint cannot be written the entries are still gone from memory, and the
                // next open trims a stale file to the log end anyway.
                epochs.truncateFromEnd(newEnd);
            }
        } catch (IOException e) {
            throw new LogStorageException(name + ": truncation to " + offset + " failed", e);
        } finally {
            lock.unlock();
        }
        long end = newEnd;
        waiters.failFrom(end, o -> new LogTruncatedException(name, o, end));
        return true;
    }

    /**
     * Empties the log, and its leader epoch history, and restarts it at {@code offset}, which becomes its log
     * start offset too: for a follower whose leader's log starts past this log's end (Kafka's
     * truncateFullyAndStartAt). Readers must not hold slices of it.
     */
    public void truncateFullyAndStartAt(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("cannot restart the log at negative offset " + offset);
        }
        lock.lock();
        try {
            ensureOpen();
            truncations++;
            truncateFullyLocked(offset);
        } catch (IOException e) {
            throw new LogStorageException(name + ": full truncation to restart at " + offset + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: empties the log and restarts it at {@code offset}, its new log start offset too. */
    private void truncateFullyLocked(long offset) throws IOException {
        removeSegments(0, segments.length);
        LogSegment created = LogSegment.create(dir, offset, config.segmentIndexBytes(), clock.getAsLong());
        segments = new LogSegment[] {created};
        CheckpointFile.fsyncDirectory(dir);
        created.markDirEntryDurable();
        logEndOffset = offset;
        logStartOffset = offset;
        synchronized (recoveryPointMonitor) {
            recoveryPoint = offset;
        }
        writeLogStartOffsetCheckpoint();
        checkpointRecoveryPoint();
        epochs.clear();
        LOG.info("{}: truncated fully, restarting at offset {}", name, offset);
        waiters.failFrom(Long.MIN_VALUE, o -> new LogTruncatedException(name, o, offset));
    }

    /**
     * Moves the log start offset up to {@code offset} (DeleteRecords) and deletes the segments wholly below it,
     * rolling first if that includes the active segment. Returns the new log start offset.
     */
    public long deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            ensureOpen();
            if (offset < 0 || offset > logEndOffset) {
                throw new OffsetOutOfRangeException(name, offset, logStartOffset, logEndOffset);
            }
            if (offset > logStartOffset) {
                advanceLogStartOffset(offset);
                deleteSegmentsBelowLogStart();
            }
            return logStartOffset;
        } finally {
            lock.unlock();
            waiters.completeBelow(recoveryPoint);
        }
    }

    private void deleteSegmentsBelowLogStart() {
        LogSegment[] current = segments;
        int n = 0;
        while (n < current.length - 1 && current[n + 1].baseOffset() <= logStartOffset) {
            n++;
        }
        LogSegment last = current[current.length - 1];
        if (n == current.length - 1 && last.size() > 0 && last.nextOffset() <= logStartOffset) {
            roll(logEndOffset);
            n = current.length;
        }
        removeSegments(0, n);
    }

    /** {@link #deleteRetentionSegments(long, long)} with no upper bound beyond the log end. */
    public int deleteRetentionSegments(long nowMs) {
        return deleteRetentionSegments(nowMs, Long.MAX_VALUE);
    }

    /**
     * Deletes the oldest closed segments that {@code retention.ms} (by their newest timestamp) or
     * {@code retention.bytes} (by total size) say must go, and any wholly below the log start offset; never
     * the active segment, and only segments ending at or below {@code upperBoundOffset} (the high watermark,
     * once there is one). Moves and checkpoints the log start offset. Returns the number deleted.
     */
    public int deleteRetentionSegments(long nowMs, long upperBoundOffset) {
        lock.lock();
        try {
            ensureOpen();
            LogConfig current = config;
            LogSegment[] all = segments;
            int last = all.length - 1;
            int count = 0;
            if (current.retentionMs() >= 0) {
                int k = 0;
                while (k < last && all[k + 1].baseOffset() <= upperBoundOffset
                        && nowMs - all[k].largestTimestamp() > current.retentionMs()) {
                    k++;
                }
                count = Math.max(count, k);
            }
            if (current.retentionBytes() >= 0) {
                long excess = -current.retentionBytes();
                for (LogSegment segment : all) {
                    excess += segment.size();
                }
                int k = 0;
                while (k < last && all[k + 1].baseOffset() <= upperBoundOffset && excess >= all[k].size()) {
                    excess -= all[k].size();
                    k++;
                }
                count = Math.max(count, k);
            }
            int k = 0;
            while (k < last && all[k + 1].baseOffset() <= logStartOffset) {
                k++;
            }
            count = Math.max(count, k);
            if (count == 0) {
                return 0;
            }
            long newStart = all[count].baseOffset();
            if (newStart > logStartOffset) {
                advanceLogStartOffset(newStart);
            }
            LOG.info("{}: retention deletes {} segment(s); log start offset now {}", name, count, logStartOffset);
            removeSegments(0, count);
            return count;
        } finally {
            lock.unlock();
            waiters.completeBelow(recoveryPoint);
        }
    }

    /** Under the lock. The checkpoint is written before any file goes, so a restart never resurrects offsets. */
    private void advanceLogStartOffset(long offset) {
        logStartOffset = offset;
        synchronized (recoveryPointMonitor) {
            if (recoveryPoint < offset) {
                // Offsets below the log start no longer need to be durable, so the invariant holds without an fsync.
                recoveryPoint = offset;
            }
        }
        writeLogStartOffsetCheckpoint();
        // After the offsets: a stale epoch file is trimmed to the checkpointed log start on the next open.
        epochs.truncateFromStart(offset);
    }

    /** Under the lock: takes segments [from, to) out of the log; their files go once no slice holds them. */
    private void removeSegments(int from, int to) {
        if (from >= to) {
            return;
        }
        LogSegment[] current = segments;
        LogSegment[] kept = new LogSegment[current.length - (to - from)];
        System.arraycopy(current, 0, kept, 0, from);
        System.arraycopy(current, to, kept, from, current.length - to);
        // Published first, so new readers no longer find them; readers already inside hold references.
        segments = kept;
        for (int i = from; i < to; i++) {
            LogSegment segment = current[i];
            try {
                segment.markDeleted();
            } catch (IOException e) {
                LOG.error("{}: could not rename {} for deletion", name, segment.logFile(), e);
            }
            segment.release();
        }
    }

    // ---- durability ----

    /**
     * fsyncs everything appended so far (the active segment and any rolled ones not yet flushed), then moves
     * the recovery point and completes the flushed futures it passes.
     */
    public void flush() {
        synchronized (flushMonitor) {
            long truncationsBefore = truncations;
            long target = logEndOffset;
            LogSegment[] current = segments;
            if (closed) {
                throw new LogClosedException(name);
            }
            LogStorageException failed = flushFailure;
            if (failed != null) {
                // Another fsync would prove nothing; a caller that needs durability must hear so.
                waiters.failFrom(Long.MIN_VALUE, o -> failed);
                throw failed;
            }
            long from = recoveryPoint;
            if (target > from) {
                try {
                    IOException fault = injectedFlushFault;
                    if (fault != null) {
                        injectedFlushFault = null;
                        throw fault;
                    }
                    boolean newFiles = false;
                    int first = Math.max(0, floorIndex(current, from));
                    for (int i = first; i < current.length && current[i].baseOffset() < target; i++) {
                        LogSegment segment = current[i];
                        if (!segment.tryRetain()) {
                            continue;
                        }
                        try {
                            segment.flush();
                            newFiles |= !segment.dirEntryDurable();
                        } finally {
                            segment.release();
                        }
                    }
                    if (newFiles) {
                        CheckpointFile.fsyncDirectory(dir);
                        for (int i = first; i < current.length; i++) {
                            current[i].markDirEntryDurable();
                        }
                    }
                } catch (IOException e) {
                    LogStorageException failure = new LogStorageException(name + ": flush failed", e);
                    flushFailure = failure;
                    waiters.failFrom(Long.MIN_VALUE, o -> failure);
                    throw failure;
                }
                synchronized (recoveryPointMonitor) {
                    if (truncations == truncationsBefore && target > recoveryPoint) {
                        recoveryPoint = target;
                    }
                }
            }
            lastFlushMs = clock.getAsLong();
        }
        waiters.completeBelow(recoveryPoint);
    }

    /**
     * Completes (with the recovery point) once {@code offset} is durable, i.e. the recovery point passed it,
     * and asks the flusher for a pass. Completion runs on the flusher thread. Fails if the offset is truncated
     * away or the log closes without it.
     */
    public CompletableFuture<Long> flushedFuture(long offset) {
        long durable = recoveryPoint;
        if (offset < durable) {
            return CompletableFuture.completedFuture(durable);
        }
        if (closed) {
            return CompletableFuture.failedFuture(new LogClosedException(name));
        }
        LogStorageException failed = flushFailure;
        if (failed != null) {
            return CompletableFuture.failedFuture(failed);
        }
        CompletableFuture<Long> future = waiters.add(offset);
        waiters.completeBelow(recoveryPoint);
        if (closed) {
            waiters.failFrom(Long.MIN_VALUE, o -> new LogClosedException(name));
        } else if (flusher != null) {
            flusher.requestFlush(this);
        }
        return future;
    }

    /** Writes the recovery point checkpoint if it changed since the last write. */
    void checkpointRecoveryPoint() {
        synchronized (checkpointMonitor) {
            long point = recoveryPoint;
            if (point != checkpointedRecoveryPoint) {
                try {
                    recoveryPointFile.write(Map.of(name, point));
                } catch (IOException e) {
                    throw new LogStorageException(name + ": cannot write " + recoveryPointFile.file(), e);
                }
                checkpointedRecoveryPoint = point;
            }
            lastCheckpointMs = clock.getAsLong();
        }
    }

    private void writeLogStartOffsetCheckpoint() {
        try {
            logStartOffsetFile.write(Map.of(name, logStartOffset));
        } catch (IOException e) {
            throw new LogStorageException(name + ": cannot write " + logStartOffsetFile.file(), e);
        }
    }

    /** True for the caller that queued the log; the plain read first spares appends a locked instruction. */
    boolean markFlushQueued() {
        return !flushQueued.get() && flushQueued.compareAndSet(false, true);
    }

    void clearFlushQueued() {
        flushQueued.set(false);
    }

    boolean hasUnflushed() {
        return logEndOffset > recoveryPoint && flushFailure == null;
    }

    /** Whether an fsync of this log failed; it then takes no appends and promises no durability until reopened. */
    public boolean flushFailed() {
        return flushFailure != null;
    }

    /** Makes the next fsync fail with {@code fault}, as a failing disk would. For tests. */
    void injectFlushFault(IOException fault) {
        injectedFlushFault = fault;
    }

    /** Runs {@code hook} inside every later {@link #endOffsetForEpoch}, between its reads. For tests. */
    void setEpochReadHook(Runnable hook) {
        epochReadHook = hook;
    }

    long lastFlushMs() {
        return lastFlushMs;
    }

    long lastCheckpointMs() {
        return closed ? Long.MAX_VALUE / 2 : lastCheckpointMs;
    }

    // ---- closing ----

    /**
     * Flushes everything, trims the active segment's indexes, checkpoints both offsets and leaves the clean
     * shutdown marker, so the next open trusts the files. Slices still held stay readable until released.
     */
    @Override
    public void close() {
        if (flusher != null) {
            flusher.unregister(this);
        }
        synchronized (flushMonitor) {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                LogSegment[] current = segments;
                if (flushFailure != null) {
                    // No clean-shutdown marker and no new recovery point: the next open must scan and recover.
                    try {
                        writeLogStartOffsetCheckpoint();
                    } catch (RuntimeException e) {
                        LOG.warn("{}: could not checkpoint the log start offset at close after a failed fsync: {}",
                                name, e.toString());
                    }
                    for (LogSegment segment : current) {
                        segment.release();
                    }
                    waiters.failFrom(Long.MIN_VALUE, o -> new LogClosedException(name));
                    return;
                }
                try {
                    current[current.length - 1].deactivate();
                    for (int i = Math.max(0, floorIndex(current, recoveryPoint)); i < current.length; i++) {
                        current[i].flush();
                    }
                    synchronized (recoveryPointMonitor) {
                        recoveryPoint = logEndOffset;
                    }
                    checkpointRecoveryPoint();
                    writeLogStartOffsetCheckpoint();
                    Path marker = dir.resolve(CLEAN_SHUTDOWN_FILE);
                    if (!Files.exists(marker)) {
                        Files.createFile(marker);
                    }
                    CheckpointFile.fsyncDirectory(dir);
                } catch (IOException e) {
                    throw new LogStorageException(name + ": clean shutdown failed", e);
                } finally {
                    for (LogSegment segment : current) {
                        segment.release();
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        waiters.completeBelow(recoveryPoint);
        waiters.failFrom(Long.MIN_VALUE, o -> new LogClosedException(name));
    }

    /** Drops the log as a crash would: no flush, no checkpoint, no marker. For tests of recovery. */
    void abandon() {
        if (flusher != null) {
            flusher.unregister(this);
        }
        synchronized (flushMonitor) {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                for (LogSegment segment : segments) {
                    segment.release();
                }
            } finally {
                lock.unlock();
            }
        }
        waiters.failFrom(Long.MIN_VALUE, o -> new LogClosedException(name));
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogClosedException(name);
        }
    }

    /** The current segments, oldest first (tests check them against full scans). */
    List<LogSegment> segments() {
        return List.of(segments);
    }

    @Override
    public String toString() {
        return "Log(" + name + ", logStartOffset=" + logStartOffset + ", logEndOffset=" + logEndOffset
                + ", recoveryPoint=" + recoveryPoint + ", segments=" + segments.length + ")";
    }
}
