package io.fjord.log;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread that fsyncs logs, shared by every log of a broker. Appenders never fsync: they ask
 * for a flush ({@link #requestFlush}), which queues the log once however many appends ask meanwhile. Each
 * pass fsyncs what was appended up to its start and completes the waiters it covers, so all the appends that
 * arrived during the previous fsync share the next one (group commit).
 *
 * <p>Between requests the thread also serves the time-based duties of its registered logs: {@code flush.ms}
 * and writing each log's recovery point checkpoint every {@code log.flush.offset.checkpoint.interval.ms}.
 */
public final class LogFlusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogFlusher.class);

    public static final String CHECKPOINT_INTERVAL_MS_CONFIG = "log.flush.offset.checkpoint.interval.ms";
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000L;
    /** Upper bound on a sleep, so registrations and config changes are picked up without a wake-up. */
    private static final long MAX_PARK_MS = 1_000L;

    private final ConcurrentLinkedQueue<Log> requests = new ConcurrentLinkedQueue<>();
    /** Not copy-on-write: registering each of a new topic's thousand logs copied every log already there. */
    private final Set<Log> logs = ConcurrentHashMap.newKeySet();
    private final long checkpointIntervalMs;
    private final LongSupplier clock;
    private final Thread thread;
    private final AtomicLong flushes = new AtomicLong();
    private volatile boolean running = true;
    private long nextPeriodicMs;

    public LogFlusher(String threadName) {
        this(threadName, DEFAULT_CHECKPOINT_INTERVAL_MS, System::currentTimeMillis);
    }

    public LogFlusher(String threadName, long checkpointIntervalMs, LongSupplier clock) {
        if (checkpointIntervalMs < 1) {
            throw new IllegalArgumentException(CHECKPOINT_INTERVAL_MS_CONFIG + " must be >= 1");
        }
        this.checkpointIntervalMs = checkpointIntervalMs;
        this.clock = clock;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    void register(Log log) {
        // No wake-up: a woken thread only runs its periodic pass when that is due anyway, and it sleeps at
        // most MAX_PARK_MS. Waking it for each log of a new thousand-partition topic cost a thousand
        // context switches for nothing.
        logs.add(log);
    }

    void unregister(Log log) {
        logs.remove(log);
    }

    /** Queues {@code log} for the next pass unless it is queued already; cheap enough to call on every append. */
    void requestFlush(Log log) {
        if (log.markFlushQueued()) {
            requests.add(log);
            LockSupport.unpark(thread);
        }
    }

    /** fsync passes done so far (each may cover many appends). */
    public long flushCount() {
        return flushes.get();
    }

    private void run() {
        while (running) {
            Log log;
            while ((log = requests.poll()) != null) {
                // Cleared before the fsync, so appends made during it queue the log for the next pass.
                log.clearFlushQueued();
                flushQuietly(log);
            }
            long now = clock.getAsLong();
            if (now >= nextPeriodicMs) {
                nextPeriodicMs = periodic(now);
            }
            if (requests.isEmpty() && running) {
                long sleepMs = Math.max(1, Math.min(MAX_PARK_MS, nextPeriodicMs - now));
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(sleepMs));
            }
        }
    }

    /** flush.ms and recovery point checkpoints; returns when it next has something to do. */
    private long periodic(long now) {
        long next = now + MAX_PARK_MS;
        for (Log log : logs) {
            long flushMs = log.config().flushMs();
            if (flushMs != Long.MAX_VALUE && log.hasUnflushed()) {
                long due = log.lastFlushMs() + flushMs;
                if (now >= due) {
                    flushQuietly(log);
                    due = now + flushMs;
                }
                next = Math.min(next, due);
            }
            long checkpointDue = log.lastCheckpointMs() + checkpointIntervalMs;
            if (now >= checkpointDue) {
                try {
                    log.checkpointRecoveryPoint();
                } catch (RuntimeException e) {
                    LOG.error("Could not checkpoint the recovery point of {}", log.name(), e);
                }
                checkpointDue = now + checkpointIntervalMs;
            }
            next = Math.min(next, checkpointDue);
        }
        return next;
    }

    private void flushQuietly(Log log) {
        try {
            log.flush();
            flushes.incrementAndGet();
        } catch (LogClosedException e) {
            // closed between the request and the pass: close() flushed it
        } catch (RuntimeException e) {
            LOG.error("Flush of {} failed", log.name(), e);
        }
    }

    /** Stops the thread after its current pass; logs should be closed first (close flushes them itself). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
