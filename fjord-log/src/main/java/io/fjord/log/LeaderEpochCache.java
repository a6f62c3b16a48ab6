package io.fjord.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which leader epoch wrote which range of a partition's log, as Kafka's LeaderEpochFileCache keeps it: one
 * {@link EpochEntry} (epoch, offset of its first record) per epoch, sorted by epoch and by start offset,
 * both strictly increasing. A replica answers OffsetForLeaderEpoch from it, and a follower uses it to cut
 * exactly the records its new leader does not have.
 *
 * <p>Persisted as {@value #FILE_NAME} in the partition directory in Kafka's text layout
 * ({@code 0\n<count>\n<epoch> <startOffset>\n...}), rewritten atomically and durably on every change; changes
 * come with leader changes, truncation and moves of the log start, so they are rare. An assignment reaches the
 * file before it is visible (and before the records it describes are appended), so the file never lacks an
 * epoch the log has; a truncation is visible first, and a file left with extra entries by a crash is trimmed
 * when the log opens ({@link #truncateFromEnd}, {@link #truncateFromStart}).
 *
 * <p>Threads: changes come from one writer at a time (the log's, under its lock; they also synchronize here);
 * reads come from any thread without a lock: the entries are an immutable array replaced whole and published
 * through a volatile field.
 */
public final class LeaderEpochCache {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochCache.class);

    public static final String FILE_NAME = "leader-epoch-checkpoint";
    /** Kafka's UNDEFINED_EPOCH: a batch or request that carries no leader epoch. */
    public static final int UNDEFINED_EPOCH = -1;

    private static final EpochEntry[] NONE = new EpochEntry[0];

    private final Path file;
    private final String name;
    private volatile EpochEntry[] entries;
    /** Whether the entries hold an assignment the file does not have yet ({@link #assignDeferred}). */
    private volatile boolean deferred;

    private LeaderEpochCache(Path file, String name, EpochEntry[] entries) {
        this.file = file;
        this.name = name;
        this.entries = entries;
    }

    /** An empty cache that writes {@code file} on its first change (an existing file is ignored and replaced). */
    public static LeaderEpochCache empty(Path file) {
        return new LeaderEpochCache(file, nameOf(file), NONE);
    }

    /**
     * The cache stored in {@code file}, or an empty one when there is no file. A file that does not parse, or
     * whose epochs or start offsets do not strictly increase, is an IOException saying what is wrong.
     */
    public static LeaderEpochCache read(Path file) throws IOException {
        List<EpochEntry> stored = readFile(file);
        return new LeaderEpochCache(file, nameOf(file), stored == null ? NONE : stored.toArray(NONE));
    }

    /**
     * A cache holding {@code initial} (applied in order with {@link #assign}'s rules, so the result is
     * monotonic whatever it is given), not yet written to {@code file}.
     */
    static LeaderEpochCache of(Path file, List<EpochEntry> initial) {
        LeaderEpochCache cache = new LeaderEpochCache(file, nameOf(file), NONE);
        EpochEntry[] built = NONE;
        for (EpochEntry entry : initial) {
            built = cache.withAssigned(built, entry.epoch(), entry.startOffset());
        }
        cache.entries = built;
        return cache;
    }

    /** The entries stored in {@code file}, checked as {@link #read} does; null when there is no file. */
    static List<EpochEntry> readFile(Path file) throws IOException {
        List<String[]> lines = CheckpointText.read(file, 2);
        if (lines == null) {
            return null;
        }
        List<EpochEntry> result = new ArrayList<>(lines.size());
        for (String[] parts : lines) {
            String line = String.join(" ", parts);
            int epoch = CheckpointText.parseInt(file, parts[0], "epoch in line '" + line + "'");
            long startOffset = CheckpointText.parseLong(file, parts[1], line);
            if (epoch < 0 || startOffset < 0) {
                throw CheckpointText.malformed(file, "negative epoch or offset in line '" + line + "'");
            }
            if (!result.isEmpty()) {
                EpochEntry previous = result.getLast();
                if (epoch <= previous.epoch() || startOffset <= previous.startOffset()) {
                    throw CheckpointText.malformed(file, "entry '" + line + "' does not follow "
                            + previous.epoch() + " " + previous.startOffset() + " (both must increase)");
                }
            }
            result.add(new EpochEntry(epoch, startOffset));
        }
        return result;
    }

    private static String nameOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toString() : parent.getFileName().toString();
    }

    public Path file() {
        return file;
    }

    // ---- reads (any thread, no lock) ----

    /** The latest epoch, or -1 when there is none. */
    public int latestEpoch() {
        EpochEntry[] current = entries;
        return current.length == 0 ? UNDEFINED_EPOCH : current[current.length - 1].epoch();
    }

    /** The entries, oldest first. */
    public List<EpochEntry> entries() {
        return List.of(entries);
    }

    /**
     * Kafka's answer to OffsetForLeaderEpoch for {@code requestedEpoch}, given the log end offset:
     * <ul>
     * <li>{@link EpochEndOffset#UNDEFINED} for an undefined request (-1), an empty cache or an epoch above the
     *     latest;</li>
     * <li>the latest epoch itself: (that epoch, {@code logEndOffset}), as it is still being written;</li>
     * <li>an epoch below the first known: (the requested epoch, the first entry's start offset); what came
     *     before is no longer in the log, so a follower should keep nothing past where the log now starts;</li>
     * <li>otherwise (the largest known epoch not above the requested one, the start offset of the first
     *     epoch above it).</li>
     * </ul>
     */
    public EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        return endOffsetFor(entries, requestedEpoch, logEndOffset);
    }

    /** The entries as one immutable array, for a reader that must pair them with a log end offset. */
    EpochEntry[] snapshot() {
        return entries;
    }

    /** {@link #endOffsetFor(int, long)} on a {@link #snapshot()}. */
    static EpochEndOffset endOffsetFor(EpochEntry[] current, int requestedEpoch, long logEndOffset) {
        int n = current.length;
        if (requestedEpoch == UNDEFINED_EPOCH || n == 0) {
            return EpochEndOffset.UNDEFINED;
        }
        if (current[n - 1].epoch() == requestedEpoch) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        int higher = firstAbove(current, requestedEpoch);
        if (higher == n) {
            return EpochEndOffset.UNDEFINED;
        }
        if (higher == 0) {
            return new EpochEndOffset(requestedEpoch, current[0].startOffset());
        }
        return new EpochEndOffset(current[higher - 1].epoch(), current[higher].startOffset());
    }

    /** Index of the first entry with an epoch above {@code epoch}, or the length when there is none. */
    private static int firstAbove(EpochEntry[] current, int epoch) {
        int lo = 0;
        int hi = current.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (current[mid].epoch() <= epoch) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ---- changes (one writer) ----

    /**
     * Records that {@code epoch} starts at {@code startOffset}, as Kafka does: nothing changes when the epoch
     * is the latest one and does not start earlier than recorded (an epoch, once assigned, keeps its start).
     * Otherwise the latest entries whose epoch is not below {@code epoch} or whose start offset is not below
     * {@code startOffset} are dropped, so both stay increasing, and the new entry is added last. The file is
     * written before the change is visible. Returns whether anything changed.
     *
     * @throws IllegalArgumentException for a negative epoch or offset
     * @throws LogStorageException      when the file cannot be written (the cache is then unchanged)
     */
    public synchronized boolean assign(int epoch, long startOffset) {
        EpochEntry[] current = entries;
        EpochEntry[] next = withAssigned(current, epoch, startOffset);
        if (next == current) {
            return false;
        }
        persist(next);
        entries = next;
        return true;
    }

    /**
     * {@link #assign} for an epoch that starts at the log end offset, with nothing in it yet: the file is
     * written by the first append of the epoch ({@link #persistIfDeferred}), not now. A new leader thus costs
     * no fsync until it writes, and a topic of many partitions is created without one per partition; an
     * epoch that never got a record would be dropped at the next open anyway.
     */
    public synchronized boolean assignDeferred(int epoch, long startOffset) {
        EpochEntry[] current = entries;
        EpochEntry[] next = withAssigned(current, epoch, startOffset);
        if (next == current) {
            return false;
        }
        entries = next;
        deferred = true;
        return true;
    }

    /** Writes the file if {@link #assignDeferred} left it behind the entries; under the log's lock, before an append. */
    void persistIfDeferred() {
        if (!deferred) {
            return; // the append path's usual case: one volatile read
        }
        synchronized (this) {
            if (deferred) {
                persist(entries);
            }
        }
    }

    /** {@link #assign} for several entries in order, with a single write of the file. */
    synchronized boolean assignAll(List<EpochEntry> newEntries) {
        EpochEntry[] current = entries;
        EpochEntry[] next = current;
        for (EpochEntry entry : newEntries) {
            next = withAssigned(next, entry.epoch(), entry.startOffset());
        }
        if (next == current) {
            return false;
        }
        persist(next);
        entries = next;
        return true;
    }

    private EpochEntry[] withAssigned(EpochEntry[] current, int epoch, long startOffset) {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("invalid leader epoch entry (" + epoch + ", " + startOffset + ")");
        }
        int n = current.length;
        if (n > 0 && current[n - 1].epoch() == epoch && startOffset >= current[n - 1].startOffset()) {
            return current;
        }
        int keep = n;
        while (keep > 0 && (current[keep - 1].epoch() >= epoch || current[keep - 1].startOffset() >= startOffset)) {
            keep--;
        }
        EpochEntry[] next = Arrays.copyOf(current, keep + 1);
        next[keep] = new EpochEntry(epoch, startOffset);
        int removed = n - keep;
        // One dropped entry starting where the new one does is a leader that took over but wrote nothing:
        // expected. Anything else means records of those epochs were given up.
        if (removed > 1 || (removed == 1 && current[keep].startOffset() != startOffset)) {
            LOG.warn("{}: new leader epoch entry ({}, {}) replaced conflicting entries {}", name, epoch, startOffset,
                    Arrays.asList(current).subList(keep, n));
        }
        return next;
    }

    /**
     * Drops every entry starting at or after {@code endOffset}, after the log was truncated to it. A negative
     * offset changes nothing.
     */
    public synchronized void truncateFromEnd(long endOffset) {
        EpochEntry[] current = entries;
        int keep = current.length;
        if (endOffset < 0) {
            return;
        }
        while (keep > 0 && current[keep - 1].startOffset() >= endOffset) {
            keep--;
        }
        if (keep < current.length) {
            publishAndPersist(Arrays.copyOf(current, keep));
            LOG.debug("{}: epoch entries from offset {} on removed; {} left", name, endOffset, keep);
        }
    }

    /**
     * Moves the history's start up to {@code startOffset}, the new log start: entries wholly below it go, and
     * the one covering it (the last starting at or before it) now starts there. An entry starting exactly there
     * is kept as it is.
     */
    public synchronized void truncateFromStart(long startOffset) {
        EpochEntry[] current = entries;
        int covering = -1;
        while (covering + 1 < current.length && current[covering + 1].startOffset() <= startOffset) {
            covering++;
        }
        if (covering < 0 || (covering == 0 && current[0].startOffset() == startOffset)) {
            return;
        }
        EpochEntry[] next = Arrays.copyOfRange(current, covering, current.length);
        next[0] = new EpochEntry(current[covering].epoch(), startOffset);
        publishAndPersist(next);
        LOG.debug("{}: epoch history now starts at offset {} with epoch {}", name, startOffset, next[0].epoch());
    }

    /** Forgets every entry (the log was emptied). */
    public synchronized void clear() {
        if (entries.length > 0) {
            publishAndPersist(NONE);
        }
    }

    /** Writes the file with the current entries, whether or not they changed (after a rebuild). */
    synchronized void write() {
        persist(entries);
    }

    /**
     * A truncation is visible before it is written: a file left with extra entries is trimmed on the next
     * open against the log's bounds, while a reader must never see entries for records already gone.
     */
    private void publishAndPersist(EpochEntry[] next) {
        entries = next;
        persist(next);
    }

    private void persist(EpochEntry[] next) {
        List<String> lines = new ArrayList<>(next.length);
        for (EpochEntry entry : next) {
            lines.add(entry.epoch() + " " + entry.startOffset());
        }
        try {
            CheckpointText.write(file, lines);
        } catch (IOException e) {
            throw new LogStorageException(name + ": cannot write " + file, e);
        }
        deferred = false;
    }

    @Override
    public String toString() {
        return "LeaderEpochCache(" + name + ", " + Arrays.toString(entries) + ")";
    }
}
