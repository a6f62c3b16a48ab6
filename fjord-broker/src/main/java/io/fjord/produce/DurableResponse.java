package io.fjord.produce;

import io.fjord.api.RequestContext;
import io.fjord.log.LogClosedException;
import io.fjord.log.LogTruncatedException;
import io.fjord.partition.Partition;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import io.fjord.record.RecordBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a produce response back until every batch it acknowledges on a {@code fjord.flush.group.commit}
 * partition is fsynced. Nothing here blocks: the log's flusher thread completes each partition's flushed
 * future, the last one releases the response, and the connection writes it from its own event loop. Because
 * the flusher fsyncs whatever was appended when its pass starts, the appends of all requests waiting
 * meanwhile share one fsync (group commit).
 *
 * <p>A partition whose fsync failed is answered KAFKA_STORAGE_ERROR (retriable, as in Kafka) rather than
 * with its offset: the batch is in the page cache but nobody can say it is on disk.
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
    /** Partitions not yet durable, plus one held by the request until {@link #seal} (so no early release). */
    private final AtomicInteger pending = new AtomicInteger(1);

    /** @param response the response being built; it must not change after {@link #seal} */
    DurableResponse(ProduceResponseData response, RequestContext context) {
        this.response = response;
        this.context = context;
    }

    /** Holds the response until {@code flushed} completes; then {@code entry} keeps its offset or gets the error. */
    void await(Partition partition, long lastOffset, CompletableFuture<Long> flushed, PartitionProduceResponse entry) {
        pending.incrementAndGet();
        flushed.whenComplete((recoveryPoint, error) -> {
            if (error != null) {
                fail(partition, lastOffset, entry, error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
            arrive();
        });
    }

    /** The request has registered every partition; the future completes when the last of them is durable. */
    CompletableFuture<ApiMessage> seal() {
        arrive();
        return done;
    }

    private void arrive() {
        if (pending.decrementAndGet() == 0) {
            done.complete(response);
        }
    }

    private void fail(Partition partition, long lastOffset, PartitionProduceResponse entry, Throwable cause) {
        // A closed or truncated log means the partition moved on without this batch; the client's retry finds
        // out where it went. Anything else is the disk.
        Errors error = cause instanceof LogClosedException || cause instanceof LogTruncatedException
                ? Errors.NOT_LEADER_OR_FOLLOWER
                : Errors.KAFKA_STORAGE_ERROR;
        LOG.warn("{}: produce from {} (correlation id {}) answered {}: offsets up to {} were appended but not fsynced: {}",
                partition.topicPartition(), context.clientId(), context.correlationId(), error, lastOffset,
                cause.toString());
        entry.setErrorCode(error.code())
                .setBaseOffset(-1)
                .setLogAppendTimeMs(RecordBatch.NO_TIMESTAMP)
                .setLogStartOffset(-1)
                .setRecordErrors(List.of())
                .setErrorMessage("not durable: " + cause.getMessage());
    }
}
