package io.fjord.log;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for an offset to become durable, completed with the recovery point once it passes them.
 * Completion happens outside the lock, on the thread that advanced the recovery point (the flusher), so
 * callers with heavy continuations should use the {@code *Async} variants.
 */
public final class FlushWaiters {
    private record Waiter(long offset, CompletableFuture<Long> future) {
    }

    private final PriorityQueue<Waiter> queue = new PriorityQueue<>(Comparator.comparingLong(Waiter::offset));

    public synchronized CompletableFuture<Long> add(long offset) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        queue.add(new Waiter(offset, future));
        return future;
    }

    /** Completes every waiter for an offset below {@code recoveryPoint}. */
    public void completeBelow(long recoveryPoint) {
        List<Waiter> done = null;
        synchronized (this) {
            Waiter head;
            while ((head = queue.peek()) != null && head.offset < recoveryPoint) {
                if (done == null) {
                    done = new ArrayList<>();
                }
                done.add(queue.poll());
            }
        }
        if (done != null) {
            Long value = recoveryPoint;
            for (Waiter waiter : done) {
                waiter.future.complete(value);
            }
        }
    }

    /** Fails every waiter for {@code offset} or later. */
    public void failFrom(long offset, java.util.function.LongFunction<? extends Throwable> error) {
        List<Waiter> failed = new ArrayList<>();
        synchronized (this) {
            queue.removeIf(waiter -> {
                if (waiter.offset >= offset) {
                    failed.add(waiter);
                    return true;
                }
                return false;
            });
        }
        for (Waiter waiter : failed) {
            waiter.future.completeExceptionally(error.apply(waiter.offset));
        }
    }
}
