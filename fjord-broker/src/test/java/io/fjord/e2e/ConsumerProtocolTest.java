package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, KIP-848: two Java consumers with {@code group.protocol=consumer} split a 4-partition topic
 * through ConsumerGroupHeartbeat and the server-side uniform assignor; AdminClient sees the group as a
 * consumer group; when one leaves, the other gets every partition and resumes from the commits.
 */
class ConsumerProtocolTest {
    private static final String TOPIC = "kip848";
    private static final String GROUP = "new-protocol";

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void startNode() {
        // A short heartbeat interval: members waiting for released partitions learn of them sooner.
        // (Kafka's bounds of both must admit them: lowered as a Kafka broker's would have to be.)
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, "1", "group.consumer.heartbeat.interval.ms", "300",
                "group.consumer.session.timeout.ms", "10000", "group.consumer.min.heartbeat.interval.ms", "300",
                "group.consumer.min.session.timeout.ms", "10000");
        port = TestNodes.port(node);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static KafkaConsumer<byte[], byte[]> member(String clientId) {
        return KafkaClients.consumer(port, "group.id", GROUP, "group.protocol", "consumer", "auto.offset.reset", "earliest",
                "client.id", clientId, "enable.auto.commit", "false");
    }

    private static void produce(int perPartition, int partitions) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            for (int i = 0; i < perPartition * partitions; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % partitions, null, ("v" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static void pollInto(KafkaConsumer<byte[], byte[]> consumer, Set<String> seen, List<String> duplicates) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            if (!seen.add(r.partition() + ":" + r.offset())) {
                duplicates.add(r.partition() + ":" + r.offset());
            }
        }
    }

    private static boolean readToEnd(KafkaConsumer<byte[], byte[]> consumer, long end) {
        return consumer.assignment().stream().allMatch(tp -> consumer.position(tp) >= end);
    }

    @Test
    void twoMembersSplitTheTopicAndOneTakesOverWhenTheOtherLeaves() throws Exception {
        KafkaClients.createTopics(port, KafkaClients.topic(TOPIC, 4, Map.of()));
        produce(10, 4);
        KafkaConsumer<byte[], byte[]> a = member("a");
        try (a; KafkaConsumer<byte[], byte[]> b = member("b")) {
            a.subscribe(List.of(TOPIC));
            b.subscribe(List.of(TOPIC));
            Set<String> seen = new HashSet<>();
            List<String> duplicates = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // Done when the partitions are split and each member has read its own to the end. (The first
            // member may read everything before the second joins; nothing is committed before the split,
            // so the second reads its partitions again: Kafka's at-least-once.)
            while (System.nanoTime() < deadline && !(a.assignment().size() == 2 && b.assignment().size() == 2
                    && readToEnd(a, 10) && readToEnd(b, 10))) {
                pollInto(a, seen, duplicates);
                pollInto(b, seen, duplicates);
            }
            assertThat(a.assignment()).hasSize(2);
            assertThat(b.assignment()).hasSize(2);
            assertThat(a.assignment()).doesNotContainAnyElementsOf(b.assignment());
            assertThat(seen).hasSize(40);
            duplicates.clear();
            a.commitSync();
            b.commitSync();

            try (Admin admin = KafkaClients.admin(port)) {
                @SuppressWarnings("deprecation")
                var listings = KafkaClients.get(admin.listConsumerGroups().all());
                ConsumerGroupListing listing = listings.stream().filter(l -> l.groupId().equals(GROUP)).findFirst().orElseThrow();
                assertThat(listing.type()).contains(GroupType.CONSUMER);
                ConsumerGroupDescription description =
                        KafkaClients.get(admin.describeConsumerGroups(List.of(GROUP)).all()).get(GROUP);
                assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(description.partitionAssignor()).isEqualTo("uniform");
                assertThat(description.members()).extracting(MemberDescription::clientId).containsExactlyInAnyOrder("a", "b");
                Set<TopicPartition> assigned = new HashSet<>();
                for (MemberDescription m : description.members()) {
                    assertThat(m.assignment().topicPartitions()).hasSize(2);
                    assigned.addAll(m.assignment().topicPartitions());
                    if (m.clientId().equals("a")) {
                        assertThat(m.assignment().topicPartitions()).isEqualTo(a.assignment());
                    }
                }
                assertThat(assigned).hasSize(4);
                Map<TopicPartition, ?> offsets = KafkaClients.get(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata());
                assertThat(offsets).hasSize(4);
            }

            // a reads two more records per partition of its own and commits them, then leaves.
            produce(2, 4);
            Set<TopicPartition> ofA = Set.copyOf(a.assignment());
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && ofA.stream().anyMatch(tp -> a.position(tp) < 12)) {
                pollInto(a, seen, duplicates);
            }
            ofA.forEach(tp -> assertThat(a.position(tp)).isEqualTo(12));
            a.commitSync();
            a.close();

            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !(b.assignment().size() == 4 && seen.size() >= 48)) {
                pollInto(b, seen, duplicates);
            }
            assertThat(b.assignment()).hasSize(4);
            assertThat(seen).hasSize(48);
            // b resumed a's partitions from a's commits: nothing was read twice.
            assertThat(duplicates).isEmpty();
            ofA.forEach(tp -> assertThat(b.position(tp)).isEqualTo(12));
        }
    }

    /**
     * What a restart looks like to a member: the coordinator brings the group back empty at its epoch
     * (members are not persisted), the member's next heartbeat gets UNKNOWN_MEMBER_ID, and the Java
     * client rejoins with epoch 0 and goes on from its commits.
     */
    @Test
    void aMemberRejoinsWhenTheCoordinatorForgotIt() throws Exception {
        String topic = "rejoin";
        String group = "rejoining";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 2, Map.of()));
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, ("v" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(port, "group.id", group, "group.protocol", "consumer",
                "auto.offset.reset", "earliest", "enable.auto.commit", "false")) {
            c.subscribe(List.of(topic));
            Set<String> seen = new HashSet<>();
            List<String> duplicates = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && seen.size() < 10) {
                pollInto(c, seen, duplicates);
            }
            assertThat(seen).hasSize(10);
            c.commitSync();
            int epoch;
            try (Admin admin = KafkaClients.admin(port)) {
                epoch = KafkaClients.get(admin.describeConsumerGroups(List.of(group)).all()).get(group)
                        .members().iterator().next().memberEpoch().orElseThrow();
                node.groupCoordinator().restoreConsumerGroup(group, epoch).get();
                assertThat(KafkaClients.get(admin.describeConsumerGroups(List.of(group)).all()).get(group).members()).isEmpty();

                // The member learns on its next heartbeat (UNKNOWN_MEMBER_ID) and joins again with epoch 0.
                deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                List<MemberDescription> members = List.of();
                while (System.nanoTime() < deadline && members.isEmpty()) {
                    pollInto(c, seen, duplicates);
                    members = List.copyOf(KafkaClients.get(admin.describeConsumerGroups(List.of(group)).all()).get(group).members());
                }
                assertThat(members).singleElement().satisfies(m -> {
                    assertThat(m.memberEpoch().orElseThrow()).isGreaterThan(epoch);
                    assertThat(m.assignment().topicPartitions()).hasSize(2);
                });

                // It goes on from its commits.
                try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
                    for (int i = 10; i < 14; i++) {
                        producer.send(new ProducerRecord<>(topic, i % 2, null, ("v" + i).getBytes(StandardCharsets.UTF_8))).get();
                    }
                }
                deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline && seen.size() < 14) {
                    pollInto(c, seen, duplicates);
                }
                assertThat(seen).hasSize(14);
                assertThat(duplicates).isEmpty();
            }
        }
    }

    /**
     * subscribe(SubscriptionPattern) sends SubscribedTopicRegex (v1): the coordinator resolves it, also for
     * topics made later. (subscribe(java.util.regex.Pattern) is resolved by the client and sends names.)
     */
    @Test
    void aPatternSubscriptionIsResolvedByTheCoordinator() throws Exception {
        KafkaClients.createTopics(port, KafkaClients.topic("re-a", 1, Map.of()), KafkaClients.topic("other", 1, Map.of()));
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(port, "group.id", "by-regex", "group.protocol", "consumer",
                "auto.offset.reset", "earliest")) {
            c.subscribe(new SubscriptionPattern("re-.*"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && c.assignment().size() != 1) {
                c.poll(Duration.ofMillis(100));
            }
            assertThat(c.assignment()).containsExactly(new TopicPartition("re-a", 0));
            KafkaClients.createTopics(port, KafkaClients.topic("re-b", 2, Map.of()));
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && c.assignment().size() != 3) {
                c.poll(Duration.ofMillis(100));
            }
            assertThat(c.assignment()).containsExactlyInAnyOrder(new TopicPartition("re-a", 0),
                    new TopicPartition("re-b", 0), new TopicPartition("re-b", 1));
        }
    }

    /** A static member (group.instance.id) that closes leaves with epoch -2; its successor takes its place without a rebalance. */
    @Test
    void aStaticMemberComesBackWithoutARebalance() throws Exception {
        String topic = "static";
        String group = "statics";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 2, Map.of()));
        Set<TopicPartition> both = Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        int groupEpoch;
        try (Admin admin = KafkaClients.admin(port)) {
            try (KafkaConsumer<byte[], byte[]> first = KafkaClients.consumer(port, "group.id", group, "group.protocol", "consumer",
                    "group.instance.id", "i1", "auto.offset.reset", "earliest")) {
                first.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline && first.assignment().size() != 2) {
                    first.poll(Duration.ofMillis(100));
                }
                assertThat(first.assignment()).isEqualTo(both);
                groupEpoch = KafkaClients.get(admin.describeConsumerGroups(List.of(group)).all()).get(group).groupEpoch().orElseThrow();
            }
            ConsumerGroupDescription away = KafkaClients.get(admin.describeConsumerGroups(List.of(group)).all()).get(group);
            assertThat(away.members()).singleElement().satisfies(m -> {
                assertThat(m.groupInstanceId()).contains("i1");
                assertThat(m.memberEpoch()).contains(-2);
            });
            try (KafkaConsumer<byte[], byte[]> second = KafkaClients.consumer(port, "group.id", group, "group.protocol", "consumer",
                    "group.instance.id", "i1", "auto.offset.reset", "earliest")) {
                second.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline && second.assignment().size() != 2) {
                    second.poll(Duration.ofMillis(100));
                }
                assertThat(second.assignment()).isEqualTo(both);
                ConsumerGroupDescription back = KafkaClients.get(admin.describeConsumerGroups(List.of(group)).all()).get(group);
                assertThat(back.groupEpoch()).contains(groupEpoch);
                assertThat(back.members()).singleElement().satisfies(m -> assertThat(m.memberEpoch()).contains(groupEpoch));
            }
        }
    }
}
