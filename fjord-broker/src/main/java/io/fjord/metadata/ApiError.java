package io.fjord.metadata;

import io.fjord.protocol.Errors;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** An error code with the message that goes with it in a response; {@link #NONE} for success. */
public record ApiError(Errors error, String message) {
    public static final ApiError NONE = new ApiError(Errors.NONE, null);

    public static ApiError of(Errors error) {
        return new ApiError(error, null);
    }

    /** The error a failed future or call stands for: its own for an {@link ApiException}, else UNKNOWN_SERVER_ERROR. */
    public static ApiError fromThrowable(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException api) {
            return api.error();
        }
        return new ApiError(Errors.UNKNOWN_SERVER_ERROR, String.valueOf(cause));
    }

    public boolean isSuccess() {
        return error == Errors.NONE;
    }

    public boolean isFailure() {
        return error != Errors.NONE;
    }

    public short code() {
        return error.code();
    }

    /** The message, or the error's generic description when there is none (what Kafka sends). */
    public String messageOrDefault() {
        if (error == Errors.NONE) {
            return null;
        }
        return message != null ? message : error.message();
    }
}
