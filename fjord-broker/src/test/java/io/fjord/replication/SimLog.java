package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.log.EpochEntry;
import io.fjord.log.LeaderEpochCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The replication simulation's replica log: records (offset, leader epoch, payload) in memory, and the
 * real {@link LeaderEpochCache} (with its checkpoint file) for the epochs, driven the way the log drives
 * it: every append assigns its record's epoch, a new leader assigns its epoch at its log end, a truncation
 * truncates the cache from the new end. It survives a simulated process crash whole: only the broker's
 * memory is lost.
 */
final class SimLog {

    record Entry(long offset, int epoch, String payload) {
        @Override
        public String toString() {
            return offset + ":" + epoch + ":" + payload;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final LeaderEpochCache epochs;

    SimLog(Path epochCheckpoint) {
        this.epochs = LeaderEpochCache.empty(epochCheckpoint);
    }

    long logEndOffset() {
        return entries.size();
    }

    Entry get(long offset) {
        return entries.get((int) offset);
    }

    List<Entry> read(long from, long to) {
        return List.copyOf(entries.subList((int) from, (int) to));
    }

    List<Entry> entries() {
        return entries;
    }

    List<EpochEntry> epochEntries() {
        return epochs.entries();
    }

    int latestEpoch() {
        return epochs.latestEpoch();
    }

    /** A leader's append of a new record in its epoch. */
    void appendAsLeader(int epoch, String payload) {
        append(new Entry(logEndOffset(), epoch, payload));
    }

    /** A record as fetched: offset and epoch already set. Its epoch enters the cache as the real log's append does. */
    void append(Entry entry) {
        if (entry.offset() != logEndOffset()) {
            throw new IllegalStateException("append of " + entry + " at log end " + logEndOffset());
        }
        epochs.assign(entry.epoch(), entry.offset());
        entries.add(entry);
    }

    void assignEpochStartOffset(int epoch, long startOffset) {
        epochs.assign(epoch, startOffset);
    }

    /**
     * Kafka's UnifiedLog.truncateTo: drops records from {@code offset}, and truncates the epoch cache from the
     * end even when no record goes, since a replica that led an epoch without appending anything holds an
     * entry for it at its log end; kept, it would make every fetch of this follower diverge again.
     */
    void truncateTo(long offset) {
        if (offset < entries.size()) {
            entries.subList((int) offset, entries.size()).clear();
        }
        epochs.truncateFromEnd(logEndOffset());
    }

    /**
     * The log opened again after a crash: as the real log does, epoch entries starting at or past the log end go
     * (an epoch a leader started but wrote nothing in is not kept across a restart).
     */
    void reopen() {
        epochs.truncateFromEnd(logEndOffset());
    }

    EpochEndOffset endOffsetForEpoch(int epoch) {
        return epochs.endOffsetFor(epoch, logEndOffset());
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("leo=").append(logEndOffset()).append(" epochs=").append(epochs.entries()).append(" [");
        int from = Math.max(0, entries.size() - 12);
        if (from > 0) {
            out.append("... ");
        }
        for (int i = from; i < entries.size(); i++) {
            out.append(entries.get(i)).append(i + 1 < entries.size() ? " " : "");
        }
        return out.append(']').toString();
    }
}
