package io.fjord.log;

import io.fjord.record.RecordBatch;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment: a {@code .log} file of batches exactly as appended, its {@link OffsetIndex} and its
 * {@link TimeIndex}. Appends come from the log's single writer; reads from any thread see the bytes below the
 * volatile {@code size}, which is published only after they are written.
 *
 * <p>Lifetime is reference counted: the log holds one reference, each {@link LogSlice} another. Removing a
 * segment renames its files to {@code .deleted} (so a restart never loads them) and drops the log's
 * reference; the channel is closed and the files unlinked when the last slice is released. A sendfile in
 * flight therefore never sees its channel closed, which is what Kafka's {@code file.delete.delay.ms}
 * approximates with a timer, so no delay is applied here.
 */
final class LogSegment {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String DELETED_SUFFIX = ".deleted";

    /** The header bytes scans need: up to and including maxTimestamp. */
    private static final int HEADER_PREFIX = RecordBatch.MAX_TIMESTAMP_OFFSET + 8;
    private static final int MIN_BATCH_LENGTH = RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD;

    private static final AtomicIntegerFieldUpdater<LogSegment> REF_CNT =
            AtomicIntegerFieldUpdater.newUpdater(LogSegment.class, "refCnt");

    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final long createdMs;
    private final boolean indexesMissing;
    private volatile Path logFile;

    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private long offsetOfMaxTimestamp;
    private int bytesSinceLastIndexEntry;
    /** maxTimestamp of the first batch: segment.ms counts from it, as in Kafka, when batches carry times. */
    private long rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;

    private volatile boolean active;
    private volatile boolean indexesFlushed;
    /** False until the directory is fsynced after this segment's file was created. */
    private volatile boolean dirEntryDurable;
    private volatile boolean deleted;
    @SuppressWarnings("unused") // through REF_CNT
    private volatile int refCnt = 1;

    private LogSegment(long baseOffset, Path logFile, FileChannel channel, OffsetIndex offsetIndex,
                       TimeIndex timeIndex, long createdMs, boolean indexesMissing) throws IOException {
        this.baseOffset = baseOffset;
        this.logFile = logFile;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.createdMs = createdMs;
        this.indexesMissing = indexesMissing;
        long length = channel.size();
        if (length > Integer.MAX_VALUE) {
            throw new IOException(logFile + " is larger than a segment can be (" + length + " bytes)");
        }
        this.size = (int) length;
        this.nextOffset = baseOffset;
        this.offsetOfMaxTimestamp = baseOffset;
    }

    static String fileName(long baseOffset, String suffix) {
        String digits = Long.toString(baseOffset);
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits + suffix;
    }

    /** The base offset a segment file is named for, or -1 when the name is not a segment's. */
    static long parseBaseOffset(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != 20 + suffix.length()) {
            return -1;
        }
        for (int i = 0; i < 20; i++) {
            if (!Character.isDigit(fileName.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(fileName.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A new, empty, active segment. */
    static LogSegment create(Path dir, long baseOffset, int maxIndexBytes, long nowMs) throws IOException {
        Path logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel channel = FileChannel.open(logFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            OffsetIndex offsetIndex = new OffsetIndex(dir.resolve(fileName(baseOffset, INDEX_SUFFIX)), baseOffset,
                    maxIndexBytes, false);
            TimeIndex timeIndex = new TimeIndex(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)), baseOffset,
                    maxIndexBytes, false);
            LogSegment segment = new LogSegment(baseOffset, logFile, channel, offsetIndex, timeIndex, nowMs, false);
            segment.active = true;
            return segment;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * An existing segment with its indexes mapped as found; the caller then either trusts them
     * ({@link #loadFromIndexes}, {@link #loadTail}) or rebuilds them ({@link #recover}).
     */
    static LogSegment open(Path dir, long baseOffset, long nowMs) throws IOException {
        Path logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        Path indexFile = dir.resolve(fileName(baseOffset, INDEX_SUFFIX));
        Path timeIndexFile = dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX));
        boolean missing = !Files.exists(indexFile) || !Files.exists(timeIndexFile);
        FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            OffsetIndex offsetIndex = new OffsetIndex(indexFile, baseOffset, 0, !missing);
            TimeIndex timeIndex = new TimeIndex(timeIndexFile, baseOffset, 0, !missing);
            LogSegment segment = new LogSegment(baseOffset, logFile, channel, offsetIndex, timeIndex, nowMs, missing);
            segment.dirEntryDurable = true;
            return segment;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    long baseOffset() {
        return baseOffset;
    }

    Path logFile() {
        return logFile;
    }

    int size() {
        return size;
    }

    /** The offset after this segment's last batch (its base offset while empty). */
    long nextOffset() {
        return nextOffset;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    boolean isActive() {
        return active;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    boolean dirEntryDurable() {
        return dirEntryDurable;
    }

    void markDirEntryDurable() {
        dirEntryDurable = true;
    }

    /** For retention by time: the newest batch timestamp, or the file's modification time when none has one. */
    long largestTimestamp() {
        long max = maxTimestamp;
        if (max != RecordBatch.NO_TIMESTAMP) {
            return max;
        }
        try {
            return Files.getLastModifiedTime(logFile).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    // ---- appends (single writer) ----

    /** {@code clock} is read only when batch timestamps cannot decide segment.ms, keeping it off the hot path. */
    boolean shouldRoll(LogConfig config, int appendBytes, long appendMaxTimestamp, long appendLastOffset,
                       LongSupplier clock) {
        int current = size;
        if (current == 0) {
            return false;
        }
        if ((long) current + appendBytes > config.segmentBytes()) {
            return true;
        }
        if (offsetIndex.isFull() || timeIndex.isFullForAppends()) {
            return true;
        }
        if (appendLastOffset - baseOffset > Integer.MAX_VALUE) {
            return true;
        }
        long waited = rollingBasedTimestamp != RecordBatch.NO_TIMESTAMP && appendMaxTimestamp != RecordBatch.NO_TIMESTAMP
                ? appendMaxTimestamp - rollingBasedTimestamp
                : clock.getAsLong() - createdMs;
        return waited > config.segmentMs();
    }

    /**
     * Writes {@code batches} (whole, validated batches with final offsets) at the end of the file, then
     * indexes them. The buffer's position is left where it was.
     */
    void append(ByteBuffer batches, int indexIntervalBytes) throws IOException {
        int start = batches.position();
        int end = batches.limit();
        int filePosition = size;
        try {
            while (batches.hasRemaining()) {
                channel.write(batches, filePosition + (batches.position() - start));
            }
        } catch (IOException e) {
            try {
                channel.truncate(filePosition);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            batches.position(start);
        }
        long next = nextOffset;
        for (int p = start; p < end; ) {
            int batchSize = RecordBatch.LOG_OVERHEAD + batches.getInt(p + RecordBatch.LENGTH_OFFSET);
            long batchBase = batches.getLong(p + RecordBatch.BASE_OFFSET_OFFSET);
            indexBatch(batchBase, batches.getLong(p + RecordBatch.MAX_TIMESTAMP_OFFSET), filePosition + (p - start),
                    batchSize, indexIntervalBytes);
            next = batchBase + batches.getInt(p + RecordBatch.LAST_OFFSET_DELTA_OFFSET) + 1;
            p += batchSize;
        }
        nextOffset = next;
        // Published last: a reader that sees the new size also sees the nextOffset and index entries of
        // what it covers. With size first, read() could take in the new batches while nextOffset still said
        // they were not there, skip its maxOffset bound and hand out records past the high watermark.
        size = filePosition + (end - start);
    }

    /** Kafka's sparse rule: an entry once more than the interval's bytes went by since the previous one. */
    private void indexBatch(long batchBaseOffset, long batchMaxTimestamp, int position, int batchSize,
                            int indexIntervalBytes) {
        if (position == 0) {
            rollingBasedTimestamp = batchMaxTimestamp;
        }
        if (batchMaxTimestamp > maxTimestamp) {
            offsetOfMaxTimestamp = batchBaseOffset;
            maxTimestamp = batchMaxTimestamp;
        }
        // Position 0 needs no entry: a lookup without one starts there anyway.
        if (position > 0 && bytesSinceLastIndexEntry >= indexIntervalBytes && !offsetIndex.isFull()) {
            offsetIndex.append(batchBaseOffset, position);
            if (!timeIndex.isFullForAppends()) {
                timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            }
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
    }

    /** Called when this segment stops being the one appended to: final time entry, indexes trimmed. */
    void deactivate() throws IOException {
        if (maxTimestamp != RecordBatch.NO_TIMESTAMP) {
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        }
        offsetIndex.trimToEntries();
        timeIndex.trimToEntries();
        indexesFlushed = false;
        active = false;
    }

    /** Called when appends go (again) to this segment: indexes regain their preallocated room. */
    void activate(int maxIndexBytes) throws IOException {
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
        indexesFlushed = false;
        active = true;
    }

    /**
     * Cuts everything from the batch holding {@code offset} on; returns the bytes removed. Afterwards the
     * largest timestamp is what the remaining batches hold: the time index covers all batches up to the last
     * offset index entry (both are written together), and the few batches after it are read.
     */
    int truncateTo(long offset) throws IOException {
        int limit = size;
        ByteBuffer header = ByteBuffer.allocate(HEADER_PREFIX);
        int cut = startPositionOf(offset, limit, header);
        if (cut < 0) {
            return 0;
        }
        readHeader(header, cut);
        long cutBase = header.getLong(RecordBatch.BASE_OFFSET_OFFSET);
        offsetIndex.truncateTo(cutBase);
        timeIndex.truncateTo(cutBase);
        channel.truncate(cut);
        size = cut;
        nextOffset = Math.min(cutBase, Math.max(offset, baseOffset));

        int slot = offsetIndex.entries() - 1;
        int from = slot < 0 ? 0 : offsetIndex.positionAt(slot);
        long max = timeIndex.lastTimestamp();
        long offsetOfMax = timeIndex.lastOffset();
        for (int p = from; p < cut; ) {
            readHeader(header, p);
            long batchMax = header.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET);
            if (batchMax > max) {
                max = batchMax;
                offsetOfMax = header.getLong(RecordBatch.BASE_OFFSET_OFFSET);
            }
            p += RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
        }
        offsetOfMaxTimestamp = offsetOfMax;
        maxTimestamp = max;
        bytesSinceLastIndexEntry = cut - from;
        if (cut == 0) {
            rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
        }
        indexesFlushed = false;
        return limit - cut;
    }

    // ---- loading and recovery ----

    /** Why the indexes as found on disk cannot be trusted, or null. */
    String indexProblem(long offsetLimit, boolean full) {
        if (indexesMissing) {
            return "index files missing";
        }
        String problem = offsetIndex.sanityCheck(size, offsetLimit, full);
        if (problem != null) {
            return offsetIndex.file().getFileName() + ": " + problem;
        }
        problem = timeIndex.sanityCheck(offsetLimit, full);
        return problem == null ? null : timeIndex.file().getFileName() + ": " + problem;
    }

    /** Trusts the indexes of a closed segment that ends where the next one starts. */
    void loadFromIndexes(long nextSegmentBaseOffset) {
        nextOffset = nextSegmentBaseOffset;
        offsetOfMaxTimestamp = timeIndex.lastOffset();
        maxTimestamp = timeIndex.lastTimestamp();
    }

    /**
     * The cheap check of a cleanly closed last segment: walks the batch headers after the last index entry and
     * requires them to end exactly at the end of the file. Returns false if they do not (then recover it).
     */
    boolean loadTail() throws IOException {
        int limit = size;
        ByteBuffer header = ByteBuffer.allocate(HEADER_PREFIX);
        int slot = offsetIndex.entries() - 1;
        int p = slot < 0 ? 0 : offsetIndex.positionAt(slot);
        long next = slot < 0 ? baseOffset : offsetIndex.offsetAt(slot);
        long max = timeIndex.lastTimestamp();
        long offsetOfMax = timeIndex.lastOffset();
        while (p < limit) {
            if (limit - p < RecordBatch.HEADER_SIZE) {
                return false;
            }
            readHeader(header, p);
            int length = header.getInt(RecordBatch.LENGTH_OFFSET);
            long batchBase = header.getLong(RecordBatch.BASE_OFFSET_OFFSET);
            int delta = header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            if (length < MIN_BATCH_LENGTH || length > limit - p - RecordBatch.LOG_OVERHEAD
                    || header.get(RecordBatch.MAGIC_OFFSET) != RecordBatch.MAGIC || batchBase < next || delta < 0) {
                return false;
            }
            long batchMax = header.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET);
            if (batchMax > max) {
                max = batchMax;
                offsetOfMax = batchBase;
            }
            next = batchBase + delta + 1;
            p += RecordBatch.LOG_OVERHEAD + length;
        }
        nextOffset = next;
        offsetOfMaxTimestamp = offsetOfMax;
        maxTimestamp = max;
        bytesSinceLastIndexEntry = slot < 0 ? limit : limit - offsetIndex.positionAt(slot);
        if (limit > 0) {
            readHeader(header, 0);
            rollingBasedTimestamp = header.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET);
        }
        return true;
    }

    /**
     * Reads and checks every batch, rebuilding both indexes from scratch; at the first bad batch the file is
     * cut there. Returns that cut, or null when the whole file was good.
     */
    RecoveryReport.Truncation recover(int maxIndexBytes, int indexIntervalBytes) throws IOException {
        offsetIndex.setEntries(0);
        timeIndex.setEntries(0);
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
        maxTimestamp = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestamp = baseOffset;
        bytesSinceLastIndexEntry = 0;
        rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
        indexesFlushed = false;
        long fileSize = channel.size();
        BatchFileReader reader = new BatchFileReader(channel, fileSize, baseOffset);
        while (reader.next()) {
            indexBatch(reader.baseOffset(), reader.maxTimestamp(), (int) reader.position(), reader.batchSize(),
                    indexIntervalBytes);
        }
        nextOffset = reader.nextOffset();
        if (reader.problem() == null) {
            size = (int) fileSize;
            return null;
        }
        long cut = reader.position();
        channel.truncate(cut);
        size = (int) cut;
        return new RecoveryReport.Truncation(logFile, cut, fileSize - cut, reader.problem());
    }

    // ---- reads (any thread) ----

    /**
     * Whole batches from the one holding {@code startOffset}, at most {@code maxBytes} of them (or the first
     * alone when it is larger and {@code minOneBatch}), none holding {@code maxOffset} or later. Returns null
     * when no batch here reaches {@code startOffset} and {@link LogSlice#EMPTY} when one does but nothing may
     * be returned; otherwise a slice that takes over the caller's reference on this segment.
     */
    LogSlice read(long startOffset, int maxBytes, boolean minOneBatch, long maxOffset) throws IOException {
        int limit = size;
        ByteBuffer header = ByteBuffer.allocate(HEADER_PREFIX);
        int start = startPositionOf(startOffset, limit, header);
        if (start < 0) {
            return null;
        }
        int end = limit;
        if (maxOffset < nextOffset) {
            int bound = startPositionOf(maxOffset, limit, header);
            if (bound >= 0) {
                end = bound;
            }
        }
        if (start >= end) {
            return LogSlice.EMPTY;
        }
        long want = (long) start + Math.max(0, maxBytes);
        int stop;
        if (want >= end) {
            stop = end;
        } else {
            stop = lastBoundaryWithin(start, (int) want, header);
            if (stop == start) {
                if (!minOneBatch) {
                    return LogSlice.EMPTY;
                }
                readHeader(header, start);
                stop = start + RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
            }
        }
        return new LogSlice(this, channel, start, stop - start);
    }

    /** The first batch whose maxTimestamp reaches {@code timestamp} and that ends at or after the log start. */
    TimestampOffset findByTimestamp(long timestamp, long logStartOffset) throws IOException {
        int limit = size;
        int slot = timeIndex.floorSlotBelow(timestamp);
        long from = Math.max(slot < 0 ? baseOffset : timeIndex.offsetAt(slot), logStartOffset);
        ByteBuffer header = ByteBuffer.allocate(HEADER_PREFIX);
        int p = startPositionOf(from, limit, header);
        if (p < 0) {
            return null;
        }
        while (p < limit) {
            readHeader(header, p);
            long batchBase = header.getLong(RecordBatch.BASE_OFFSET_OFFSET);
            long batchLast = batchBase + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            long batchMax = header.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET);
            if (batchLast >= logStartOffset && batchMax >= timestamp) {
                return new TimestampOffset(batchMax, Math.max(batchBase, logStartOffset));
            }
            p += RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
        }
        return null;
    }

    /** Receives each batch's partition leader epoch and base offset, in file order. */
    interface BatchEpochVisitor {
        void batch(int partitionLeaderEpoch, long baseOffset);
    }

    /**
     * Reads every batch header, in order, for the leader epochs they carry (rebuilding a lost epoch
     * checkpoint). Batches were checked when the segment was loaded; a header that does not fit ends the walk.
     */
    void forEachBatchEpoch(BatchEpochVisitor visitor) throws IOException {
        int limit = size;
        ByteBuffer header = ByteBuffer.allocate(HEADER_PREFIX);
        for (int p = 0; limit - p >= RecordBatch.HEADER_SIZE; ) {
            readHeader(header, p);
            int length = header.getInt(RecordBatch.LENGTH_OFFSET);
            if (length < MIN_BATCH_LENGTH) {
                return;
            }
            visitor.batch(header.getInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET),
                    header.getLong(RecordBatch.BASE_OFFSET_OFFSET));
            p += RecordBatch.LOG_OVERHEAD + length;
        }
    }

    /** Position of the first batch below {@code limit} whose last offset is at least {@code offset}, or -1. */
    private int startPositionOf(long offset, int limit, ByteBuffer header) throws IOException {
        int slot = offsetIndex.floorSlotForOffset(offset);
        // Entries appended after the caller took its size snapshot may point past it.
        while (slot >= 0 && offsetIndex.positionAt(slot) >= limit) {
            slot--;
        }
        int p = slot < 0 ? 0 : offsetIndex.positionAt(slot);
        while (p < limit) {
            readHeader(header, p);
            long last = header.getLong(RecordBatch.BASE_OFFSET_OFFSET)
                    + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            if (last >= offset) {
                return p;
            }
            p += RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
        }
        return -1;
    }

    /** The largest batch boundary in [start, want]: the index jumps close to {@code want}, headers do the rest. */
    private int lastBoundaryWithin(int start, int want, ByteBuffer header) throws IOException {
        int slot = offsetIndex.floorSlotForPosition(want);
        int p = slot < 0 ? start : Math.max(start, offsetIndex.positionAt(slot));
        for (;;) {
            readHeader(header, p);
            int next = p + RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
            if (next > want) {
                return p;
            }
            p = next;
        }
    }

    private void readHeader(ByteBuffer header, int position) throws IOException {
        header.clear();
        while (header.hasRemaining()) {
            if (channel.read(header, position + header.position()) < 0) {
                throw new EOFException(logFile + " ends inside the batch header at " + position);
            }
        }
    }

    // ---- durability ----

    /** fsyncs the log file, and once after the segment stopped being active, its indexes. */
    void flush() throws IOException {
        channel.force(false);
        if (!active && !indexesFlushed) {
            offsetIndex.force();
            timeIndex.force();
            indexesFlushed = true;
        }
    }

    // ---- lifetime ----

    /** One more reference, unless the segment is already gone. */
    boolean tryRetain() {
        for (;;) {
            int count = refCnt;
            if (count <= 0) {
                return false;
            }
            if (REF_CNT.compareAndSet(this, count, count + 1)) {
                return true;
            }
        }
    }

    void release() {
        int count = REF_CNT.decrementAndGet(this);
        if (count == 0) {
            closeFiles();
        } else if (count < 0) {
            throw new IllegalStateException(logFile + " released more often than retained");
        }
    }

    /** Renames the files to {@code .deleted}; they are unlinked when the last reference goes. */
    void markDeleted() throws IOException {
        deleted = true;
        Path target = logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX);
        Files.move(logFile, target, StandardCopyOption.REPLACE_EXISTING);
        logFile = target;
        offsetIndex.renameTo(offsetIndex.file().resolveSibling(offsetIndex.file().getFileName() + DELETED_SUFFIX));
        timeIndex.renameTo(timeIndex.file().resolveSibling(timeIndex.file().getFileName() + DELETED_SUFFIX));
    }

    private void closeFiles() {
        try {
            channel.close();
            if (deleted) {
                Files.deleteIfExists(logFile);
                offsetIndex.deleteIfExists();
                timeIndex.deleteIfExists();
            }
        } catch (IOException e) {
            LOG.warn("Could not close or delete segment {}: {}", logFile, e.toString());
        }
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile.getFileName() + ", size=" + size + ", nextOffset=" + nextOffset + ")";
    }
}
