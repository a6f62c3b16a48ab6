package io.fjord.produce;

import io.fjord.protocol.Errors;

/**
 * What the producer state says about an incoming idempotent batch: append it, answer it as a
 * duplicate of an earlier batch, or refuse it with an error.
 *
 * @param error      NONE unless refused
 * @param message    why it was refused, for the response's error_message and the log
 * @param duplicate  the earlier batch it repeats, or null
 */
record SequenceVerdict(Errors error, String message, BatchMetadata duplicate) {
    /** Shared, so the common case allocates nothing. */
    static final SequenceVerdict APPEND = new SequenceVerdict(Errors.NONE, null, null);

    static SequenceVerdict duplicateOf(BatchMetadata batch) {
        return new SequenceVerdict(Errors.NONE, null, batch);
    }

    static SequenceVerdict refuse(Errors error, String message) {
        return new SequenceVerdict(error, message, null);
    }

    boolean isDuplicate() {
        return duplicate != null;
    }

    boolean isRefused() {
        return error != Errors.NONE;
    }
}
