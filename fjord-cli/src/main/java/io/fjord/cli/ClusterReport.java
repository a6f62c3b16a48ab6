package io.fjord.cli;

import io.fjord.cli.ClusterSnapshot.Node;
import io.fjord.cli.ClusterSnapshot.PartitionState;
import io.fjord.cli.ClusterSnapshot.Quorum;
import io.fjord.cli.ClusterSnapshot.Replica;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text {@code fjord cluster} prints: "label: value" lines, with indented tables under
 * "nodes:" and "quorum:", so a person can read it and a script can grep it. "-" stands for a value
 * no answer gave.
 */
final class ClusterReport {
    private ClusterReport() {
    }

    static List<String> lines(ClusterSnapshot snapshot) {
        List<String> out = new ArrayList<>();
        out.add("cluster id: " + snapshot.clusterId());
        out.add("active controller: " + activeController(snapshot));

        List<Node> nodes = snapshot.nodes();
        out.add("nodes: " + nodes.size());
        List<List<String>> nodeRows = new ArrayList<>();
        nodeRows.add(List.of("ID", "ENDPOINT", "RACK", "ROLES", "STATE"));
        for (Node node : nodes) {
            nodeRows.add(List.of(Integer.toString(node.id()), orDash(node.endpoint()), orDash(node.rack()), node.roles(),
                    node.broker() ? (node.fenced() ? "fenced" : "unfenced") : "-"));
        }
        table(nodeRows, out);
        if (!snapshot.fencingKnown()) {
            out.add("  (fenced brokers are not shown: the node does not offer DescribeCluster v2)");
        }

        Quorum quorum = snapshot.quorum();
        if (quorum == null) {
            out.add("quorum: unavailable (" + snapshot.quorumError() + ")");
        } else {
            out.add("quorum: leader " + idOrNone(quorum.leaderId()) + ", leader epoch " + quorum.leaderEpoch()
                    + ", high watermark " + quorum.highWatermark());
            List<List<String>> replicaRows = new ArrayList<>();
            replicaRows.add(List.of("REPLICA", "STATUS", "LOG END OFFSET", "LAG"));
            for (Replica voter : quorum.voters()) {
                replicaRows.add(replicaRow(quorum, voter, voter.id() == quorum.leaderId() ? "leader" : "follower"));
            }
            for (Replica observer : quorum.observers()) {
                replicaRows.add(replicaRow(quorum, observer, "observer"));
            }
            table(replicaRows, out);
        }

        partitions("under-replicated partitions", snapshot.underReplicated(), out);
        partitions("leaderless partitions", snapshot.leaderless(), out);
        return out;
    }

    private static String activeController(ClusterSnapshot snapshot) {
        int id = snapshot.activeController();
        if (id < 0) {
            return "none";
        }
        // Without the quorum, Metadata's controller id is only the node a client should send admin requests to.
        return snapshot.activeControllerFromQuorum() ? Integer.toString(id) : id + " (as named by Metadata; the quorum is unavailable)";
    }

    private static List<String> replicaRow(Quorum quorum, Replica replica, String status) {
        long lag = quorum.lag(replica);
        return List.of(Integer.toString(replica.id()), status,
                replica.logEndOffset() >= 0 ? Long.toString(replica.logEndOffset()) : "-",
                lag >= 0 ? Long.toString(lag) : "-");
    }

    private static void partitions(String label, List<PartitionState> partitions, List<String> out) {
        if (partitions.isEmpty()) {
            out.add(label + ": none");
            return;
        }
        out.add(label + ": " + partitions.size());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("PARTITION", "LEADER", "REPLICAS", "ISR"));
        for (PartitionState p : partitions) {
            rows.add(List.of(p.name(), idOrNone(p.leader()), ids(p.replicas()), ids(p.isr())));
        }
        table(rows, out);
    }

    /** Rows as left-aligned columns two spaces apart, indented by two; the first row is the heading. */
    private static void table(List<List<String>> rows, List<String> out) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < columns; c++) {
                line.append(row.get(c));
                if (c < columns - 1) {
                    line.append(" ".repeat(widths[c] - row.get(c).length() + 2));
                }
            }
            out.add(line.toString());
        }
    }

    private static String ids(List<Integer> ids) {
        return ids.isEmpty() ? "-" : ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String idOrNone(int id) {
        return id >= 0 ? Integer.toString(id) : "none";
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
