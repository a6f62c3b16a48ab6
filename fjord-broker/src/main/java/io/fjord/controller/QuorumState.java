package io.fjord.controller;

import java.util.List;

/**
 * The controller quorum as DescribeQuorum reports it. Offsets are positions in the metadata log;
 * -1 where a value is not known.
 *
 * @param leaderId    the active controller, -1 when there is none right now
 * @param leaderEpoch the Raft term of that leader
 */
public record QuorumState(int leaderId, int leaderEpoch, long highWatermark, List<Replica> voters, List<Replica> observers) {

    public QuorumState {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
    }

    /** One replica of the metadata log and how far it has got. */
    public record Replica(int replicaId, long logEndOffset, long lastFetchTimestamp, long lastCaughtUpTimestamp) {
    }
}
