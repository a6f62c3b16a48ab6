package io.fjord.log;

import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code retention.ms} / {@code retention.bytes} to a set of logs every
 * {@code log.retention.check.interval.ms}. One failing log is logged and skipped; the others still run.
 */
public final class LogRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);

    public static final String CHECK_INTERVAL_MS_CONFIG = "log.retention.check.interval.ms";
    public static final long DEFAULT_CHECK_INTERVAL_MS = 300_000L;

    private final Supplier<? extends Collection<Log>> logs;
    private final LongSupplier clock;
    private volatile ScheduledFuture<?> task;

    /** {@code logs} is asked afresh on every run, so logs created later are covered. */
    public LogRetention(Supplier<? extends Collection<Log>> logs, LongSupplier clock) {
        this.logs = logs;
        this.clock = clock;
    }

    /** Runs {@link #runOnce()} on {@code scheduler} every {@code intervalMs}. */
    public LogRetention schedule(ScheduledExecutorService scheduler, long intervalMs) {
        if (task != null) {
            throw new IllegalStateException("already scheduled");
        }
        task = scheduler.scheduleWithFixedDelay(this::runOnce, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass over every log; returns the number of segments deleted. */
    public int runOnce() {
        long now = clock.getAsLong();
        int deleted = 0;
        for (Log log : logs.get()) {
            try {
                deleted += log.deleteRetentionSegments(now);
            } catch (LogClosedException e) {
                // closed while we iterated
            } catch (RuntimeException e) {
                LOG.error("Retention of {} failed", log.name(), e);
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        ScheduledFuture<?> current = task;
        if (current != null) {
            current.cancel(false);
        }
    }
}
