package io.fjord.record;

/**
 * What {@link BatchValidator} found. On success, the batch and record counts and, when records
 * were walked, the largest record timestamp (else {@link RecordBatch#NO_TIMESTAMP}); on failure,
 * the error, a message for logs and the index of the batch at fault.
 */
public record ValidationResult(ValidationError error, String message, int batchIndex, int batchCount,
        int recordCount, long maxRecordTimestamp) {

    public boolean isValid() {
        return error == ValidationError.NONE;
    }

    static ValidationResult ok(int batchCount, int recordCount, long maxRecordTimestamp) {
        return new ValidationResult(ValidationError.NONE, null, -1, batchCount, recordCount, maxRecordTimestamp);
    }

    static ValidationResult fail(ValidationError error, int batchIndex, String message) {
        return new ValidationResult(error, message, batchIndex, 0, 0, RecordBatch.NO_TIMESTAMP);
    }
}
