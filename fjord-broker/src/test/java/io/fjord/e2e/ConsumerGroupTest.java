package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5 (head start): two Java consumers in one classic group split a 2-partition topic. */
class ConsumerGroupTest {
    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void startNode() {
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, "1", NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        port = TestNodes.port(node);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static KafkaConsumer<byte[], byte[]> member(String group, String clientId) {
        return KafkaClients.consumer(port, "group.id", group, "auto.offset.reset", "earliest",
                "client.id", clientId, "group.protocol", "classic", "session.timeout.ms", "10000",
                "heartbeat.interval.ms", "500");
    }

    /**
     * Whether {@code c} has read every partition it holds in its current generation up to {@code end}.
     * A member alone in the group's first generation may have read a partition that the next
     * generation gives to the other member, which then reads it again (nothing was committed).
     */
    private static boolean readTo(KafkaConsumer<byte[], byte[]> c, long end) {
        return c.assignment().stream().allMatch(tp -> c.position(tp) >= end);
    }

    @Test
    void twoMembersSplitTwoPartitionsAndCommit() throws Exception {
        String topic = "split";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 2, Map.of()));
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, ("v" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        try (KafkaConsumer<byte[], byte[]> a = member("g1", "a"); KafkaConsumer<byte[], byte[]> b = member("g1", "b")) {
            a.subscribe(List.of(topic));
            b.subscribe(List.of(topic));
            Set<String> seenA = new HashSet<>();
            Set<String> seenB = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && !(a.assignment().size() == 1 && b.assignment().size() == 1 && seenA.size() + seenB.size() >= 20
                            && readTo(a, 10) && readTo(b, 10))) {
                for (ConsumerRecord<byte[], byte[]> r : a.poll(Duration.ofMillis(100))) {
                    seenA.add(r.partition() + ":" + r.offset());
                }
                for (ConsumerRecord<byte[], byte[]> r : b.poll(Duration.ofMillis(100))) {
                    seenB.add(r.partition() + ":" + r.offset());
                }
            }
            assertThat(a.assignment()).hasSize(1);
            assertThat(b.assignment()).hasSize(1);
            assertThat(a.assignment()).doesNotContainAnyElementsOf(b.assignment());
            Set<String> all = new HashSet<>(seenA);
            all.addAll(seenB);
            assertThat(all).hasSize(20);
            // a may have read everything alone in a first generation; after the eager rebalance each
            // member restarts its partition from the (absent) commit, so let both reach the end again.
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && !(readTo(a, 10) && readTo(b, 10))) {
                a.poll(Duration.ofMillis(100));
                b.poll(Duration.ofMillis(100));
            }
            a.commitSync();
            b.commitSync();
            TopicPartition p0 = new TopicPartition(topic, 0);
            TopicPartition p1 = new TopicPartition(topic, 1);
            Map<TopicPartition, OffsetAndMetadata> committed = a.committed(Set.of(p0, p1));
            assertThat(committed.get(p0).offset()).isEqualTo(10);
            assertThat(committed.get(p1).offset()).isEqualTo(10);

            try (Admin admin = KafkaClients.admin(port)) {
                assertThat(KafkaClients.get(admin.listConsumerGroups().all()))
                        .extracting(ConsumerGroupListing::groupId).contains("g1");
                ConsumerGroupDescription description =
                        KafkaClients.get(admin.describeConsumerGroups(List.of("g1")).all()).get("g1");
                assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(description.members()).hasSize(2);
                Set<TopicPartition> assigned = new HashSet<>();
                description.members().forEach(m -> assigned.addAll(m.assignment().topicPartitions()));
                assertThat(assigned).containsExactlyInAnyOrder(p0, p1);
                assertThat(KafkaClients.get(admin.listConsumerGroupOffsets("g1").partitionsToOffsetAndMetadata()))
                        .containsOnlyKeys(p0, p1);
            }
        }
    }

    @Test
    void aLeavingMemberHandsItsPartitionOverAndCommitsAreResumedFrom() throws Exception {
        String topic = "handover";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 2, Map.of()));
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, ("v" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        KafkaConsumer<byte[], byte[]> a = member("g2", "a");
        try (a; KafkaConsumer<byte[], byte[]> b = member("g2", "b")) {
            a.subscribe(List.of(topic));
            b.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> readByA = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !(a.assignment().size() == 1 && b.assignment().size() == 1)) {
                a.poll(Duration.ofMillis(100)).forEach(readByA::add);
                b.poll(Duration.ofMillis(100));
            }
            assertThat(a.assignment()).hasSize(1);
            int handedOver = a.assignment().iterator().next().partition();
            // a reads its whole partition (5 records, from the start: nothing committed yet) and commits.
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // (a may have held both partitions in a first generation of its own: only its final one counts.)
            while (System.nanoTime() < deadline && !readTo(a, 5)) {
                a.poll(Duration.ofMillis(100)).forEach(readByA::add);
                b.poll(Duration.ofMillis(10));
            }
            assertThat(readByA).anyMatch(r -> r.partition() == handedOver && r.offset() == 4);
            a.commitSync();
            a.close(); // LeaveGroup: b gets both partitions in the next generation
            List<ConsumerRecord<byte[], byte[]>> afterHandover = new java.util.ArrayList<>();
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && b.assignment().size() != 2) {
                b.poll(Duration.ofMillis(100)).forEach(afterHandover::add);
            }
            assertThat(b.assignment()).hasSize(2);
            for (int i = 0; i < 5; i++) {
                b.poll(Duration.ofMillis(100)).forEach(afterHandover::add);
            }
            // b resumes the handed-over partition after a's commit: nothing read twice.
            assertThat(afterHandover).noneMatch(r -> r.partition() == handedOver);
            assertThat(b.position(new TopicPartition(topic, handedOver))).isEqualTo(5);
        }
    }
}
