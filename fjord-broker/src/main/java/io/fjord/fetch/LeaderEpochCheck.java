package io.fjord.fetch;

import io.fjord.partition.Partition;
import io.fjord.protocol.Errors;

/**
 * Kafka's check of the current_leader_epoch a client sends (KIP-320): a client behind the
 * partition's epoch is fenced (FENCED_LEADER_EPOCH, it refreshes its metadata), one ahead of it
 * knows of a leader change this node has not seen yet (UNKNOWN_LEADER_EPOCH, it retries).
 */
public final class LeaderEpochCheck {
    private LeaderEpochCheck() {
    }

    /** @param requestEpoch -1 when the client did not say, which always passes */
    public static Errors check(Partition partition, int requestEpoch) {
        if (requestEpoch < 0) {
            return Errors.NONE;
        }
        int epoch = partition.leaderEpoch();
        if (epoch > requestEpoch) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        return epoch < requestEpoch ? Errors.UNKNOWN_LEADER_EPOCH : Errors.NONE;
    }
}
