package io.fjord.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting, with a bound, for a cluster to reach a state: polls, never sleeps a fixed time as an assertion. */
public final class Await {
    private Await() {
    }

    /**
     * The first value of {@code value} that {@code done} accepts, polled every 20 ms for up to 30 s; a
     * poll that throws counts as not there yet.
     */
    public static <T> T value(Supplier<T> value, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = value.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException ignored) {
                // not there yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("condition not met in 30 s; last value " + last);
    }

    /** Returns once {@code condition} holds, polled every 100 ms for up to 60 s; fails naming {@code what}. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
