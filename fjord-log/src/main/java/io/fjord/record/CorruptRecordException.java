package io.fjord.record;

/**
 * Bytes that do not form valid v2 record batches or records: truncated, inconsistent with their own
 * header, or not decompressible. Unchecked because it surfaces from iterators; callers at a trust
 * boundary (produce, recovery) catch it and turn it into an error code or a truncation point.
 */
public class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
