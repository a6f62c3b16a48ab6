package io.fjord.record;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The records of one batch, in order. Structure is checked as it goes: a record that does not
 * parse, fewer records than the header's count, or bytes left after the last counted record raise
 * {@link CorruptRecordException} (the last one instead of returning that final record, so a
 * complete pass proves the whole payload consistent). Create with {@link RecordReader#records}.
 */
public final class RecordIterator implements Iterator<Record> {
    private final RecordCursor cursor;
    private final int count;
    private final long baseOffset;
    private final long baseTimestamp;
    private final boolean logAppendTime;
    private final long maxTimestamp;
    private int read;

    RecordIterator(RecordCursor cursor, int count, RecordBatch batch) {
        this.cursor = cursor;
        this.count = count;
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        this.maxTimestamp = batch.maxTimestamp();
    }

    @Override
    public boolean hasNext() {
        return read < count;
    }

    @Override
    public Record next() {
        if (read >= count) {
            throw new NoSuchElementException();
        }
        if (!cursor.hasRemaining()) {
            throw new CorruptRecordException("batch declares " + count + " records but holds only " + read);
        }
        cursor.next();
        read++;
        if (read == count && cursor.hasRemaining()) {
            throw new CorruptRecordException(cursor.remaining() + " bytes follow the last of the " + count
                    + " records the batch declares");
        }
        // LogAppendTime batches carry the broker's time once, in maxTimestamp, for all their records.
        long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + cursor.timestampDelta;
        return new Record(cursor.buffer(), baseOffset + cursor.offsetDelta, timestamp, cursor);
    }

    /** Records not yet returned, by the header's count. */
    public int remaining() {
        return count - read;
    }
}
