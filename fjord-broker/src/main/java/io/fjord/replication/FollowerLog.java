package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.partition.TopicPartition;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * What a replica fetcher needs of a partition it follows: where its log stands and the follower-side
 * writes. Each write names the leader epoch the fetch was made in, and the partition refuses it (returns
 * false or null, writing nothing) when it has moved on to another leader or epoch since: the fetcher's own
 * checks can race a metadata image, that one cannot. An interface so the fetch logic can be tested against
 * a recording fake; {@link PartitionFollowerLog} is the real one.
 */
public interface FollowerLog {
    TopicPartition topicPartition();

    UUID topicId();

    long logEndOffset();

    long logStartOffset();

    /** The leader epoch of the last batch in the log, -1 when none: the fetch's lastFetchedEpoch. */
    int latestEpoch();

    /** Appends whole batches as the leader numbered them; false when the partition moved on (nothing written). */
    boolean appendAsFollower(ByteBuffer batches, int fetchedInLeaderEpoch);

    void updateHighWatermarkAsFollower(long leaderHighWatermark, int fetchedInLeaderEpoch);

    /** Cuts what the leader does not have; null when the partition moved on. */
    Truncation truncateOnDivergence(EpochEndOffset divergingEpoch, int fetchedInLeaderEpoch);

    /** Empties the log and starts it at {@code offset}; false when the partition moved on. */
    boolean truncateFullyAndStartAt(long offset, int fetchedInLeaderEpoch);

    /** The leader's log start moved (DeleteRecords, retention): this replica's follows, up to its high watermark. */
    void maybeIncrementLogStartOffset(long leaderLogStartOffset, int fetchedInLeaderEpoch);
}
