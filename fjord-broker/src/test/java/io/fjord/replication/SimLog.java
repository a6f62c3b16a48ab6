package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replication simulation's replica log: records (offset, leader epoch, payload) in memory, with a
 * leader epoch cache that follows Kafka's LeaderEpochFileCache rules (assign drops entries that would
 * no longer be monotonic; truncating from the end drops entries starting at or past the new end, even
 * when no record goes; endOffsetFor answers with the epoch found and where the next one starts). It
 * survives a simulated process crash whole: only the broker's memory is lost.
 */
final class SimLog {

    record Entry(long offset, int epoch, String payload) {
        @Override
        public String toString() {
            return offset + ":" + epoch + ":" + payload;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    /** epoch -> start offset; starts strictly increase with the epochs. */
    private final TreeMap<Integer, Long> epochs = new TreeMap<>();

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

    Map<Integer, Long> epochEntries() {
        return epochs;
    }

    int latestEpoch() {
        return epochs.isEmpty() ? -1 : epochs.lastKey();
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
        if (epochs.isEmpty() || entry.epoch() != epochs.lastKey()) {
            assignEpochStartOffset(entry.epoch(), entry.offset());
        }
        entries.add(entry);
    }

    /** Kafka's assign: a no-op for the latest epoch at or after its start; else drops what would not stay monotonic. */
    void assignEpochStartOffset(int epoch, long startOffset) {
        if (!epochs.isEmpty() && epochs.lastKey() == epoch && epochs.lastEntry().getValue() <= startOffset) {
            return;
        }
        epochs.entrySet().removeIf(e -> e.getKey() >= epoch || e.getValue() >= startOffset);
        epochs.put(epoch, startOffset);
    }

    /**
     * Kafka's truncateTo: drops records from {@code offset}; the epoch cache is truncated from the end even
     * when no record goes (a leader may have started an epoch it appended nothing in).
     */
    void truncateTo(long offset) {
        if (offset < entries.size()) {
            entries.subList((int) offset, entries.size()).clear();
        }
        long end = logEndOffset();
        epochs.entrySet().removeIf(e -> e.getValue() >= end);
    }

    /** Kafka's LeaderEpochFileCache.endOffsetFor(epoch, logEndOffset). */
    EpochEndOffset endOffsetForEpoch(int epoch) {
        if (epoch < 0) {
            return EpochEndOffset.UNDEFINED;
        }
        if (!epochs.isEmpty() && epochs.lastKey() == epoch) {
            return new EpochEndOffset(epoch, logEndOffset());
        }
        Map.Entry<Integer, Long> higher = epochs.higherEntry(epoch);
        if (higher == null) {
            return EpochEndOffset.UNDEFINED;
        }
        Map.Entry<Integer, Long> floor = epochs.floorEntry(epoch);
        return floor == null ? new EpochEndOffset(epoch, higher.getValue()) : new EpochEndOffset(floor.getKey(), higher.getValue());
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("leo=").append(logEndOffset()).append(" epochs=").append(epochs).append(" [");
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
