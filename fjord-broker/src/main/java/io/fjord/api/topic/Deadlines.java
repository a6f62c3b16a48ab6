package io.fjord.api.topic;

import java.util.concurrent.TimeUnit;

/** A request's timeout_ms as a {@link System#nanoTime()} deadline, as Kafka's controller counts it. */
public final class Deadlines {
    private Deadlines() {
    }

    /** Kafka starts the clock when the request arrives; a timeout of 0 or less has passed by the time it is handled. */
    public static long fromTimeoutMs(int timeoutMs) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }
}
