package io.fjord.controller.raft;

import io.fjord.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.testing.InProcessCluster;
import io.fjord.testing.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Clusters of nodes in this JVM, driven by Kafka's Java clients: the quorum, placement, failover and fencing. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QuorumClusterTest {
    @TempDir
    Path tmp;

    private static final String[] FAST = {"broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "300"};

    @Test
    void threeCombinedNodesServeATopicWithLeadersSpreadOverEveryBroker() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(tmp, List.of(1, 2, 3), List.of(1, 2, 3), FAST).start();
             Admin admin = KafkaClients.admin(cluster.port(1), "bootstrap.servers", cluster.bootstrap())) {
            Collection<Node> nodes = KafkaClients.get(admin.describeCluster().nodes());
            assertThat(nodes).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(KafkaClients.get(admin.describeCluster().controller()).id()).isIn(1, 2, 3);
            String clusterId = KafkaClients.get(admin.describeCluster().clusterId());
            assertThat(List.of(cluster.node(1).clusterId(), cluster.node(2).clusterId(), cluster.node(3).clusterId()))
                    .containsOnly(clusterId);

            KafkaClients.get(admin.createTopics(List.of(new NewTopic("spread", 6, (short) 3))).all());
            List<TopicPartitionInfo> partitions = describe(admin, "spread").partitions();
            assertThat(partitions).hasSize(6).allSatisfy(p -> {
                assertThat(p.replicas()).hasSize(3);
                assertThat(p.isr()).hasSize(3);
            });
            Map<Integer, Long> leaders = partitions.stream().collect(Collectors.groupingBy(p -> p.leader().id(), TreeMap::new,
                    Collectors.counting()));
            assertThat(leaders).isEqualTo(Map.of(1, 2L, 2, 2L, 3, 2L));

            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(cluster.port(1),
                    "bootstrap.servers", cluster.bootstrap(), "acks", "all")) {
                for (int i = 0; i < 60; i++) {
                    producer.send(new ProducerRecord<>("spread", i % 6, null, ("r" + i).getBytes())).get(15, TimeUnit.SECONDS);
                }
            }
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(cluster.port(2),
                    "bootstrap.servers", cluster.bootstrap())) {
                List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition("spread", p.partition())).toList();
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                List<ConsumerRecord<byte[], byte[]>> records = KafkaClients.readMore(consumer, 60, Duration.ofSeconds(30));
                assertThat(records).hasSize(60);
            }

            // A consumer group: its coordinator is the leader of its __consumer_offsets partition, wherever that is.
            try (KafkaConsumer<byte[], byte[]> member = KafkaClients.consumer(cluster.port(3),
                    "bootstrap.servers", cluster.bootstrap(), "group.id", "spread-readers", "auto.offset.reset", "earliest")) {
                member.subscribe(List.of("spread"));
                assertThat(KafkaClients.readMore(member, 60, Duration.ofSeconds(60))).hasSize(60);
                member.commitSync(Duration.ofSeconds(30));
            }
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = KafkaClients.get(
                    admin.listConsumerGroupOffsets("spread-readers").partitionsToOffsetAndMetadata());
            assertThat(committed.values().stream().mapToLong(o -> o.offset()).sum()).isEqualTo(60);

            QuorumInfo quorum = KafkaClients.get(admin.describeMetadataQuorum().quorumInfo());
            assertThat(quorum.leaderId()).isIn(1, 2, 3);
            assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(1, 2, 3);
        }
    }

    @Test
    void threeControllersAndTwoBrokersKeepControllersOutOfTheBrokerList() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(tmp, List.of(1, 2, 3), List.of(4, 5), FAST).start();
             Admin admin = KafkaClients.admin(cluster.port(4), "bootstrap.servers", cluster.bootstrap())) {
            // A broker-only node learns of the other's unfencing with its next heartbeat answer, so it may take a moment.
            List<Integer> brokers = Await.value(() -> {
                try {
                    return KafkaClients.get(admin.describeCluster().nodes()).stream().map(Node::id).sorted().toList();
                } catch (Exception e) {
                    return List.<Integer>of();
                }
            }, ids -> ids.equals(List.of(4, 5)));
            assertThat(brokers).containsExactly(4, 5);
            // Clients must be able to reach the node named as controller, so it is a broker.
            assertThat(KafkaClients.get(admin.describeCluster().controller()).id()).isIn(4, 5);
            KafkaClients.get(admin.createTopics(List.of(new NewTopic("split", 6, (short) 2))).all());
            Map<Integer, Long> leaders = describe(admin, "split").partitions().stream()
                    .collect(Collectors.groupingBy(p -> p.leader().id(), TreeMap::new, Collectors.counting()));
            assertThat(leaders).isEqualTo(Map.of(4, 3L, 5, 3L));
            QuorumInfo quorum = KafkaClients.get(admin.describeMetadataQuorum().quorumInfo());
            assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId).contains(4, 5);
        }
    }

    @Test
    void theQuorumElectsANewLeaderWhenTheActiveControllerStopsAndABrokerThatStopsIsFenced() throws Exception {
        // Snapshots every few entries, so the restarted node starts from one rather than from the whole log.
        try (InProcessCluster cluster = new InProcessCluster(tmp, List.of(1, 2, 3), List.of(1, 2, 3), FAST[0], FAST[1],
                FAST[2], FAST[3], "fjord.metadata.log.entries.between.snapshots", "4").start()) {
            int leader = Await.value(() -> cluster.node(1).metadata().activeControllerId(), id -> id > 0);
            int survivor = leader == 1 ? 2 : 1;
            try (Admin admin = KafkaClients.admin(cluster.port(survivor), "bootstrap.servers",
                    "127.0.0.1:" + cluster.port(survivor))) {
                KafkaClients.get(admin.createTopics(List.of(new NewTopic("before", 3, (short) 3))).all());
                long stoppedAt = System.nanoTime();
                cluster.stopNode(leader);
                int next = Await.value(() -> cluster.node(survivor).metadata().activeControllerId(),
                        id -> id > 0 && id != leader);
                long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
                System.out.printf("new active controller %d %d ms after controller %d stopped%n", next, electedMs, leader);
                KafkaClients.get(admin.createTopics(List.of(new NewTopic("after", 3, (short) 2))).all());

                // The stopped node's broker misses its lease: fenced, and it leads nothing any more.
                Await.value(() -> cluster.node(survivor).metadata().image().broker(leader).fenced(), fenced -> fenced);
                // Every broker hears of the fencing a moment apart; whichever one the client asks.
                Await.value(() -> {
                    try {
                        return KafkaClients.get(admin.describeCluster().nodes()).stream().map(Node::id).toList();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, ids -> !ids.contains(leader));
                List<TopicPartitionInfo> moved = Await.value(() -> {
                    try {
                        return describe(admin, "before").partitions();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, ps -> ps.stream().allMatch(p -> p.leader() != null && p.leader().id() != leader));
                assertThat(moved).allSatisfy(p -> assertThat(p.isr()).extracting(Node::id).doesNotContain(leader));

                // Back with the same directory: it loads its snapshot, catches up and is let in again.
                try (var files = java.nio.file.Files.walk(tmp.resolve("node-" + leader).resolve("__cluster_metadata"))) {
                    assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.matches("snapshot\\.\\d+_\\d+"));
                }
                cluster.startNode(leader);
                Await.value(() -> cluster.node(survivor).metadata().image().broker(leader).fenced(), fenced -> !fenced);
                assertThat(cluster.node(leader).metadata().image().topic("after")).isNotNull();
            }
        }
    }

    /**
     * The topic as the broker the client picks sees it. A new topic reaches the other brokers a moment
     * after CreateTopics is answered (as in Kafka), so an unknown topic is asked about again for a while.
     */
    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return KafkaClients.get(admin.describeTopics(Set.of(topic)).allTopicNames()).get(topic);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
