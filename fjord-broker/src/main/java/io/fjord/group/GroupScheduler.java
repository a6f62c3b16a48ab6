package io.fjord.group;

/**
 * The clock and timers a {@link ClassicGroup} runs on. Tasks must run on the group's single writer
 * thread (the same one that calls the group's methods); tests use a manual implementation.
 */
public interface GroupScheduler {

    long nowMs();

    /** Runs {@code task} after {@code delayMs}; the returned handle cancels it. */
    Cancellable schedule(long delayMs, Runnable task);

    interface Cancellable {
        void cancel();
    }
}
