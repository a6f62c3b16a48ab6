package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.partition.Partition;
import io.fjord.partition.TopicPartition;
import java.nio.ByteBuffer;
import java.util.UUID;

/** A {@link Partition} as the replica fetcher sees it. */
record PartitionFollowerLog(Partition partition) implements FollowerLog {

    @Override
    public TopicPartition topicPartition() {
        return partition.topicPartition();
    }

    @Override
    public UUID topicId() {
        return partition.topicId();
    }

    @Override
    public long logEndOffset() {
        return partition.logEndOffset();
    }

    @Override
    public long logStartOffset() {
        return partition.logStartOffset();
    }

    @Override
    public int latestEpoch() {
        return partition.latestEpoch();
    }

    @Override
    public boolean appendAsFollower(ByteBuffer batches, int fetchedInLeaderEpoch) {
        return partition.appendAsFollower(batches, fetchedInLeaderEpoch) != null;
    }

    @Override
    public void updateHighWatermarkAsFollower(long leaderHighWatermark, int fetchedInLeaderEpoch) {
        partition.updateHighWatermarkAsFollower(leaderHighWatermark, fetchedInLeaderEpoch);
    }

    @Override
    public Truncation truncateOnDivergence(EpochEndOffset divergingEpoch, int fetchedInLeaderEpoch) {
        return partition.truncateOnDivergence(divergingEpoch, fetchedInLeaderEpoch);
    }

    @Override
    public boolean truncateFullyAndStartAt(long offset, int fetchedInLeaderEpoch) {
        return partition.truncateFullyAndStartAt(offset, fetchedInLeaderEpoch);
    }

    @Override
    public String toString() {
        return partition.topicPartition().toString();
    }

    @Override
    public void maybeIncrementLogStartOffset(long leaderLogStartOffset, int fetchedInLeaderEpoch) {
        partition.maybeIncrementLogStartOffset(leaderLogStartOffset, fetchedInLeaderEpoch);
    }
}
