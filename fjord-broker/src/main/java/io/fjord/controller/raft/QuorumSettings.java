package io.fjord.controller.raft;

import java.nio.file.Path;
import java.util.List;

/**
 * What a node of a controller quorum needs to know, from Kafka's keys: the voters, its own place,
 * and the timings of elections and broker leases.
 *
 * @param controller      whether this node is a voter (process.roles has controller)
 * @param broker          whether this node serves clients (process.roles has broker)
 * @param metadataDir     where the Raft log and snapshots (controllers) or the last image (brokers) live
 */
public record QuorumSettings(int nodeId, boolean controller, boolean broker, List<QuorumVoter> voters,
                             Path metadataDir, int electionTimeoutMs, int sessionTimeoutMs,
                             int heartbeatIntervalMs, String rack) {

    public QuorumSettings {
        voters = List.copyOf(voters);
    }

    /** This node's voter entry; null for a broker-only node. */
    public QuorumVoter self() {
        for (QuorumVoter voter : voters) {
            if (voter.id() == nodeId) {
                return voter;
            }
        }
        return null;
    }
}
