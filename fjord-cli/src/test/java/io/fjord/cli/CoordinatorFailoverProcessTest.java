package io.fjord.cli;

import static io.fjord.cli.ClusterClients.brokerIds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A consumer group's coordinator is SIGKILLed while the group consumes and commits: the leadership
 * of its __consumer_offsets partition moves to another replica, whose broker loads the group; the
 * member finds the new coordinator and carries on, the offsets committed before the kill are still
 * there, and every record produced was consumed at least once with no offset skipped.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CoordinatorFailoverProcessTest extends ClusterProcessTest {
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 3;
    private static final String GROUP = "order-readers";
    /** __consumer_offsets on every node, in few partitions so that the nodes start and load quickly. */
    private static final Map<String, String> NODE_SETTINGS = Map.of(
            "offsets.topic.replication.factor", "3",
            "offsets.topic.num.partitions", "3");
    private static final double RECORDS_PER_SECOND = 1_000;
    /** Records the member must receive after the kill: several seconds of production. */
    private static final long RECEIVED_AFTER_KILL = 3_000;

    @Test
    void theGroupKeepsConsumingThroughACoordinatorFailoverAndKeepsItsCommittedOffsets() throws Exception {
        cluster = ClusterFixture.combined("coordinator-failover", 3, dataRoot, NODE_SETTINGS);
        cluster.startAll();
        Set<Integer> nodes = Set.of(1, 2, 3);
        try (Admin admin = cluster.admin()) {
            cluster.await("brokers 1, 2, 3 registered and unfenced", Duration.ofSeconds(60),
                    () -> brokerIds(admin), ids -> ids.equals(nodes));
            ClusterClients.createTopic(admin, TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"), Duration.ofSeconds(30));
            cluster.await("every partition of " + TOPIC + " led, with ISR [1, 2, 3]", Duration.ofSeconds(60),
                    () -> PartitionStates.snapshot(admin, TOPIC), s -> PartitionStates.healthy(s, nodes, PARTITIONS));

            RecordLedger ledger = new RecordLedger(1, PARTITIONS);
            PacedProducer producer = new PacedProducer(0, cluster.bootstrapServers(), TOPIC, ledger, RECORDS_PER_SECOND);
            GroupReader reader = new GroupReader(cluster.bootstrapServers(), GROUP, TOPIC);
            producer.start();
            reader.start();
            try {
                cluster.await("the group member received 2000 records and committed", Duration.ofSeconds(90),
                        () -> reader.alive().receivedTotal() >= 2000 && reader.commits() >= 3, ok -> ok);
                int coordinator = coordinator(admin, Duration.ofSeconds(30));

                // Nothing commits from here to the check after the failover: the offsets read now must survive it.
                reader.holdCommits(Duration.ofSeconds(30));
                Map<TopicPartition, OffsetAndMetadata> before = committed(admin);
                assertThat(offsets(before)).as("committed offsets before the kill (Admin), against the member's last commit")
                        .hasSize(PARTITIONS).isEqualTo(offsets(reader.lastCommitted()));

                long receivedAtKill = reader.receivedTotal();
                long killedAt = System.nanoTime();
                cluster.kill(coordinator);
                int successor = cluster.await("a coordinator for " + GROUP + " other than node " + coordinator,
                        Duration.ofSeconds(60), () -> coordinator(admin, Duration.ofSeconds(3)), id -> id != coordinator);
                long movedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                // The first answer counts: a coordinator answers OffsetFetch only once it has loaded the group.
                Map<TopicPartition, OffsetAndMetadata> after = cluster.await(
                        "the committed offsets of " + GROUP + " readable from node " + successor, Duration.ofSeconds(60),
                        () -> committed(admin), offsets -> true);
                System.out.printf("coordinator failover: node %d killed; node %d coordinates after %d ms; committed before %s,"
                        + " after %s%n", coordinator, successor, movedMs, offsets(before), offsets(after));
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : before.entrySet()) {
                    assertThat(after.get(e.getKey())).as("committed offset of %s after the failover (before: %s)",
                            e.getKey(), e.getValue().offset()).isNotNull();
                    assertThat(after.get(e.getKey()).offset()).as("committed offset of %s after the failover", e.getKey())
                            .isGreaterThanOrEqualTo(e.getValue().offset());
                }

                long commitsAtResume = reader.commits();
                reader.resumeCommits();
                cluster.await("the member received " + RECEIVED_AFTER_KILL + " records after the kill and committed again",
                        Duration.ofSeconds(90), () -> reader.alive().receivedTotal() - receivedAtKill >= RECEIVED_AFTER_KILL
                                && reader.commits() > commitsAtResume, ok -> ok);
                assertThat(coordinator(admin, Duration.ofSeconds(30))).as("coordinator after the failover").isNotEqualTo(coordinator);
            } finally {
                producer.stop();
            }

            Map<Integer, Long> end = endOffsets(admin);
            cluster.await("the member reached the end offsets " + end, Duration.ofSeconds(60), () -> reader.alive().reachedOffsets(),
                    reached -> end.entrySet().stream().allMatch(e -> reached.getOrDefault(e.getKey(), 0L) >= e.getValue()));
            reader.stop();
            assertThat(reader.failure()).as("the consumer thread's failure").isNull();
            System.out.printf("coordinator failover: %d sent, %d acknowledged, %d received, %d commits; send errors %s;"
                    + " commit errors %s%n", ledger.sentTotal(), ledger.ackedTotal(), reader.receivedTotal(), reader.commits(),
                    ledger.errors(), reader.commitErrors());
            assertThat(problems(ledger, reader.received())).as("what the member received").isEmpty();

            int killed = nodes.stream().filter(id -> !cluster.isRunning(id)).findFirst().orElseThrow();
            cluster.start(killed);
            cluster.await("node " + killed + " back: every broker unfenced, every replica in its ISR", Duration.ofSeconds(90),
                    () -> PartitionStates.snapshot(admin, TOPIC), s -> PartitionStates.healthy(s, nodes, PARTITIONS));
        }
    }

    /**
     * Per partition: offsets received in an order that never skips one (a re-read after the failover
     * is fine, a jump past an offset not yet received is not), starting at 0, and every acknowledged
     * record among them.
     */
    private static List<String> problems(RecordLedger ledger, Map<Integer, List<GroupReader.Received>> received) {
        List<String> problems = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<GroupReader.Received> records = received.getOrDefault(p, List.of());
            long next = 0;
            Set<Integer> sequences = new HashSet<>();
            for (GroupReader.Received r : records) {
                if (r.offset() > next) {
                    problems.add("partition " + p + ": offsets " + next + ".." + (r.offset() - 1) + " skipped");
                }
                next = Math.max(next, r.offset() + 1);
                RecordLedger.Id id = RecordLedger.parse(r.value());
                if (id != null && id.partition() == p) {
                    sequences.add(id.sequence());
                }
            }
            List<Integer> missing = ledger.acked(0, p).stream().map(RecordLedger.Ack::sequence)
                    .filter(s -> !sequences.contains(s)).toList();
            if (!missing.isEmpty()) {
                problems.add("partition " + p + ": " + missing.size() + " acknowledged records never received, e.g. "
                        + missing.subList(0, Math.min(5, missing.size())));
            }
        }
        return problems;
    }

    private static int coordinator(Admin admin, Duration timeout) throws Exception {
        return admin.describeConsumerGroups(List.of(GROUP), new DescribeConsumerGroupsOptions().timeoutMs((int) timeout.toMillis()))
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(GROUP).coordinator().id();
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(GROUP, new ListConsumerGroupOffsetsOptions().timeoutMs(5000))
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
    }

    private static Map<Integer, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(TOPIC, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        Map<Integer, Long> end = new TreeMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp.partition(), info.offset()));
        return end;
    }

    private static Map<Integer, Long> offsets(Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<Integer, Long> out = new TreeMap<>();
        committed.forEach((tp, o) -> out.put(tp.partition(), o == null ? -1 : o.offset()));
        return out;
    }
}
