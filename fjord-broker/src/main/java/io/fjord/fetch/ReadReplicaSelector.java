package io.fjord.fetch;

import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.partition.Partition;
import java.util.Set;

/**
 * Kafka's replica.selector.class for fetching from followers (KIP-392): a leader that is told a
 * consumer's rack sends it to an in-sync follower in that rack which already holds its fetch offset,
 * the one furthest ahead, unless the leader itself is in that rack. Kafka's RackAwareReplicaSelector;
 * its LeaderSelector (and no setting at all) keeps every consumer on the leader.
 */
final class ReadReplicaSelector {
    static final String RACK_AWARE = "org.apache.kafka.common.replica.RackAwareReplicaSelector";
    static final String LEADER = "org.apache.kafka.common.replica.LeaderSelector";
    /** The class names replica.selector.class accepts. */
    static final Set<String> KNOWN = Set.of(RACK_AWARE, LEADER);

    private final ClusterView cluster;

    private ReadReplicaSelector(ClusterView cluster) {
        this.cluster = cluster;
    }

    /** The selector {@code className} names, or null when consumers stay on the leader. */
    static ReadReplicaSelector of(String className, ClusterView cluster) {
        return RACK_AWARE.equals(className) && cluster != null ? new ReadReplicaSelector(cluster) : null;
    }

    /** The broker the consumer should read {@code partition} from, or -1 for this one (the leader). */
    int preferredReadReplica(Partition partition, String clientRack, long fetchOffset) {
        if (clientRack == null || clientRack.isEmpty() || clientRack.equals(rackOf(partition.localBrokerId()))) {
            return -1;
        }
        int best = -1;
        long bestEnd = -1;
        for (int replica : partition.isr()) {
            if (replica == partition.localBrokerId() || !clientRack.equals(rackOf(replica))) {
                continue;
            }
            long end = partition.followerLogEndOffset(replica);
            if (end >= fetchOffset && end > bestEnd) {
                best = replica;
                bestEnd = end;
            }
        }
        return best;
    }

    private String rackOf(int brokerId) {
        BrokerNode node = cluster.aliveBroker(brokerId);
        return node == null ? null : node.rack();
    }
}
