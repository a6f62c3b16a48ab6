package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.log.LogSlice;
import io.fjord.protocol.Errors;

/**
 * What a leader answers a follower's fetch of one partition: an error, or where the follower's log
 * diverges from the leader's (it must truncate before fetching again), or records from its fetch offset
 * with the leader's high watermark, log start and log end offsets.
 *
 * @param records        null unless {@code error} is NONE and there is no divergence; must be released
 * @param divergingEpoch null unless the follower's last fetched epoch ends elsewhere on the leader
 */
public record ReplicaRead(Errors error, EpochEndOffset divergingEpoch, LogSlice records, long highWatermark,
        long logStartOffset, long logEndOffset) {

    public static ReplicaRead failed(Errors error) {
        return new ReplicaRead(error, null, null, -1, -1, -1);
    }
}
