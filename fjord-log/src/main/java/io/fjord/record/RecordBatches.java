package io.fjord.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks the v2 batches laid end to end in a buffer, from its position to its limit, without moving
 * either. Each batch's length and magic are checked before it is handed out (its CRC is not: call
 * {@link RecordBatch#isValid()} where that matters). Iteration stops cleanly before an incomplete
 * batch at the end, as fetch responses and torn log tails end; {@link #hasPartialBatch()} and
 * {@link #position()} then say where and how much. A header that cannot be a batch (length below
 * the v2 minimum, wrong magic) raises {@link CorruptRecordException}.
 */
public final class RecordBatches implements Iterator<RecordBatch> {
    /** The smallest batchLength a v2 batch can have: its header after the length field. */
    public static final int MIN_BATCH_LENGTH = RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD;

    private final ByteBuffer buffer;
    private final int start;
    private final int limit;
    private int position;
    private int nextSize = -1;

    private RecordBatches(ByteBuffer buffer) {
        this.buffer = buffer;
        this.start = buffer.position();
        this.limit = buffer.limit();
        this.position = start;
    }

    /** An iterator over the batches between the buffer's position and limit. */
    public static RecordBatches over(ByteBuffer buffer) {
        return new RecordBatches(buffer);
    }

    /** For for-each loops; every iteration starts afresh at the buffer's position. */
    public static Iterable<RecordBatch> of(ByteBuffer buffer) {
        return () -> over(buffer);
    }

    /** @throws CorruptRecordException if the next batch's header is impossible */
    @Override
    public boolean hasNext() {
        if (nextSize >= 0) {
            return true;
        }
        int remaining = limit - position;
        if (remaining < RecordBatch.LOG_OVERHEAD) {
            return false;
        }
        int batchLength = buffer.getInt(position + RecordBatch.LENGTH_OFFSET);
        if (batchLength < MIN_BATCH_LENGTH) {
            throw new CorruptRecordException("batch at byte " + (position - start) + " has length " + batchLength
                    + ", below the minimum of " + MIN_BATCH_LENGTH);
        }
        if (remaining > RecordBatch.MAGIC_OFFSET) {
            byte magic = buffer.get(position + RecordBatch.MAGIC_OFFSET);
            if (magic != RecordBatch.MAGIC) {
                throw new CorruptRecordException("batch at byte " + (position - start) + " has magic " + magic
                        + ", only magic 2 is supported");
            }
        }
        if (batchLength > remaining - RecordBatch.LOG_OVERHEAD) {
            return false;
        }
        nextSize = RecordBatch.LOG_OVERHEAD + batchLength;
        return true;
    }

    /** A new view of the next batch; views stay valid independently of the iteration. */
    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RecordBatch batch = new RecordBatch(buffer, position);
        position += nextSize;
        nextSize = -1;
        return batch;
    }

    /** Absolute position just past the last batch returned: where a partial batch, if any, starts. */
    public int position() {
        return position;
    }

    /** Bytes of complete batches returned so far. */
    public int validBytes() {
        return position - start;
    }

    /**
     * True when the iteration has ended before bytes that do not form a whole batch. Only
     * meaningful once {@link #hasNext()} has returned false.
     */
    public boolean hasPartialBatch() {
        return !hasNext() && position < limit;
    }

    /** Bytes after the last complete batch returned. */
    public int remainingBytes() {
        return limit - position;
    }
}
