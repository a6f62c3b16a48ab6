package io.fjord.network;

/** A request that cannot be answered at all; the connection it came on gets closed. */
final class BadRequestException extends Exception {
    BadRequestException(String reason) {
        // No stack trace: this is a verdict on the client's bytes, not a fault of ours.
        super(reason, null, false, false);
    }
}
