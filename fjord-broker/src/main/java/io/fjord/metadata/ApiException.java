package io.fjord.metadata;

import io.fjord.protocol.Errors;

/** Fails one item of a request (a topic, a resource) with a protocol error; the others go on. */
public final class ApiException extends RuntimeException {
    private final transient ApiError error;

    public ApiException(Errors error, String message) {
        super(message, null, false, false);
        this.error = new ApiError(error, message);
    }

    public ApiError error() {
        return error;
    }
}
