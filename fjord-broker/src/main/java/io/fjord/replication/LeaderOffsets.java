package io.fjord.replication;

import java.io.IOException;

/**
 * The leader's log start and log end offsets of a partition, asked when a fetch is out of range (Kafka's
 * fetchEarliestOffsetFromLeader / fetchLatestOffsetFromLeader, ListOffsets sent as a replica so the end is
 * the log end offset rather than the high watermark). A fetch error answer carries neither.
 */
public interface LeaderOffsets {
    /** The leader's log start offset, or -1 when it answered with an error. */
    long earliest(FollowerLog log, int leaderEpoch) throws IOException;

    /** The leader's log end offset, or -1 when it answered with an error. */
    long latest(FollowerLog log, int leaderEpoch) throws IOException;
}
