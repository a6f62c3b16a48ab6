package io.fjord.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code fjord cluster} learned from one node, and the views it prints, derived here so they
 * can be tested without a network.
 *
 * @param clusterId          the cluster id (DescribeCluster, else Metadata)
 * @param brokers            the brokers DescribeCluster (or Metadata) listed, fenced ones included when the node could say so
 * @param fencingKnown       whether {@code brokers} includes fenced ones (DescribeCluster v2 with IncludeFencedBrokers)
 * @param metadataController the controller id Metadata named, -1 if none
 * @param quorum             the metadata quorum (DescribeQuorum), or null when unavailable
 * @param quorumError        why {@code quorum} is null, else null
 * @param controllerEndpoints host:port of quorum voters by node id, where DescribeQuorum v2 named them
 * @param partitions         every partition of every topic Metadata listed
 */
record ClusterSnapshot(String clusterId, List<Broker> brokers, boolean fencingKnown, int metadataController,
        Quorum quorum, String quorumError, Map<Integer, String> controllerEndpoints, List<PartitionState> partitions) {

    /** A broker as DescribeCluster or Metadata lists it; {@code rack} may be null. */
    record Broker(int id, String host, int port, String rack, boolean fenced) {
    }

    /** The metadata quorum (the partition __cluster_metadata-0 of Kafka's KRaft). */
    record Quorum(int leaderId, int leaderEpoch, long highWatermark, List<Replica> voters, List<Replica> observers) {
        /** The leader's log end offset, or -1 when the leader is not among the voters or does not know it. */
        long leaderLogEndOffset() {
            for (Replica voter : voters) {
                if (voter.id() == leaderId) {
                    return voter.logEndOffset();
                }
            }
            return -1;
        }

        /** How far {@code replica} is behind the leader, or -1 when either end is unknown. */
        long lag(Replica replica) {
            long leaderEnd = leaderLogEndOffset();
            if (leaderEnd < 0 || replica.logEndOffset() < 0) {
                return -1;
            }
            return Math.max(0, leaderEnd - replica.logEndOffset());
        }
    }

    /** A quorum member; {@code logEndOffset} is -1 when unknown. */
    record Replica(int id, long logEndOffset) {
    }

    /** One partition as Metadata shows it; {@code leader} is -1 when it has none. */
    record PartitionState(String topic, int partition, int leader, List<Integer> replicas, List<Integer> isr) {
        String name() {
            return topic + "-" + partition;
        }
    }

    /**
     * A node of the cluster. Kafka's rule: a node is a broker if it is registered as one (listed by
     * DescribeCluster) and a controller if it is a voter of the metadata quorum.
     *
     * @param endpoint host:port, or null when no answer named one
     * @param fenced   whether the broker is fenced; false for a node that is not a broker
     */
    record Node(int id, String endpoint, String rack, boolean broker, boolean controller, boolean fenced) {
        String roles() {
            if (broker && controller) {
                return "broker,controller";
            }
            return broker ? "broker" : "controller";
        }
    }

    /** Brokers and voters merged into one list, by id. */
    List<Node> nodes() {
        Map<Integer, Node> byId = new TreeMap<>();
        for (Broker b : brokers) {
            byId.put(b.id(), new Node(b.id(), b.host() + ":" + b.port(), b.rack(), true, false, b.fenced()));
        }
        if (quorum != null) {
            for (Replica voter : quorum.voters()) {
                Node broker = byId.get(voter.id());
                if (broker != null) {
                    byId.put(voter.id(), new Node(broker.id(), broker.endpoint(), broker.rack(), true, true, broker.fenced()));
                } else {
                    byId.put(voter.id(), new Node(voter.id(), controllerEndpoints.get(voter.id()), null, false, true, false));
                }
            }
        }
        return List.copyOf(byId.values());
    }

    /** The active controller: the quorum leader, else what Metadata named; -1 when neither knows. */
    int activeController() {
        if (quorum != null && quorum.leaderId() >= 0) {
            return quorum.leaderId();
        }
        return metadataController;
    }

    /** Whether {@link #activeController()} came from the quorum itself rather than from Metadata. */
    boolean activeControllerFromQuorum() {
        return quorum != null && quorum.leaderId() >= 0;
    }

    /** Partitions with fewer in-sync replicas than replicas, by name. */
    List<PartitionState> underReplicated() {
        return sorted(partitions.stream().filter(p -> p.isr().size() < p.replicas().size()).toList());
    }

    /** Partitions with no leader, by name. */
    List<PartitionState> leaderless() {
        return sorted(partitions.stream().filter(p -> p.leader() < 0).toList());
    }

    private static List<PartitionState> sorted(List<PartitionState> list) {
        List<PartitionState> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparing(PartitionState::topic).thenComparingInt(PartitionState::partition));
        return copy;
    }
}
