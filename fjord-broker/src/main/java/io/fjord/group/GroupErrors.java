package io.fjord.group;

import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.protocol.Errors;
import java.util.concurrent.CompletionException;

/** What a group API answers for a failed coordinator call. */
final class GroupErrors {
    private GroupErrors() {
    }

    /** The coordinator's own error (NOT_COORDINATOR...) when it gave one, else COORDINATOR_NOT_AVAILABLE (retriable). */
    static Errors of(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ApiException ? ApiError.fromThrowable(cause).error() : Errors.COORDINATOR_NOT_AVAILABLE;
    }
}
