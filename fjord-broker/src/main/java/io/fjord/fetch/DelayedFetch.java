package io.fjord.fetch;

import io.fjord.partition.Partition;
import io.fjord.protocol.ApiMessage;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A fetch waiting for min_bytes to arrive, for at most max_wait_ms (a long poll). Nothing is parked:
 * the wait is a timer task on one executor (the connection's event loop) plus a listener on each
 * partition read. An append runs the listener on the appending thread, which only schedules a check
 * on the executor (and only one at a time); the check reads again and answers when enough is there.
 * The timer answers with whatever is there. All reads and the answer happen on the executor.
 *
 * <p>No slices are held while waiting: each pass that does not answer releases what it read, so a
 * waiting fetch never keeps a segment from being deleted.
 */
final class DelayedFetch {
    private final ScheduledExecutorService executor;
    private final Supplier<FetchPass> reread;
    private final FetchParams params;
    private final Function<FetchPass, ApiMessage> answer;
    private final CompletableFuture<ApiMessage> future = new CompletableFuture<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean checkPending = new AtomicBoolean();
    private final Runnable onAppend = this::appended;
    /** The bound each partition's reads stopped at (high watermark or last stable offset) when last read. */
    private final Map<Partition, Long> lastBounds = new IdentityHashMap<>();
    private ScheduledFuture<?> timeout;

    /**
     * @param firstPass the pass that found too little; its partitions are watched, its results released
     * @param reread    reads all partitions again
     * @param answer    turns a pass into the response; called once, on the executor
     */
    DelayedFetch(ScheduledExecutorService executor, FetchPass firstPass, Supplier<FetchPass> reread, FetchParams params,
            Function<FetchPass, ApiMessage> answer) {
        this.executor = executor;
        this.reread = reread;
        this.params = params;
        this.answer = answer;
        for (PartitionResult result : firstPass.results()) {
            if (result.partition() != null) {
                lastBounds.put(result.partition(), boundRead(result));
            }
        }
        firstPass.release();
    }

    private long bound(Partition partition) {
        if (params.fromFollower()) {
            return partition.logEndOffset();
        }
        return params.readCommitted() ? partition.lastStableOffset() : partition.highWatermark();
    }

    /** The bound a read stopped at: the offsets in the answer are those the read used. */
    private long boundRead(PartitionResult result) {
        if (result.readBound() >= 0) {
            return result.readBound();
        }
        return params.readCommitted() ? result.data().lastStableOffset() : result.data().highWatermark();
    }

    /**
     * Starts waiting and returns the future of the answer, completed on the executor. The waiting
     * itself starts there too (right after the current task, when called on it), so all state of
     * this fetch is confined to that one thread.
     */
    CompletableFuture<ApiMessage> start() {
        executor.execute(this::begin);
        return future;
    }

    private void begin() {
        for (Partition partition : lastBounds.keySet()) {
            partition.addAppendListener(onAppend);
        }
        timeout = executor.schedule(this::expire, params.maxWaitMs(), TimeUnit.MILLISECONDS);
        // An append between the first read and the listeners going in would otherwise go unnoticed
        // until the timeout.
        if (anyBoundMoved()) {
            appended();
        }
    }

    /** On the appending thread: must be quick, and must not fail the append. */
    private void appended() {
        if (!done.get() && checkPending.compareAndSet(false, true)) {
            try {
                executor.execute(this::check);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down with the node; the connection goes with it.
            }
        }
    }

    private void check() {
        checkPending.set(false);
        if (done.get() || !anyBoundMoved()) {
            return;
        }
        FetchPass pass = reread.get();
        if (pass.satisfies(params) && done.compareAndSet(false, true)) {
            finish(pass);
        } else {
            remember(pass);
            pass.release();
        }
    }

    private void expire() {
        if (done.compareAndSet(false, true)) {
            finish(reread.get());
        }
    }

    private boolean anyBoundMoved() {
        for (Map.Entry<Partition, Long> e : lastBounds.entrySet()) {
            if (bound(e.getKey()) != e.getValue()) {
                return true;
            }
        }
        return false;
    }

    private void remember(FetchPass pass) {
        for (PartitionResult result : pass.results()) {
            if (result.partition() != null && lastBounds.containsKey(result.partition())) {
                lastBounds.put(result.partition(), boundRead(result));
            }
        }
    }

    private void finish(FetchPass pass) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        List<Partition> watched = new ArrayList<>(lastBounds.keySet());
        for (Partition partition : watched) {
            partition.removeAppendListener(onAppend);
        }
        try {
            future.complete(answer.apply(pass));
        } catch (RuntimeException e) {
            // A bug; the connection closes. What the pass holds is not released here, since the
            // answer may have let go of part of it already and releasing twice is worse than a leak.
            future.completeExceptionally(e);
        }
    }
}
