package io.fjord.fetch;

import java.util.LinkedHashMap;

/**
 * An incremental fetch session (KIP-227): the partitions a client fetches, so that each request
 * only names what changed. The partition map is guarded by the session's own monitor; the
 * bookkeeping fields by the cache's, which is never taken while holding a session's.
 */
final class FetchSession {
    final int id;
    /** Created by a follower; only other privileged sessions may evict it while it is fresh. */
    final boolean privileged;
    final boolean usesTopicIds;
    final long creationMs;
    /** In iteration order, which is the order partitions are read: partitions that got data move to the end. */
    final LinkedHashMap<FetchKey, CachedPartition> partitions;

    // Guarded by the cache.
    long lastUsedMs;
    /** The size the cache last saw, -1 when not in the cache. */
    int cachedSize = -1;

    // Guarded by this.
    /** The epoch the next request must carry. */
    int epoch;

    FetchSession(int id, boolean privileged, boolean usesTopicIds, long nowMs,
            LinkedHashMap<FetchKey, CachedPartition> partitions) {
        this.id = id;
        this.privileged = privileged;
        this.usesTopicIds = usesTopicIds;
        this.creationMs = nowMs;
        this.lastUsedMs = nowMs;
        this.partitions = partitions;
        this.epoch = nextEpoch(0);
    }

    synchronized int size() {
        return partitions.size();
    }

    /** The epoch after {@code epoch}: wraps to 1, never back to 0 (which means "new session"). */
    static int nextEpoch(int epoch) {
        if (epoch < 0) {
            return epoch;
        }
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    @Override
    public String toString() {
        return "FetchSession(id=" + id + ", privileged=" + privileged + ", usesTopicIds=" + usesTopicIds + ")";
    }
}
