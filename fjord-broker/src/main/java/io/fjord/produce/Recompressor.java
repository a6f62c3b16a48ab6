package io.fjord.produce;

import io.fjord.protocol.Errors;
import io.fjord.record.CompressionType;
import io.fjord.record.CorruptRecordException;
import io.fjord.record.Header;
import io.fjord.record.Record;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.record.RecordIterator;
import io.fjord.record.RecordReader;
import io.fjord.record.TimestampType;
import java.nio.ByteBuffer;

/**
 * Rewrites a client batch in the topic's codec when {@code compression.type} names one other than the
 * producer's: the only place the produce path reads records one by one. Producer id, epoch, base
 * sequence, the transactional flag, offsets deltas, timestamps, keys, values and headers carry over;
 * baseOffset stays 0 for the log to assign. Since the records are decompressed anyway, they are
 * checked as Kafka's LogValidator checks them: a payload that does not decompress is CORRUPT_MESSAGE,
 * records that do not parse or whose offsets are not 0, 1, 2, ... are INVALID_RECORD.
 */
final class Recompressor {
    /** What came out: the new batch, or the error that stopped it. */
    record Outcome(ByteBuffer batch, Errors error, String message) {
        static Outcome failed(Errors error, String message) {
            return new Outcome(null, error, message);
        }
    }

    /**
     * One reader per thread: its decompression buffers are reused from batch to batch (a topic with its
     * own codec recompresses every batch), and a batch's records are copied out before the next.
     */
    private static final ThreadLocal<RecordReader> READER = ThreadLocal.withInitial(RecordReader::new);

    private Recompressor() {
    }

    /**
     * @param logAppendTime the broker time to stamp for a LogAppendTime topic, or {@link RecordBatch#NO_TIMESTAMP}
     */
    static Outcome rebuild(RecordBatch source, CompressionType target, long logAppendTime) {
        RecordIterator records;
        try {
            records = READER.get().records(source);
        } catch (CorruptRecordException e) {
            return Outcome.failed(Errors.CORRUPT_MESSAGE, "cannot decompress the batch: " + e.getMessage());
        }
        // The source's size is a fair first guess for the target's: both hold the same records.
        RecordBatchBuilder builder = new RecordBatchBuilder(target, source.sizeInBytes())
                .producer(source.producerId(), source.producerEpoch(), source.baseSequence())
                .transactional(source.isTransactional());
        if (logAppendTime != RecordBatch.NO_TIMESTAMP) {
            builder.logAppendTime(logAppendTime);
        }
        boolean sourceLogAppendTime = source.timestampType() == TimestampType.LOG_APPEND_TIME;
        try {
            for (int i = 0; records.hasNext(); i++) {
                Record record = records.next();
                if (record.offsetDelta() != i) {
                    return Outcome.failed(Errors.INVALID_RECORD, "record " + i + " has offset delta " + record.offsetDelta());
                }
                // A (refused elsewhere, or CreateTime-topic) LogAppendTime source has no per-record times of its own.
                long timestamp = sourceLogAppendTime ? source.maxTimestamp() : record.timestamp();
                builder.appendWithOffset(i, timestamp, record.key(), record.value(),
                        record.headers().toArray(new Header[0]));
            }
        } catch (CorruptRecordException e) {
            return Outcome.failed(Errors.INVALID_RECORD, e.getMessage());
        } catch (IllegalArgumentException e) {
            return Outcome.failed(Errors.INVALID_RECORD, e.getMessage());
        }
        if (builder.recordCount() != source.recordCount()) {
            return Outcome.failed(Errors.INVALID_RECORD, "batch declares " + source.recordCount() + " records but holds "
                    + builder.recordCount());
        }
        return new Outcome(builder.build(), Errors.NONE, null);
    }
}
