package io.fjord.fetch;

/**
 * What a fetch asks of one partition. Incremental fetches leave out partitions whose request did
 * not change, so the session keeps the last one of each.
 *
 * @param currentLeaderEpoch -1 when the client does not say (before v9, or no epoch known)
 * @param lastFetchedEpoch   -1 when the client does not say; only followers use it
 * @param logStartOffset     the follower's log start offset; -1 from consumers
 */
record PartitionRequest(long fetchOffset, int maxBytes, int currentLeaderEpoch, int lastFetchedEpoch,
        long logStartOffset) {
}
