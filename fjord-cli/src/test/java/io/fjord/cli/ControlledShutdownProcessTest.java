package io.fjord.cli;

import static io.fjord.cli.ClusterClients.brokerIds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM to a node that leads partitions while an idempotent producer with acks=all sends to
 * them: the node moves its leaderships to other in-sync replicas before it stops (Kafka's
 * controlled shutdown), exits by itself, and the producer never sees an error.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ControlledShutdownProcessTest extends ClusterProcessTest {
    private static final String TOPIC = "steady";
    private static final int PARTITIONS = 6;
    /**
     * Longer than the exit bound and the check after it: a node that merely died would keep its
     * leaderships until its lease ran out, so only a controlled shutdown moves them in time.
     */
    private static final int SESSION_TIMEOUT_MS = 20_000;
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);
    private static final Duration MOVED_WITHIN_AFTER_EXIT = Duration.ofSeconds(5);
    private static final double RECORDS_PER_SECOND = 1_000;

    @Test
    void sigtermMovesLeadershipsAwayBeforeTheNodeExitsAndTheProducerSeesNoError() throws Exception {
        cluster = ClusterFixture.combined("controlled-shutdown", 3, dataRoot,
                Map.of("broker.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS)));
        cluster.startAll();
        Set<Integer> nodes = Set.of(1, 2, 3);
        try (Admin admin = cluster.admin()) {
            cluster.await("brokers 1, 2, 3 registered and unfenced", Duration.ofSeconds(60),
                    () -> brokerIds(admin), ids -> ids.equals(nodes));
            ClusterClients.createTopic(admin, TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"), Duration.ofSeconds(30));
            List<TopicPartitionInfo> partitions = cluster.await("every partition of " + TOPIC + " led, with ISR [1, 2, 3]",
                    Duration.ofSeconds(60), () -> PartitionStates.snapshot(admin, TOPIC),
                    s -> PartitionStates.healthy(s, nodes, PARTITIONS)).partitions();

            RecordLedger ledger = new RecordLedger(1, PARTITIONS);
            PacedProducer producer = new PacedProducer(0, cluster.bootstrapServers(), TOPIC, ledger, RECORDS_PER_SECOND);
            producer.start();
            int victim;
            List<Integer> led;
            try {
                cluster.await("2000 records acknowledged", Duration.ofSeconds(60), ledger::ackedTotal, n -> n >= 2000);
                victim = ClusterClients.leader(partitions.get(0));
                led = PartitionStates.ledBy(ClusterClients.partitions(admin, TOPIC), victim);
                assertThat(led).as("partitions node %d leads", victim).isNotEmpty();

                long exitMs = cluster.terminate(victim, EXIT_WITHIN);
                List<TopicPartitionInfo> moved = cluster.await("right after node " + victim + " exited: no partition led by it",
                        MOVED_WITHIN_AFTER_EXIT, () -> PartitionStates.snapshot(admin, TOPIC),
                        s -> PartitionStates.ledWithout(s.partitions(), victim)).partitions();
                List<String> shutdownLines = cluster.output(victim).stream()
                        .filter(line -> line.toLowerCase(java.util.Locale.ROOT).contains("controlled shutdown")).toList();
                System.out.printf("controlled shutdown: node %d led %s, exited %d ms after SIGTERM; then %s; its log: %s%n",
                        victim, led, exitMs, PartitionStates.summary(moved), shutdownLines);
                assertThat(shutdownLines).as("node %d's log lines about its controlled shutdown", victim).isNotEmpty();

                long mark = ledger.ackedTotal();
                cluster.await("2000 more records acknowledged after the shutdown", Duration.ofSeconds(60),
                        ledger::ackedTotal, n -> n >= mark + 2000);
            } finally {
                producer.stop();
            }
            System.out.printf("controlled shutdown: %d records sent, %d acknowledged; send errors %s%n",
                    ledger.sentTotal(), ledger.ackedTotal(), ledger.errors());
            assertThat(ledger.errors()).as("errors the producer's callbacks saw, first: %s", ledger.firstErrors()).isEmpty();
            List<LogAudit.PartitionReport> reports = LogAudit.check(ledger,
                    TopicReader.readAll(cluster.bootstrapServers(), TOPIC, PARTITIONS, Duration.ofSeconds(60)));
            reports.forEach(r -> System.out.println("  " + r));
            assertThat(reports.stream().filter(r -> !r.clean()).map(Object::toString).toList())
                    .as("partitions whose contents do not match what was acknowledged").isEmpty();

            cluster.start(victim);
            cluster.await("node " + victim + " back: every broker unfenced, every replica in its ISR", Duration.ofSeconds(90),
                    () -> PartitionStates.snapshot(admin, TOPIC), s -> PartitionStates.healthy(s, nodes, PARTITIONS));
        }
    }
}
