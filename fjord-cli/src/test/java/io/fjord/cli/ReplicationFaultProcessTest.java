package io.fjord.cli;

import static io.fjord.cli.ClusterClients.brokerIds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8's fault test: three combined nodes, a topic of 6 partitions with replication factor 3 and
 * min.insync.replicas=2, idempotent producers with acks=all sending at least 200,000 records while
 * leaders are SIGKILLed and restarted, a node is frozen (SIGSTOP) for longer than
 * replica.lag.time.max.ms, and the active controller is restarted. Afterwards every acknowledged
 * record must be in the topic exactly once, in send order, next to nothing that was never sent;
 * and once every replica is back in its ISR and the nodes are stopped, each partition's segments
 * must hold the same bytes on all three nodes.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReplicationFaultProcessTest extends ClusterProcessTest {
    private static final String TOPIC = "faults";
    private static final int PARTITIONS = 6;
    private static final int PRODUCERS = 2;
    private static final long AT_LEAST_ACKNOWLEDGED = 200_000;
    /**
     * Per producer. Sized so that the 200,000 records take about as long as the faults (the faults
     * set the run time: restarts of JVMs dominate); the records keep flowing until both are done.
     */
    private static final double RECORDS_PER_SECOND = 1_000;
    private static final int ROUNDS = 2;
    private static final int LAG_MS = 3000;
    /**
     * Longer than {@link #LEAVE_ISR_WITHIN}, so that a frozen node must leave the ISRs through the lag
     * rule (AlterPartition from the leaders), before its lease runs out and it is fenced (which takes
     * it out of every ISR too); a killed leader is fenced after it.
     */
    private static final int SESSION_TIMEOUT_MS = 14_000;
    /**
     * From the SIGSTOP: replica.lag.time.max.ms, the leaders' check every half of it, a controller
     * election when the frozen node was the active controller (about 2 s), and slack for a loaded
     * machine; still 3 s short of the lease, which may have begun up to a heartbeat interval (2 s) before
     * the freeze.
     */
    private static final Duration LEAVE_ISR_WITHIN = Duration.ofMillis(SESSION_TIMEOUT_MS - 3000);
    private static final Map<String, String> NODE_SETTINGS = Map.of(
            "broker.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS),
            "replica.lag.time.max.ms", Integer.toString(LAG_MS));
    /** Small segments, so that replicas have several and the byte comparison crosses segment boundaries. */
    private static final Map<String, String> TOPIC_CONFIGS = Map.of(
            "min.insync.replicas", "2",
            "segment.bytes", Integer.toString(256 * 1024));

    @Test
    void acknowledgedRecordsSurviveLeaderKillsPausesAndControllerRestartsAndReplicasConverge() throws Exception {
        long begin = System.nanoTime();
        cluster = ClusterFixture.combined("replication-faults", 3, dataRoot, NODE_SETTINGS);
        cluster.startAll();
        Set<Integer> nodes = Set.of(1, 2, 3);
        List<String> problems = new ArrayList<>();
        RecordLedger ledger = new RecordLedger(PRODUCERS, PARTITIONS);
        FaultInjector faults;

        try (Admin admin = cluster.admin()) {
            cluster.await("brokers 1, 2, 3 registered and unfenced", Duration.ofSeconds(60),
                    () -> brokerIds(admin), ids -> ids.equals(nodes));
            ClusterClients.createTopic(admin, TOPIC, PARTITIONS, 3, TOPIC_CONFIGS, Duration.ofSeconds(30));
            cluster.await("every partition of " + TOPIC + " led, with ISR [1, 2, 3]", Duration.ofSeconds(60),
                    () -> PartitionStates.snapshot(admin, TOPIC), s -> PartitionStates.healthy(s, nodes, PARTITIONS));

            List<PacedProducer> producers = new ArrayList<>();
            for (int id = 0; id < PRODUCERS; id++) {
                producers.add(new PacedProducer(id, cluster.bootstrapServers(), TOPIC, ledger, RECORDS_PER_SECOND));
            }
            producers.forEach(PacedProducer::start);

            faults = new FaultInjector(cluster, admin, TOPIC, PARTITIONS, ledger::ackedTotal, 5_000);
            AtomicReference<Throwable> faultFailure = new AtomicReference<>();
            Thread faulting = new Thread(() -> {
                try {
                    for (int round = 0; round < ROUNDS; round++) {
                        faults.killLeaderOf((2 * round) % PARTITIONS);
                        // Both kinds of frozen node in every run: one that only replicates, then the active
                        // controller (the others must elect a new one and fence it without its cooperation).
                        if (round % 2 == 0) {
                            faults.pause(faults.notActiveController(), Duration.ofMillis(2L * LAG_MS), LEAVE_ISR_WITHIN);
                        } else {
                            faults.pauseActiveController(faults.activeController(), Duration.ofMillis(3L * LAG_MS));
                        }
                        faults.restartController(round % 2 == 0);
                    }
                } catch (Throwable t) {
                    // The first fault whose aftermath failed ends the faults: more on a broken cluster says nothing.
                    faultFailure.set(t);
                }
            }, "faults");
            faulting.start();
            faulting.join(TimeUnit.MINUTES.toMillis(6));
            if (faulting.isAlive()) {
                faulting.interrupt();
                faulting.join(30_000);
                problems.add("the faults did not finish within 6 minutes");
            }
            if (faultFailure.get() != null) {
                problems.add("faults stopped: " + faultFailure.get());
            }

            // After a failed fault the cluster is broken: checking what it holds now says more than waiting on it.
            if (faultFailure.get() == null) {
                try {
                    cluster.await("at least " + AT_LEAST_ACKNOWLEDGED + " records acknowledged", Duration.ofSeconds(150),
                            ledger::ackedTotal, n -> n >= AT_LEAST_ACKNOWLEDGED);
                } catch (AssertionError e) {
                    problems.add(e.getMessage());
                }
            }
            for (PacedProducer producer : producers) {
                producer.stop();
            }
            long producedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

            long readFrom = System.nanoTime();
            Map<Integer, List<TopicReader.Stored>> stored = TopicReader.readAll(cluster.bootstrapServers(), TOPIC, PARTITIONS,
                    Duration.ofSeconds(120));
            long readMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readFrom);
            List<LogAudit.PartitionReport> reports = LogAudit.check(ledger, stored);
            long present = reports.stream().mapToLong(LogAudit.PartitionReport::present).sum();
            System.out.printf("replication faults: %d records sent, %d acknowledged, %d present (read in %d ms); send errors %s%n",
                    ledger.sentTotal(), ledger.ackedTotal(), present, readMs, ledger.errors());
            System.out.printf("replication faults: faults %s in %d ms of producing%n", faults.counts(), producedMs);
            faults.journal().forEach(line -> System.out.println("  " + line));
            reports.forEach(r -> System.out.println("  " + r));
            reports.stream().filter(r -> !r.clean()).forEach(r -> problems.add(r.toString()));
            if (!ledger.firstErrors().isEmpty()) {
                System.out.println("  first send errors: " + ledger.firstErrors());
            }
            if (ledger.ackedTotal() < AT_LEAST_ACKNOWLEDGED) {
                problems.add("only " + ledger.ackedTotal() + " records acknowledged; send errors " + ledger.errors()
                        + ", first: " + ledger.firstErrors());
            }
            Map<String, Integer> counts = faults.counts();
            if (counts.getOrDefault("sigkill-leader", 0) < 1 || counts.getOrDefault("sigstop", 0) < 1
                    || counts.getOrDefault("sigkill-controller", 0) + counts.getOrDefault("sigterm-controller", 0) < 1) {
                problems.add("not every kind of fault was done: " + counts);
            }

            if (problems.isEmpty()) {
                problems.addAll(converge(admin, nodes));
            }
        }
        System.out.printf("replication faults: wall time %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problem(s):\n" + String.join("\n", problems)
                    + "\nfault journal:\n" + String.join("\n", faults.journal()) + "\nnode logs in target/cluster-test-logs/"
                    + "replication-faults/" + cluster.describe());
        }
    }

    /**
     * Replicas that came back converge: once every replica is in its ISR and the replicas' segment
     * files have grown to the same size, every node is stopped with SIGTERM, and each partition's
     * segments, concatenated in base offset order, must be the same bytes on every node.
     */
    private List<String> converge(Admin admin, Set<Integer> nodes) throws Exception {
        List<String> problems = new ArrayList<>();
        cluster.await("every replica in its partition's ISR", Duration.ofSeconds(60),
                () -> PartitionStates.snapshot(admin, TOPIC), s -> PartitionStates.healthy(s, nodes, PARTITIONS));
        cluster.await("each partition's segments the same size on every node", Duration.ofSeconds(60),
                () -> sizes(nodes), sizes -> sizes.stream().allMatch(perNode -> perNode.stream().distinct().count() == 1));
        for (int node : nodes.stream().sorted().toList()) {
            long ms = cluster.terminate(node, Duration.ofSeconds(30));
            System.out.printf("convergence: node %d stopped %d ms after SIGTERM%n", node, ms);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            Map<Integer, byte[]> bytes = new java.util.TreeMap<>();
            for (int node : nodes) {
                bytes.put(node, ReplicaLogs.concatenated(logDir(node), TOPIC, p));
            }
            byte[] first = bytes.get(1);
            StringBuilder line = new StringBuilder("partition " + p + ":");
            boolean same = first.length > 0;
            for (Map.Entry<Integer, byte[]> e : bytes.entrySet()) {
                line.append(" node ").append(e.getKey()).append(' ').append(e.getValue().length).append(" bytes ")
                        .append(ReplicaLogs.describe(logDir(e.getKey()), TOPIC, p));
                long mismatch = ReplicaLogs.firstDifference(first, e.getValue());
                if (mismatch >= 0) {
                    same = false;
                    line.append(" (differs from node 1 at byte ").append(mismatch).append(')');
                }
            }
            System.out.println("convergence: " + line + (same ? " identical" : ""));
            if (!same) {
                problems.add("replicas differ or are empty: " + line);
            }
        }
        return problems;
    }

    /** For each partition, the size of its segments on each node. */
    private List<List<Long>> sizes(Set<Integer> nodes) throws Exception {
        List<List<Long>> sizes = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<Long> perNode = new ArrayList<>();
            for (int node : nodes.stream().sorted().toList()) {
                perNode.add(ReplicaLogs.size(logDir(node), TOPIC, p));
            }
            sizes.add(perNode);
        }
        return sizes;
    }

    private Path logDir(int node) {
        return cluster.spec(node).dataDir();
    }
}
