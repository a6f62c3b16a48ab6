package io.fjord.group;

import java.util.Comparator;
import java.util.PriorityQueue;

/** A {@link GroupScheduler} whose time moves only when the test advances it. */
final class ManualScheduler implements GroupScheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.dueMs).thenComparingLong(t -> t.seq));
    private long now;
    private long seq;

    private final class Task implements Cancellable {
        final long dueMs;
        final long seq;
        final Runnable action;
        boolean cancelled;

        Task(long dueMs, long seq, Runnable action) {
            this.dueMs = dueMs;
            this.seq = seq;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public long nowMs() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        Task t = new Task(now + delayMs, seq++, task);
        tasks.add(t);
        return t;
    }

    /** Moves time forward by {@code ms}, running every task that falls due, in order. */
    void advance(long ms) {
        long target = now + ms;
        while (!tasks.isEmpty() && tasks.peek().dueMs <= target) {
            Task t = tasks.poll();
            now = Math.max(now, t.dueMs);
            if (!t.cancelled) {
                t.action.run();
            }
        }
        now = target;
    }
}
