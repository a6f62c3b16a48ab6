package io.fjord.produce;

import io.fjord.record.RecordBatch;

/**
 * What a partition remembers of one idempotent producer: its epoch and its last
 * {@value #BATCHES_TO_RETAIN} batches. Five because a Java or librdkafka producer has at most five
 * requests in flight per connection, so any retry it sends is one of those five.
 *
 * <p>The batches live in a ring of primitive arrays so an append records its batch without
 * allocating. Not thread-safe: the partition's append lock guards it.
 */
final class ProducerStateEntry {
    static final int BATCHES_TO_RETAIN = 5;

    private final long producerId;
    private short epoch;
    /** Broker clock of the last append, for producer.id.expiration.ms. */
    private long lastUpdateMs;
    private final int[] firstSeq = new int[BATCHES_TO_RETAIN];
    private final int[] lastSeq = new int[BATCHES_TO_RETAIN];
    private final long[] firstOffset = new long[BATCHES_TO_RETAIN];
    private final long[] lastOffset = new long[BATCHES_TO_RETAIN];
    private final long[] timestamp = new long[BATCHES_TO_RETAIN];
    /** Index of the oldest retained batch. */
    private int head;
    private int size;

    ProducerStateEntry(long producerId, short epoch, long lastUpdateMs) {
        this.producerId = producerId;
        this.epoch = epoch;
        this.lastUpdateMs = lastUpdateMs;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    long lastUpdateMs() {
        return lastUpdateMs;
    }

    void lastUpdateMs(long ms) {
        this.lastUpdateMs = ms;
    }

    int batchCount() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Sequence of the last record of the newest batch, or {@link RecordBatch#NO_SEQUENCE}. */
    int lastSeq() {
        return size == 0 ? RecordBatch.NO_SEQUENCE : lastSeq[slot(size - 1)];
    }

    /** Last offset of the newest batch, or -1 when no batch is retained. */
    long lastOffset() {
        return size == 0 ? -1 : lastOffset[slot(size - 1)];
    }

    /** A new epoch starts the producer's sequences over, so the batches of the old one no longer count. */
    void bumpEpoch(short newEpoch) {
        if (newEpoch != epoch) {
            epoch = newEpoch;
            head = 0;
            size = 0;
        }
    }

    /** Records a batch as the newest, dropping the oldest when five are retained. Switches epoch first if needed. */
    void addBatch(short batchEpoch, int batchFirstSeq, int batchLastSeq, long batchFirstOffset, long batchLastOffset,
            long batchTimestamp) {
        bumpEpoch(batchEpoch);
        int slot;
        if (size < BATCHES_TO_RETAIN) {
            slot = slot(size);
            size++;
        } else {
            slot = head;
            head = (head + 1) % BATCHES_TO_RETAIN;
        }
        firstSeq[slot] = batchFirstSeq;
        lastSeq[slot] = batchLastSeq;
        firstOffset[slot] = batchFirstOffset;
        lastOffset[slot] = batchLastOffset;
        timestamp[slot] = batchTimestamp;
    }

    /**
     * The retained batch with exactly this epoch and sequence range, or -1. Kafka's rule: a retry
     * resends the same batch, so only an exact match is a duplicate.
     */
    int findDuplicate(short batchEpoch, int batchFirstSeq, int batchLastSeq) {
        if (batchEpoch != epoch) {
            return -1;
        }
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            if (firstSeq[s] == batchFirstSeq && lastSeq[s] == batchLastSeq) {
                return i;
            }
        }
        return -1;
    }

    /** Batch {@code i} counted from the oldest (0) to the newest ({@code batchCount() - 1}). */
    BatchMetadata batch(int i) {
        int s = slot(i);
        return new BatchMetadata(firstSeq[s], lastSeq[s], firstOffset[s], lastOffset[s], timestamp[s]);
    }

    private int slot(int i) {
        return (head + i) % BATCHES_TO_RETAIN;
    }

    @Override
    public String toString() {
        return "ProducerStateEntry(producerId=" + producerId + ", epoch=" + epoch + ", batches=" + size + ", lastSeq="
                + lastSeq() + ", lastOffset=" + lastOffset() + ")";
    }
}
