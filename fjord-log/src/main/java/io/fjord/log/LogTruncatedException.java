package io.fjord.log;

/** A flush waiter's offset was truncated away before it became durable, so it never will. */
public final class LogTruncatedException extends LogException {
    public LogTruncatedException(String log, long offset, long logEndOffset) {
        super("offset " + offset + " of " + log + " was truncated (log end offset now " + logEndOffset + ")");
    }
}
