package io.fjord.produce;

import io.fjord.api.RequestContext;
import io.fjord.log.LogClosedException;
import io.fjord.log.LogTruncatedException;
import io.fjord.partition.NotLeaderException;
import io.fjord.partition.Partition;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import io.fjord.record.RecordBatch;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a produce response back until what it acknowledges is safe: for acks=all, until every ISR member
 * has each batch (the high watermark passed it, Kafka's DelayedProduce), and on a
 * {@code fjord.flush.group.commit} partition until the batch is fsynced. Nothing here blocks: the
 * partition (on a follower's fetch) or the log's flusher completes each wait, the last one releases the
 * response, and the connection writes it from its own event loop. The appends of all requests waiting
 * for an fsync share one (group commit).
 *
 * <p>Partitions still waiting when the request's timeout_ms runs out are answered REQUEST_TIMED_OUT; the
 * batch stays in the log, and an idempotent producer's retry is recognised as a duplicate. A partition
 * whose fsync failed is answered KAFKA_STORAGE_ERROR (retriable, as in Kafka): the batch is in the page
 * cache but nobody can say it is on disk. One replicated while the ISR had shrunk below
 * min.insync.replicas is answered NOT_ENOUGH_REPLICAS_AFTER_APPEND, and one whose leader stepped down
 * first NOT_LEADER_OR_FOLLOWER.
 */
final class DurableResponse {
    private static final Logger LOG = LoggerFactory.getLogger(DurableResponse.class);

    /** Where a partition's offset becomes durable; a seam so tests can make the fsync fail. */
    @FunctionalInterface
    interface Flushes {
        Flushes LOG_FLUSHER = (partition, offset) -> partition.log().flushedFuture(offset);

        /** Completes once everything up to {@code offset} is fsynced; fails if it cannot be. */
        CompletableFuture<Long> flushed(Partition partition, long offset);
    }

    private final ProduceResponseData response;
    private final RequestContext context;
    private final CompletableFuture<ApiMessage> done = new CompletableFuture<>();
    /** Waits not yet over, plus one held by the request until {@link #seal} (so no early release); guarded by this. */
    private int pending = 1;
    /** Waits not yet over per partition entry; guarded by this. */
    private final Map<PartitionProduceResponse, Integer> outstanding = new IdentityHashMap<>();
    /** Set once the answer is decided; later outcomes change nothing. Guarded by this. */
    private boolean finished;
    private ScheduledFuture<?> timeout;

    /** @param response the response being built; it must not change after {@link #seal} */
    DurableResponse(ProduceResponseData response, RequestContext context) {
        this.response = response;
        this.context = context;
    }

    /** Holds the response until {@code flushed} completes; then {@code entry} keeps its offset or gets the error. */
    void await(Partition partition, long lastOffset, CompletableFuture<Long> flushed, PartitionProduceResponse entry) {
        hold(entry);
        flushed.whenComplete((recoveryPoint, error) -> arrive(entry, () -> {
            if (error != null) {
                fail(partition, lastOffset, entry, unwrap(error), "not durable: ");
            }
        }));
    }

    /**
     * Holds the response until {@code replicated} completes (the high watermark passed {@code lastOffset});
     * then {@code entry} keeps its offset, or is refused if the ISR is below {@code minInSyncReplicas}.
     */
    void awaitReplication(Partition partition, long lastOffset, CompletableFuture<Long> replicated, int minInSyncReplicas,
            PartitionProduceResponse entry) {
        hold(entry);
        replicated.whenComplete((highWatermark, error) -> arrive(entry, () -> {
            if (error != null) {
                fail(partition, lastOffset, entry, unwrap(error), "not replicated: ");
            } else {
                checkInSync(partition, minInSyncReplicas, entry);
            }
        }));
    }

    /**
     * Kafka's check once the high watermark has passed a batch: it is in every ISR member, but if the ISR
     * has shrunk below min.insync.replicas meanwhile it is not as safe as acks=all promised.
     */
    static void checkInSync(Partition partition, int minInSyncReplicas, PartitionProduceResponse entry) {
        int inSync = partition.inSyncReplicaCount();
        if (inSync < minInSyncReplicas) {
            refuse(entry, Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, "the ISR shrank to " + inSync
                    + " replica(s) while the batch was replicated; min.insync.replicas is " + minInSyncReplicas);
        }
    }

    /**
     * The request has registered every partition; the future completes when the last of them is safe, or
     * after {@code timeoutMs} (on {@code timer}) with REQUEST_TIMED_OUT for the rest.
     */
    CompletableFuture<ApiMessage> seal(ScheduledExecutorService timer, long timeoutMs) {
        if (timer != null && timeoutMs >= 0) {
            try {
                ScheduledFuture<?> scheduled = timer.schedule(this::expire, timeoutMs, TimeUnit.MILLISECONDS);
                synchronized (this) {
                    timeout = scheduled;
                }
            } catch (RejectedExecutionException e) {
                // The event loop is closing with the node; the connection goes with it.
            }
        }
        arrive(null, null);
        return done;
    }

    /** The response once every partition registered so far is safe, with no timeout (tests). */
    CompletableFuture<ApiMessage> seal() {
        return seal(null, -1);
    }

    private synchronized void hold(PartitionProduceResponse entry) {
        pending++;
        outstanding.merge(entry, 1, Integer::sum);
    }

    private void arrive(PartitionProduceResponse entry, Runnable outcome) {
        ScheduledFuture<?> cancel = null;
        synchronized (this) {
            if (finished) {
                return;
            }
            if (entry != null) {
                outstanding.merge(entry, -1, Integer::sum);
            }
            if (outcome != null) {
                outcome.run();
            }
            if (--pending > 0) {
                return;
            }
            finished = true;
            cancel = timeout;
        }
        if (cancel != null) {
            cancel.cancel(false);
        }
        done.complete(response);
    }

    private void expire() {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            for (Map.Entry<PartitionProduceResponse, Integer> e : outstanding.entrySet()) {
                if (e.getValue() > 0) {
                    refuse(e.getKey(), Errors.REQUEST_TIMED_OUT, "the batch was appended but not replicated to the ISR "
                            + "(or fsynced) within the request's timeout");
                }
            }
        }
        LOG.debug("Produce from {} (correlation id {}) timed out waiting for replication", context.clientId(),
                context.correlationId());
        done.complete(response);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private void fail(Partition partition, long lastOffset, PartitionProduceResponse entry, Throwable cause,
            String prefix) {
        // A closed or truncated log, or a leader that stepped down, means the partition moved on without
        // this batch (or with it: the client's retry finds out where it went). Anything else is the disk.
        Errors error = cause instanceof LogClosedException || cause instanceof LogTruncatedException
                || cause instanceof NotLeaderException
                ? Errors.NOT_LEADER_OR_FOLLOWER
                : Errors.KAFKA_STORAGE_ERROR;
        LOG.warn("{}: produce from {} (correlation id {}) answered {}: offsets up to {} were appended but {}{}",
                partition.topicPartition(), context.clientId(), context.correlationId(), error, lastOffset, prefix,
                cause.toString());
        refuse(entry, error, prefix + cause.getMessage());
    }

    private static void refuse(PartitionProduceResponse entry, Errors error, String message) {
        if (entry.errorCode() != Errors.NONE.code()) {
            return; // the first failure of a partition is its answer
        }
        entry.setErrorCode(error.code())
                .setBaseOffset(-1)
                .setLogAppendTimeMs(RecordBatch.NO_TIMESTAMP)
                .setLogStartOffset(-1)
                .setRecordErrors(List.of())
                .setErrorMessage(message);
    }
}
