package io.fjord.produce;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ProduceResponseData.BatchIndexAndErrorMessage;
import io.fjord.record.RecordBatch;
import java.util.List;

/**
 * The outcome of one partition's part of a produce request, as its response entry carries it.
 *
 * @param baseOffset     the offset of the batch's first record, or -1 on error
 * @param lastOffset     the offset of the batch's last record, or -1 on error (not sent: what an fsync must cover)
 * @param logAppendTime  the broker time stamped on a LogAppendTime topic's batch, else -1
 * @param logStartOffset the partition's log start offset, or -1 where Kafka leaves it out
 * @param recordErrors   per-record reasons a batch was refused (KIP-467), empty otherwise
 * @param message        error_message: a summary of why the batch was refused, or null
 */
record AppendResult(Errors error, long baseOffset, long lastOffset, long logAppendTime, long logStartOffset,
        List<BatchIndexAndErrorMessage> recordErrors, String message) {

    static AppendResult appended(long baseOffset, long lastOffset, long logAppendTime, long logStartOffset) {
        return new AppendResult(Errors.NONE, baseOffset, lastOffset, logAppendTime, logStartOffset, List.of(), null);
    }

    static AppendResult failed(Errors error, String message) {
        return failed(error, -1, message);
    }

    static AppendResult failed(Errors error, long logStartOffset, String message) {
        return new AppendResult(error, -1, -1, RecordBatch.NO_TIMESTAMP, logStartOffset, List.of(), message);
    }

    static AppendResult rejectedRecords(Errors error, long logStartOffset, List<BatchIndexAndErrorMessage> recordErrors,
            String message) {
        return new AppendResult(error, -1, -1, RecordBatch.NO_TIMESTAMP, logStartOffset, recordErrors, message);
    }
}
