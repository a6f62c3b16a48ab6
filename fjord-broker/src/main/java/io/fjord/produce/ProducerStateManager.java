package io.fjord.produce;

import io.fjord.protocol.Errors;
import io.fjord.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent producers of one partition: per producer id its epoch and last five batches, so a
 * retried batch is answered with its first offsets instead of being written twice, and a batch that
 * skips or reorders sequences is refused. Kafka's rules (its ProducerAppendInfo), checked before every
 * client append:
 * <ul>
 *   <li>an exact repeat (same epoch and sequence range) of a retained batch is a duplicate: success with
 *       the original offsets, nothing written (modern brokers never send DUPLICATE_SEQUENCE_NUMBER);</li>
 *   <li>an epoch below the current one: INVALID_PRODUCER_EPOCH;</li>
 *   <li>a higher epoch must start at sequence 0, else OUT_OF_ORDER_SEQUENCE_NUMBER;</li>
 *   <li>the same epoch must continue at last sequence + 1 (Integer.MAX_VALUE wraps to 0), else
 *       OUT_OF_ORDER_SEQUENCE_NUMBER;</li>
 *   <li>a producer we know nothing of (new, expired, or its records gone with retention) may start at
 *       any sequence: since KIP-360 brokers no longer answer UNKNOWN_PRODUCER_ID to produce.</li>
 * </ul>
 *
 * <p>Threads: every method except {@link #load} runs under the partition's append lock. Snapshots are
 * encoded under the lock and written on a background thread, so no fsync ever runs on an event loop.
 * See {@link SnapshotFile} for when they are taken and {@link ProducerStateLoader} for the rebuild.
 */
public final class ProducerStateManager {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);

    /** Kafka's producer.id.expiration.ms default: a day. */
    public static final long DEFAULT_EXPIRATION_MS = 24L * 60 * 60 * 1000;
    /** Kafka's producer.id.expiration.check.interval.ms default. */
    static final long EXPIRATION_CHECK_INTERVAL_MS = 10L * 60 * 1000;
    /** Snapshots kept besides the newest, in case the newest turns out to lie beyond a log cut short by a crash. */
    private static final int SNAPSHOTS_TO_KEEP = 2;

    private final String name;
    private final Path dir;
    private final Executor snapshotExecutor;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** Serialises snapshot file writes: the background one at a roll and the one at close may overlap. */
    private final Object snapshotWriteLock = new Object();
    private volatile long expirationMs;
    private long lastExpirationCheckMs;
    /** Set by {@link #close}: background snapshots queued before it must not write into a partition being removed. */
    private volatile boolean closed;
    private int lastSegmentCount;

    ProducerStateManager(String name, Path dir, long expirationMs, Executor snapshotExecutor, long nowMs) {
        this.name = name;
        this.dir = dir;
        this.expirationMs = expirationMs;
        this.snapshotExecutor = snapshotExecutor;
        this.lastExpirationCheckMs = nowMs;
    }

    /** producer.id.expiration.ms; applies from the next check. */
    public void expirationMs(long ms) {
        this.expirationMs = ms;
    }

    public int producerCount() {
        return producers.size();
    }

    /** The verdict on a client batch of producer {@code producerId}; nothing changes until {@link #append}. */
    SequenceVerdict check(long producerId, short epoch, int firstSeq, int lastSeq) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            return SequenceVerdict.APPEND;
        }
        int duplicate = entry.findDuplicate(epoch, firstSeq, lastSeq);
        if (duplicate >= 0) {
            return SequenceVerdict.duplicateOf(entry.batch(duplicate));
        }
        if (epoch < entry.epoch()) {
            return SequenceVerdict.refuse(Errors.INVALID_PRODUCER_EPOCH, "epoch " + epoch + " of producer " + producerId
                    + " is older than its current epoch " + entry.epoch());
        }
        if (epoch > entry.epoch()) {
            if (firstSeq != 0) {
                return SequenceVerdict.refuse(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + producerId
                        + " starts its new epoch " + epoch + " at sequence " + firstSeq + " instead of 0");
            }
            return SequenceVerdict.APPEND;
        }
        if (!entry.isEmpty() && !follows(entry.lastSeq(), firstSeq)) {
            return SequenceVerdict.refuse(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + producerId + " sent sequence "
                    + firstSeq + " after " + entry.lastSeq() + " (epoch " + epoch + ")");
        }
        return SequenceVerdict.APPEND;
    }

    static boolean follows(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    /** Records a batch just written at {@code firstOffset..lastOffset}. */
    void append(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset, long lastOffset,
            long timestamp, long nowMs) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerStateEntry(producerId, epoch, nowMs);
            producers.put(producerId, entry);
        }
        entry.addBatch(epoch, firstSeq, lastSeq, firstOffset, lastOffset, timestamp);
        entry.lastUpdateMs(nowMs);
    }

    /**
     * Replays a batch found in the log while loading: no checks (it was checked when written), an older
     * epoch is kept out of the entry as a follower would, and control batches only move the epoch.
     */
    void replay(RecordBatch batch, long nowMs) {
        long producerId = batch.producerId();
        short epoch = batch.producerEpoch();
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerStateEntry(producerId, epoch, nowMs);
            producers.put(producerId, entry);
        } else if (epoch < entry.epoch()) {
            return;
        }
        if (batch.isControlBatch()) {
            entry.bumpEpoch(epoch);
        } else {
            entry.addBatch(epoch, batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset(),
                    batch.maxTimestamp());
        }
        entry.lastUpdateMs(nowMs);
    }

    /**
     * Batches a follower copied from its leader, already numbered: their producers' sequences are recorded
     * without checks (the leader checked them), so that this replica deduplicates retries like the leader
     * did if it becomes the leader. Under the partition's lock, right after the log append.
     */
    public void appendReplicated(ByteBuffer batches, long logEndOffset, int segmentCount, long nowMs) {
        RecordBatch batch = new RecordBatch();
        int end = batches.limit();
        for (int p = batches.position(); p + RecordBatch.HEADER_SIZE <= end; p += batch.sizeInBytes()) {
            batch.wrap(batches, p);
            if (batch.hasProducerId()) {
                replay(batch, nowMs);
            }
        }
        afterAppend(logEndOffset, segmentCount, nowMs);
    }

    /**
     * After every append, under the lock: drops expired producers every check interval, and takes a
     * snapshot when the log has rolled a segment, so a restart after a crash replays at most about one
     * segment's batch headers.
     */
    void afterAppend(long logEndOffset, int segmentCount, long nowMs) {
        if (nowMs - lastExpirationCheckMs >= EXPIRATION_CHECK_INTERVAL_MS) {
            lastExpirationCheckMs = nowMs;
            removeExpired(nowMs);
        }
        // A rise in the segment count is a roll. (Retention deleting one as another rolls hides that roll: the
        // next start then replays a little more, nothing worse.)
        if (segmentCount > lastSegmentCount && lastSegmentCount > 0) {
            snapshotAsync(logEndOffset);
        }
        lastSegmentCount = segmentCount;
    }

    void segmentCount(int count) {
        lastSegmentCount = count;
    }

    /** Forgets producers idle for producer.id.expiration.ms (by the broker's clock, see the class notes). */
    int removeExpired(long nowMs) {
        long limit = expirationMs;
        int removed = 0;
        for (Iterator<ProducerStateEntry> it = producers.values().iterator(); it.hasNext(); ) {
            if (nowMs - it.next().lastUpdateMs() >= limit) {
                it.remove();
                removed++;
            }
        }
        if (removed > 0) {
            LOG.debug("{}: expired {} idle producer(s)", name, removed);
        }
        return removed;
    }

    /** Drops producers whose every batch lies below the log start offset (retention or DeleteRecords took them). */
    void removeBelow(long logStartOffset) {
        producers.values().removeIf(entry -> entry.lastOffset() < logStartOffset);
    }

    void put(ProducerStateEntry entry) {
        producers.put(entry.producerId(), entry);
    }

    Collection<ProducerStateEntry> entries() {
        return producers.values();
    }

    /** The state of one producer, for tests and DescribeProducers later; null when unknown. */
    ProducerStateEntry entry(long producerId) {
        return producers.get(producerId);
    }

    private void snapshotAsync(long offset) {
        byte[] bytes = SnapshotFile.encode(producers.values());
        try {
            snapshotExecutor.execute(() -> writeSnapshot(offset, bytes));
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: producer snapshot at {} skipped, the node is stopping", name, offset);
        }
    }

    /**
     * Writes the snapshot at the log end offset now, on this thread, and takes no more: for a clean
     * shutdown, so the next start reads the state instead of replaying the log.
     */
    public void close(long logEndOffset) {
        byte[] bytes = SnapshotFile.encode(producers.values());
        synchronized (snapshotWriteLock) {
            if (!closed) {
                write(logEndOffset, bytes);
                closed = true;
            }
        }
    }

    /**
     * Takes no more snapshots and writes none: the log was truncated under this state, which describes
     * records that are gone; a background snapshot still queued must not land after the rebuild.
     */
    public void discard() {
        synchronized (snapshotWriteLock) {
            closed = true;
        }
    }

    private void writeSnapshot(long offset, byte[] bytes) {
        synchronized (snapshotWriteLock) {
            if (!closed) {
                write(offset, bytes);
            }
        }
    }

    /** Under {@link #snapshotWriteLock}: the new snapshot, then the oldest beyond the ones kept go. */
    private void write(long offset, byte[] bytes) {
        if (!Files.isDirectory(dir)) {
            return; // the partition was deleted meanwhile
        }
        try {
            SnapshotFile.write(dir, offset, bytes);
            List<Path> files = SnapshotFile.list(dir);
            for (int i = SNAPSHOTS_TO_KEEP; i < files.size(); i++) {
                Files.deleteIfExists(files.get(i));
            }
            LOG.debug("{}: producer snapshot at offset {} ({} bytes)", name, offset, bytes.length);
        } catch (IOException e) {
            // Only restart time suffers: the loader replays more of the log.
            LOG.warn("{}: cannot write the producer snapshot at offset {}", name, offset, e);
        }
    }

    @Override
    public String toString() {
        return "ProducerStateManager(" + name + ", producers=" + producers.size() + ")";
    }
}
