package io.fjord.log;

/** The log was closed before, or while, the operation ran. */
public final class LogClosedException extends LogException {
    public LogClosedException(String log) {
        super(log + " is closed");
    }
}
