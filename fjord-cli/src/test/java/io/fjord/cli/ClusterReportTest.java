package io.fjord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.cli.ClusterSnapshot.Broker;
import io.fjord.cli.ClusterSnapshot.PartitionState;
import io.fjord.cli.ClusterSnapshot.Quorum;
import io.fjord.cli.ClusterSnapshot.Replica;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code fjord cluster} prints for fixed answers: roles, fencing, the quorum, partition health. */
class ClusterReportTest {
    private static final List<PartitionState> HEALTHY = List.of(
            new PartitionState("orders", 0, 4, List.of(4, 5), List.of(4, 5)));

    @Test
    void threeControllersAndTwoBrokersWithAFencedBrokerAndSickPartitions() {
        ClusterSnapshot snapshot = new ClusterSnapshot("MkU3OEVBNTcwNTJENDM2Qg",
                List.of(new Broker(5, "127.0.0.1", 9095, null, true), new Broker(4, "127.0.0.1", 9094, "rack-a", false)),
                true, 4,
                new Quorum(2, 7, 120, List.of(new Replica(1, 118), new Replica(2, 120), new Replica(3, -1)),
                        List.of(new Replica(4, 120))),
                null, Map.of(1, "127.0.0.1:19091"),
                List.of(new PartitionState("orders", 1, 4, List.of(4, 5), List.of(4)),
                        new PartitionState("orders", 0, 4, List.of(5, 4), List.of(4)),
                        new PartitionState("solo", 0, -1, List.of(5), List.of(5)),
                        new PartitionState("fine", 0, 4, List.of(4), List.of(4))));

        assertThat(ClusterReport.lines(snapshot)).containsExactly(
                "cluster id: MkU3OEVBNTcwNTJENDM2Qg",
                "active controller: 2",
                "nodes: 5",
                "  ID  ENDPOINT         RACK    ROLES       STATE",
                "  1   127.0.0.1:19091  -       controller  -",
                "  2   -                -       controller  -",
                "  3   -                -       controller  -",
                "  4   127.0.0.1:9094   rack-a  broker      unfenced",
                "  5   127.0.0.1:9095   -       broker      fenced",
                "quorum: leader 2, leader epoch 7, high watermark 120",
                "  REPLICA  STATUS    LOG END OFFSET  LAG",
                "  1        follower  118             2",
                "  2        leader    120             0",
                "  3        follower  -               -",
                "  4        observer  120             0",
                "under-replicated partitions: 2",
                "  PARTITION  LEADER  REPLICAS  ISR",
                "  orders-0   4       5,4       4",
                "  orders-1   4       4,5       4",
                "leaderless partitions: 1",
                "  PARTITION  LEADER  REPLICAS  ISR",
                "  solo-0     none    5         5");
    }

    @Test
    void combinedNodesAreBrokerAndController() {
        ClusterSnapshot snapshot = new ClusterSnapshot("c",
                List.of(new Broker(1, "h1", 9092, null, false), new Broker(2, "h2", 9092, null, false)),
                true, 1,
                new Quorum(1, 1, 10, List.of(new Replica(1, 10), new Replica(2, 10)), List.of()),
                null, Map.of(), HEALTHY);

        assertThat(ClusterReport.lines(snapshot)).containsSubsequence(
                "nodes: 2",
                "  ID  ENDPOINT  RACK  ROLES              STATE",
                "  1   h1:9092   -     broker,controller  unfenced",
                "  2   h2:9092   -     broker,controller  unfenced");
        assertThat(ClusterReport.lines(snapshot)).endsWith(
                "under-replicated partitions: none",
                "leaderless partitions: none");
    }

    @Test
    void withoutTheQuorumTheControllerComesFromMetadataAndTheReasonIsShown() {
        ClusterSnapshot snapshot = new ClusterSnapshot("c", List.of(new Broker(1, "h1", 9092, null, false)), true, 1,
                null, "DescribeQuorum is not supported by h1:9092", Map.of(), HEALTHY);

        List<String> lines = ClusterReport.lines(snapshot);
        assertThat(lines).contains(
                "active controller: 1 (as named by Metadata; the quorum is unavailable)",
                "quorum: unavailable (DescribeQuorum is not supported by h1:9092)");
        // Without the quorum nobody is known to be a controller.
        assertThat(lines).contains("  1   h1:9092   -     broker  unfenced");
    }

    @Test
    void noLeaderAnywhereIsNone() {
        ClusterSnapshot snapshot = new ClusterSnapshot("c", List.of(), true, -1,
                new Quorum(-1, 3, -1, List.of(new Replica(1, 5)), List.of()), null, Map.of(), List.of());

        assertThat(ClusterReport.lines(snapshot)).contains(
                "active controller: none",
                "quorum: leader none, leader epoch 3, high watermark -1",
                "  1        follower  5               -");
    }

    @Test
    void anOldNodeThatCannotListFencedBrokersSaysSo() {
        ClusterSnapshot snapshot = new ClusterSnapshot("c", List.of(new Broker(1, "h1", 9092, null, false)), false, 1,
                null, "x", Map.of(), HEALTHY);

        assertThat(ClusterReport.lines(snapshot))
                .contains("  (fenced brokers are not shown: the node does not offer DescribeCluster v2)");
    }
}
