package io.fjord.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Polling for a state a cluster of processes reaches on its own time (a broker registered, a
 * leader elected, a broker fenced). The deadlines are upper bounds for slow machines, never the
 * expected time; a probe that throws (a client asking a node that is just going away) counts as
 * "not yet".
 */
final class Await {
    private static final long POLL_MILLIS = 100;

    private Await() {
    }

    /**
     * Calls {@code probe} until its value satisfies {@code done} and returns that value.
     *
     * @throws AssertionError after {@code timeout}, naming {@code what}, the last value and the last failure
     */
    static <T> T until(String what, Duration timeout, Callable<T> probe, Predicate<? super T> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception lastFailure = null;
        while (true) {
            try {
                last = probe.call();
                lastFailure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError error = new AssertionError("not within " + timeout.toMillis() + " ms: " + what
                        + "; last seen: " + last + (lastFailure != null ? "; last failure: " + lastFailure : ""));
                if (lastFailure != null) {
                    error.initCause(lastFailure);
                }
                throw error;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
