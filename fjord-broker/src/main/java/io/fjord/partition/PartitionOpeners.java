package io.fjord.partition;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that open many partitions at once (a topic of a thousand partitions, a start with many
 * logs). They exist only while there is such work: an idle node keeps none.
 */
final class PartitionOpeners implements AutoCloseable {
    private static final long KEEP_ALIVE_SECONDS = 10;

    /** Besides the caller, who opens a share itself. */
    private final int threads = Math.max(1, Math.min(3, Runtime.getRuntime().availableProcessors() - 1));
    private final ThreadPoolExecutor executor;

    PartitionOpeners() {
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "fjord-partition-opener-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /** How many threads open partitions besides the caller. */
    int threads() {
        return threads;
    }

    Future<?> submit(Runnable task) {
        return executor.submit(task);
    }

    /** Waits for {@code task}; a failure in it is a bug (each open catches its own), so it is rethrown. */
    void await(Future<?> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    // The metadata writer must not apply half an image: finish waiting, then keep the flag.
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("opening partitions failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
