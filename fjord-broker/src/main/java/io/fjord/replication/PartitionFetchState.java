package io.fjord.replication;

/**
 * One partition in a fetcher thread: the replica it writes to and the leadership it follows. A new
 * leader or epoch makes a new state, so an answer to a fetch made for an older one is recognised (by
 * identity) and dropped. {@code delayedUntilNanos} is guarded by the owning thread's lock.
 */
final class PartitionFetchState {
    final TopicIdPartition key;
    final FollowerLog log;
    final int leaderId;
    final int leaderEpoch;
    long delayedUntilNanos;

    PartitionFetchState(TopicIdPartition key, FollowerLog log, int leaderId, int leaderEpoch) {
        this.key = key;
        this.log = log;
        this.leaderId = leaderId;
        this.leaderEpoch = leaderEpoch;
    }

    @Override
    public String toString() {
        return log.topicPartition() + "@leader " + leaderId + " epoch " + leaderEpoch;
    }
}
