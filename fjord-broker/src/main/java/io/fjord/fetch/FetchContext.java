package io.fjord.fetch;

import io.fjord.network.FileRecords;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one fetch request relates to the session cache (KIP-227), decided when the request arrives:
 * which partitions it reads, and how the answer is shaped when it is ready (possibly much later,
 * after a long poll). The four kinds follow Kafka's FetchManager.
 */
abstract sealed class FetchContext {

    /** The partitions to read, in order. Fixed when the context is made. */
    abstract List<Map.Entry<FetchKey, PartitionRequest>> partitions();

    /**
     * The answer for {@code results}, one per partition of {@link #partitions()}. Results left out
     * of the answer are released here.
     */
    abstract FetchAnswer answer(List<PartitionResult> results);

    /** A top-level answer: error, session id and the partitions it includes. */
    record FetchAnswer(Errors error, int sessionId, List<PartitionResult> results) {
    }

    static void release(PartitionResult result) {
        if (result.data().records() instanceof FileRecords file) {
            file.release();
        }
    }

    /** The session named in the request is unknown or out of step: no partitions, just the error. */
    static final class SessionError extends FetchContext {
        private final Errors error;

        SessionError(Errors error) {
            this.error = error;
        }

        @Override
        List<Map.Entry<FetchKey, PartitionRequest>> partitions() {
            return List.of();
        }

        @Override
        FetchAnswer answer(List<PartitionResult> results) {
            results.forEach(FetchContext::release);
            return new FetchAnswer(error, FetchSessionCache.INVALID_SESSION_ID, List.of());
        }
    }

    /** Epoch -1 (and every fetch before v7): the request names all its partitions and no session is kept. */
    static final class Sessionless extends FetchContext {
        private final List<Map.Entry<FetchKey, PartitionRequest>> partitions;

        Sessionless(LinkedHashMap<FetchKey, PartitionRequest> partitions) {
            this.partitions = List.copyOf(partitions.entrySet());
        }

        @Override
        List<Map.Entry<FetchKey, PartitionRequest>> partitions() {
            return partitions;
        }

        @Override
        FetchAnswer answer(List<PartitionResult> results) {
            return new FetchAnswer(Errors.NONE, FetchSessionCache.INVALID_SESSION_ID, results);
        }
    }

    /** Epoch 0: a full fetch that opens a new session, when the cache has room for it. */
    static final class Full extends FetchContext {
        private final FetchSessionCache cache;
        private final List<Map.Entry<FetchKey, PartitionRequest>> partitions;
        private final boolean usesTopicIds;
        private final boolean privileged;

        Full(FetchSessionCache cache, LinkedHashMap<FetchKey, PartitionRequest> partitions, boolean usesTopicIds,
                boolean privileged) {
            this.cache = cache;
            this.partitions = List.copyOf(partitions.entrySet());
            this.usesTopicIds = usesTopicIds;
            this.privileged = privileged;
        }

        @Override
        List<Map.Entry<FetchKey, PartitionRequest>> partitions() {
            return partitions;
        }

        @Override
        FetchAnswer answer(List<PartitionResult> results) {
            // The session starts out knowing what this answer tells the client.
            int sessionId = cache.maybeCreate(privileged, usesTopicIds, results.size(), () -> {
                LinkedHashMap<FetchKey, CachedPartition> cached = LinkedHashMap.newLinkedHashMap(results.size());
                for (int i = 0; i < results.size(); i++) {
                    PartitionResult result = results.get(i);
                    cached.put(result.key(), new CachedPartition(partitions.get(i).getValue(),
                            result.data().highWatermark(), result.data().logStartOffset()));
                }
                return cached;
            });
            return new FetchAnswer(Errors.NONE, sessionId, results);
        }
    }

    /** Epoch > 0 in a known session: reads every partition of the session, answers only what changed. */
    static final class Incremental extends FetchContext {
        private final FetchSession session;
        /** The session's epoch once this request moved it on; another request since then makes ours stale. */
        private final int expectedEpoch;
        private final List<Map.Entry<FetchKey, PartitionRequest>> partitions;

        /** Call holding the session's lock, after updating the session with the request. */
        Incremental(FetchSession session) {
            this.session = session;
            this.expectedEpoch = session.epoch;
            List<Map.Entry<FetchKey, PartitionRequest>> list = new ArrayList<>(session.partitions.size());
            for (Map.Entry<FetchKey, CachedPartition> e : session.partitions.entrySet()) {
                list.add(Map.entry(e.getKey(), e.getValue().request()));
            }
            this.partitions = list;
        }

        @Override
        List<Map.Entry<FetchKey, PartitionRequest>> partitions() {
            return partitions;
        }

        @Override
        FetchAnswer answer(List<PartitionResult> results) {
            synchronized (session) {
                if (session.epoch != expectedEpoch) {
                    // A later request of the same session overtook this one (a client retrying): this
                    // answer would tell the client things the session no longer agrees with.
                    results.forEach(FetchContext::release);
                    return new FetchAnswer(Errors.INVALID_FETCH_SESSION_EPOCH, session.id, List.of());
                }
                List<PartitionResult> included = new ArrayList<>();
                for (PartitionResult result : results) {
                    CachedPartition cached = session.partitions.get(result.key());
                    if (cached != null && cached.mustRespond(result.data(), true)) {
                        included.add(result);
                        if (result.recordsBytes() > 0) {
                            // Partitions that got data go to the back of the line, so that under
                            // max_bytes the others get their turn next time.
                            session.partitions.remove(result.key());
                            session.partitions.put(result.key(), cached);
                        }
                    } else {
                        release(result);
                    }
                }
                return new FetchAnswer(Errors.NONE, session.id, included);
            }
        }
    }
}
