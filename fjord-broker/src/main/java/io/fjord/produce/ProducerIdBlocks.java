package io.fjord.produce;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Producer ids from blocks reserved in the cluster metadata, as Kafka's brokers take them from the
 * controller (AllocateProducerIds): the metadata store persists how far it has handed out, so no id
 * repeats after a restart, and ids left in a block when a node stops are simply skipped.
 *
 * <p>Reserving a block writes durably, so it is asynchronous (the store completes it from its own
 * thread, never blocking an event loop), and starts when the current block is half used so callers
 * rarely wait.
 */
public final class ProducerIdBlocks implements ProducerIdAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerIdBlocks.class);

    /** Kafka's block size. */
    public static final int DEFAULT_BLOCK_SIZE = 1000;
    private static final long NONE = -1;

    /** Where blocks come from: the metadata store's {@code allocateProducerIds}. */
    @FunctionalInterface
    public interface BlockSource {
        /** Reserves {@code size} consecutive ids durably; completes with the first once that is on disk. */
        CompletableFuture<Long> allocate(int size);
    }

    private final BlockSource source;
    private final int blockSize;
    /** Callers waiting for a block, in arrival order. */
    private final ArrayDeque<CompletableFuture<Long>> waiting = new ArrayDeque<>();
    /** The current block is [next, end). */
    private long next;
    private long end;
    /** First id of the block fetched ahead, or NONE. */
    private long prefetched = NONE;
    private boolean fetching;

    public ProducerIdBlocks(BlockSource source) {
        this(source, DEFAULT_BLOCK_SIZE);
    }

    public ProducerIdBlocks(BlockSource source, int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be positive: " + blockSize);
        }
        this.source = source;
        this.blockSize = blockSize;
    }

    @Override
    public synchronized CompletableFuture<Long> nextProducerId() {
        if (waiting.isEmpty() && take()) {
            long id = next++;
            if (end - next <= blockSize / 2) {
                fetchBlock();
            }
            return CompletableFuture.completedFuture(id);
        }
        CompletableFuture<Long> future = new CompletableFuture<>();
        waiting.add(future);
        fetchBlock();
        return future;
    }

    /** Whether an id is available, moving to the prefetched block when the current one is used up. */
    private boolean take() {
        if (next >= end && prefetched != NONE) {
            next = prefetched;
            end = prefetched + blockSize;
            prefetched = NONE;
        }
        return next < end;
    }

    /** Starts reserving a block unless one is on its way or already waiting to be used. */
    private void fetchBlock() {
        if (fetching || prefetched != NONE) {
            return;
        }
        fetching = true;
        CompletableFuture<Long> block;
        try {
            block = source.allocate(blockSize);
        } catch (RuntimeException e) {
            block = CompletableFuture.failedFuture(e);
        }
        block.whenComplete((first, error) -> blockArrived(first == null ? NONE : first, error));
    }

    private void blockArrived(long first, Throwable error) {
        List<CompletableFuture<Long>> served = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<CompletableFuture<Long>> failed = List.of();
        synchronized (this) {
            fetching = false;
            if (error != null) {
                LOG.warn("Cannot reserve a block of producer ids", error);
                failed = new ArrayList<>(waiting);
                waiting.clear();
            } else {
                prefetched = first;
                while (!waiting.isEmpty() && take()) {
                    served.add(waiting.poll());
                    ids.add(next++);
                }
                if (!waiting.isEmpty() || end - next <= blockSize / 2) {
                    fetchBlock();
                }
            }
        }
        // Outside the lock: the callers' continuations run on this thread.
        for (int i = 0; i < served.size(); i++) {
            served.get(i).complete(ids.get(i));
        }
        for (CompletableFuture<Long> future : failed) {
            future.completeExceptionally(error);
        }
    }
}
