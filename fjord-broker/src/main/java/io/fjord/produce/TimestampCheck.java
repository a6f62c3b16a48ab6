package io.fjord.produce;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ProduceResponseData.BatchIndexAndErrorMessage;
import io.fjord.record.CorruptRecordException;
import io.fjord.record.Record;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordIterator;
import io.fjord.record.RecordReader;
import io.fjord.record.TimestampType;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka's timestamp rules for a client batch, with INVALID_TIMESTAMP and one record error per
 * offending record (KIP-467): on a CreateTime topic every record timestamp must lie within the
 * topic's limits around the broker's clock; a producer may never claim LogAppendTime for records
 * that carry no timestamp, nor write a LogAppendTime batch to a LogAppendTime topic.
 *
 * <p>The common case costs one comparison: the batch's largest timestamp against the future limit.
 * Only a batch that fails it, or a topic with an age limit, has its records walked (and decompressed).
 */
final class TimestampCheck {
    private static final int MAX_LISTED_ERRORS = 10_000;
    private TimestampCheck() {
    }

    /**
     * Null when the batch passes, else the refusal.
     *
     * @param maxTimestamp the batch's largest record timestamp (walked for uncompressed batches, the header's otherwise)
     */
    static AppendResult check(RecordBatch batch, long maxTimestamp, TimestampType topicType, TimestampLimits limits,
            long now, long logStartOffset) {
        boolean claimsLogAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        if (topicType == TimestampType.LOG_APPEND_TIME) {
            // Records of such a batch all read as its maxTimestamp, so their own check is moot: all fail.
            return claimsLogAppendTime ? refuseAll(batch, logStartOffset) : null;
        }
        if (claimsLogAppendTime) {
            if (maxTimestamp == RecordBatch.NO_TIMESTAMP) {
                return refuseAll(batch, logStartOffset);
            }
            return outOfRange(maxTimestamp, now, limits) ? refuseAll(batch, logStartOffset) : null;
        }
        boolean tooNew = maxTimestamp != RecordBatch.NO_TIMESTAMP && maxTimestamp - now > limits.afterMaxMs();
        if (!tooNew && !limits.checksAge()) {
            return null;
        }
        return walk(batch, now, limits, logStartOffset);
    }

    private static boolean outOfRange(long timestamp, long now, TimestampLimits limits) {
        long age = now - timestamp;
        return age > limits.beforeMaxMs() || -age > limits.afterMaxMs();
    }

    private static AppendResult walk(RecordBatch batch, long now, TimestampLimits limits, long logStartOffset) {
        List<BatchIndexAndErrorMessage> errors = new ArrayList<>();
        RecordIterator records;
        try {
            records = new RecordReader().records(batch);
            for (int i = 0; records.hasNext(); i++) {
                Record record = records.next();
                long timestamp = record.timestamp();
                if (timestamp != RecordBatch.NO_TIMESTAMP && outOfRange(timestamp, now, limits)) {
                    errors.add(new BatchIndexAndErrorMessage().setBatchIndex(i).setBatchIndexErrorMessage("timestamp "
                            + timestamp + " of record " + i + " is outside [" + lowest(now, limits) + ", "
                            + highest(now, limits) + "]"));
                }
            }
        } catch (CorruptRecordException e) {
            return AppendResult.failed(Errors.CORRUPT_MESSAGE, logStartOffset, e.getMessage());
        }
        if (errors.isEmpty()) {
            return null;
        }
        return AppendResult.rejectedRecords(Errors.INVALID_TIMESTAMP, logStartOffset, errors,
                errors.size() + " record(s) rejected for timestamps out of range");
    }

    private static AppendResult refuseAll(RecordBatch batch, long logStartOffset) {
        // The count of a compressed batch is unverified here; a hostile one must not size a huge list.
        int count = Math.min(batch.recordCount(), MAX_LISTED_ERRORS);
        List<BatchIndexAndErrorMessage> errors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            errors.add(new BatchIndexAndErrorMessage().setBatchIndex(i)
                    .setBatchIndexErrorMessage("producers may not set the LogAppendTime timestamp type"));
        }
        return AppendResult.rejectedRecords(Errors.INVALID_TIMESTAMP, logStartOffset, errors,
                "the batch claims LogAppendTime, which only the broker sets");
    }

    private static long lowest(long now, TimestampLimits limits) {
        return limits.beforeMaxMs() == Long.MAX_VALUE ? Long.MIN_VALUE : now - limits.beforeMaxMs();
    }

    private static long highest(long now, TimestampLimits limits) {
        return limits.afterMaxMs() > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + limits.afterMaxMs();
    }
}
