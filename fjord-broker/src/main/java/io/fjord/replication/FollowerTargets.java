package io.fjord.replication;

import io.fjord.partition.Partition;

/**
 * The follower side of replication, as the partition manager sees it: which partitions this node must
 * fetch, from which leader, in which leader epoch. Calls come from the metadata thread, one image at a
 * time; implementations hand the work to their fetcher threads and return at once.
 */
public interface FollowerTargets {
    /** Fetch {@code partition} from broker {@code leaderId}, whose leadership has epoch {@code leaderEpoch}. */
    void follow(Partition partition, int leaderId, int leaderEpoch);

    /** Stop fetching {@code partition}: this node leads it now, it has no leader, or it is gone. */
    void unfollow(Partition partition);

    FollowerTargets NONE = new FollowerTargets() {
        @Override
        public void follow(Partition partition, int leaderId, int leaderEpoch) {
        }

        @Override
        public void unfollow(Partition partition) {
        }
    };
}
