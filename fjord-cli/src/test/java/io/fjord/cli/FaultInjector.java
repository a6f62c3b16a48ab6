package io.fjord.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * The faults of the replication fault test, one at a time on a cluster of combined nodes: each
 * waits for the producers to make progress first (so it strikes while records flow) and, after
 * it, for the cluster to be whole again (every broker unfenced, every replica back in the ISR), so
 * that never more than one replica of a partition is away and acks=all with min.insync.replicas=2
 * stays possible throughout. A wait that runs out fails with the cluster's state and the nodes'
 * last log lines. Every fault is written to a journal with its timings.
 */
final class FaultInjector {
    /** Upper bounds for slow machines, never the expected time (the journal shows the real ones). */
    private static final Duration PROGRESS_WITHIN = Duration.ofSeconds(60);
    private static final Duration MOVE_WITHIN = Duration.ofSeconds(45);
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(90);
    private static final Duration TERMINATE_WITHIN = Duration.ofSeconds(30);

    private final ClusterFixture cluster;
    private final Admin admin;
    private final String topic;
    private final int partitions;
    private final Set<Integer> brokers;
    private final LongSupplier acknowledged;
    private final long progressBetweenFaults;
    private final long begin = System.nanoTime();
    private final List<String> journal = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();

    FaultInjector(ClusterFixture cluster, Admin admin, String topic, int partitions, LongSupplier acknowledged,
            long progressBetweenFaults) {
        this.cluster = cluster;
        this.admin = admin;
        this.topic = topic;
        this.partitions = partitions;
        this.brokers = Set.copyOf(cluster.brokerIds());
        this.acknowledged = acknowledged;
        this.progressBetweenFaults = progressBetweenFaults;
    }

    /** SIGKILL to the leader of {@code partition}; once others lead its partitions, it is started again. */
    int killLeaderOf(int partition) throws Exception {
        awaitProgress();
        int victim = ClusterClients.leader(ClusterClients.partitions(admin, topic).get(partition));
        if (victim < 0) {
            throw new AssertionError(topic + "-" + partition + " has no leader before the fault" + cluster.describe());
        }
        long at = System.nanoTime();
        cluster.kill(victim);
        cluster.await("after SIGKILL to node " + victim + ": every partition led by another broker", MOVE_WITHIN,
                () -> PartitionStates.snapshot(admin, topic), s -> PartitionStates.ledWithout(s.partitions(), victim));
        long movedMs = sinceMs(at);
        cluster.start(victim);
        long healthyMs = awaitHealthy("after SIGKILL and restart of node " + victim, at);
        record("sigkill-leader", "SIGKILL node " + victim + " (leader of " + topic + "-" + partition + "); leaderships moved after "
                + movedMs + " ms; restarted, whole again after " + healthyMs + " ms");
        return victim;
    }

    /** Bounds each look at the cluster while the active controller is frozen. */
    private static final int OBSERVE_TIMEOUT_MS = 1000;

    /**
     * SIGSTOP to {@code node} for at least {@code atLeast} (longer than replica.lag.time.max.ms), and
     * while it is frozen: within {@code leaveIsrWithin} of the SIGSTOP it must leave the ISR of every
     * partition another broker leads. Then SIGCONT.
     */
    void pause(int node, Duration atLeast, Duration leaveIsrWithin) throws Exception {
        awaitProgress();
        long at = System.nanoTime();
        cluster.pause(node);
        long leftIsrMs;
        try {
            cluster.await("while node " + node + " is frozen: it leaves the ISR of the partitions it follows",
                    leaveIsrWithin, () -> PartitionStates.snapshot(admin, topic),
                    s -> PartitionStates.outOfFollowedIsrs(s.partitions(), node));
            leftIsrMs = sinceMs(at);
            long left = atLeast.toMillis() - sinceMs(at);
            if (left > 0) {
                Thread.sleep(left); // the fault's length, not a wait for a state
            }
        } finally {
            cluster.resume(node);
        }
        long frozenMs = sinceMs(at);
        long healthyMs = awaitHealthy("after SIGSTOP of node " + node + " for " + frozenMs + " ms and SIGCONT", at);
        record("sigstop", "SIGSTOP node " + node + " for " + frozenMs + " ms; out of the followed ISRs after " + leftIsrMs
                + " ms; whole again after " + healthyMs + " ms");
    }

    /**
     * SIGSTOP to the active controller {@code node} for {@code length} (longer than replica.lag.time.max.ms),
     * then SIGCONT, after which the cluster must become whole again. While it is frozen the journal records,
     * without requiring them, when another node was seen leading the quorum and when the frozen node was
     * out of the ISRs it follows: a frozen (not dead) active controller slows the control plane down, since
     * requests keep going to it until they time out, and how long that takes varies (see the closing notes).
     */
    void pauseActiveController(int node, Duration length) throws Exception {
        awaitProgress();
        long at = System.nanoTime();
        cluster.pause(node);
        long electedMs = -1;
        long leftIsrMs = -1;
        try {
            while (sinceMs(at) < length.toMillis()) {
                try {
                    if (electedMs < 0) {
                        int leader = ClusterClients.quorum(admin, OBSERVE_TIMEOUT_MS).leaderId();
                        if (leader >= 0 && leader != node) {
                            electedMs = sinceMs(at);
                        }
                    }
                    if (leftIsrMs < 0 && PartitionStates.outOfFollowedIsrs(
                            PartitionStates.snapshot(admin, topic).partitions(), node)) {
                        leftIsrMs = sinceMs(at);
                    }
                } catch (Exception e) {
                    // not answered yet: an observation, not a requirement
                }
                Thread.sleep(100); // the fault's length, watching meanwhile
            }
        } finally {
            cluster.resume(node);
        }
        long frozenMs = sinceMs(at);
        long healthyMs = awaitHealthy("after SIGSTOP of node " + node + " for " + frozenMs + " ms and SIGCONT", at);
        record("sigstop", "SIGSTOP active controller " + node + " for " + frozenMs + " ms; quorum seen led elsewhere "
                + seen(electedMs) + "; out of the followed ISRs " + seen(leftIsrMs) + "; whole again after " + healthyMs
                + " ms");
    }

    private static String seen(long ms) {
        return ms < 0 ? "not while frozen" : "after " + ms + " ms";
    }

    /** The node that leads the controller quorum now (the active controller). */
    int activeController() throws InterruptedException {
        return cluster.await("a quorum leader", MOVE_WITHIN, () -> ClusterClients.quorum(admin),
                q -> brokers.contains(q.leaderId())).leaderId();
    }

    /** The lowest node id that is not the active controller. */
    int notActiveController() throws InterruptedException {
        int active = activeController();
        return brokers.stream().filter(id -> id != active).min(Integer::compare).orElseThrow();
    }

    /** Stops the active controller (SIGKILL, or SIGTERM and its exit), waits for another, and starts it again. */
    int restartController(boolean sigkill) throws Exception {
        awaitProgress();
        int old = activeController();
        long at = System.nanoTime();
        if (sigkill) {
            cluster.kill(old);
        } else {
            cluster.terminate(old, TERMINATE_WITHIN);
        }
        long stoppedMs = sinceMs(at);
        int now = cluster.await("after stopping controller " + old + ": another quorum leader", MOVE_WITHIN,
                () -> ClusterClients.quorum(admin, 1000), q -> q.leaderId() >= 0 && q.leaderId() != old).leaderId();
        long electedMs = sinceMs(at);
        cluster.start(old);
        long healthyMs = awaitHealthy("after restarting controller " + old, at);
        record(sigkill ? "sigkill-controller" : "sigterm-controller", (sigkill ? "SIGKILL" : "SIGTERM") + " active controller "
                + old + " (gone after " + stoppedMs + " ms); node " + now + " leads the quorum after " + electedMs
                + " ms; restarted, whole again after " + healthyMs + " ms");
        return old;
    }

    /**
     * Before each fault: the producers got {@code progressBetweenFaults} more acknowledgements, and
     * the cluster is whole right now (a follower may have lagged out of an ISR meanwhile; killing a
     * leader whose ISR is itself alone would take the partition offline, which is not this test's fault).
     */
    private void awaitProgress() throws InterruptedException {
        long mark = acknowledged.getAsLong();
        cluster.await("producers acknowledged " + progressBetweenFaults + " more records (from " + mark + ")",
                PROGRESS_WITHIN, acknowledged::getAsLong, n -> n >= mark + progressBetweenFaults);
        awaitHealthy("before the next fault", System.nanoTime());
    }

    /** Waits until every broker is unfenced and every replica in its ISR; returns ms since {@code at}. */
    private long awaitHealthy(String what, long at) throws InterruptedException {
        cluster.await(what + ": every broker unfenced, every replica in its partition's ISR", HEALTHY_WITHIN,
                () -> PartitionStates.snapshot(admin, topic), s -> PartitionStates.healthy(s, brokers, partitions));
        return sinceMs(at);
    }

    private long sinceMs(long at) {
        return (System.nanoTime() - at) / 1_000_000;
    }

    private synchronized void record(String kind, String line) {
        counts.merge(kind, 1, Integer::sum);
        journal.add(String.format("%6.1f s  %s", (System.nanoTime() - begin) / 1e9, line));
    }

    synchronized List<String> journal() {
        return List.copyOf(journal);
    }

    /** How many faults of each kind were done: sigkill-leader, sigstop, sigkill-controller, sigterm-controller. */
    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }
}
