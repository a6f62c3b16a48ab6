package io.fjord.produce;

import java.util.concurrent.CompletableFuture;

/** Hands out producer ids that are never handed out again, not even after a restart. */
public interface ProducerIdAllocator {

    /**
     * The next unused id. Usually complete at once; it completes later (on another thread) when a new
     * block of ids must first be reserved durably, and fails when that reservation fails.
     */
    CompletableFuture<Long> nextProducerId();
}
