package io.fjord.log;

/** A read or a log start offset move asked for an offset outside [log start offset, log end offset]. */
public final class OffsetOutOfRangeException extends LogException {
    private final long requestedOffset;
    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(String log, long requestedOffset, long logStartOffset, long logEndOffset) {
        super("offset " + requestedOffset + " is out of range for " + log + ": log start offset " + logStartOffset
                + ", log end offset " + logEndOffset);
        this.requestedOffset = requestedOffset;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long requestedOffset() {
        return requestedOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
