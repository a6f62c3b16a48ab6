package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.group.OffsetsTopic;
import io.fjord.group.OffsetsTopicConfig;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5: committed offsets and groups live in __consumer_offsets and survive a restart. */
class ConsumerOffsetsPersistenceTest {

    private static FjordNode start(Path dir, String... extra) {
        String[] base = {NodeConfig.NODE_ID, "1", NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return TestNodes.start(dir, all);
    }

    private static void produce(int port, String topic, int from, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("v" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> member(int port, String group) {
        return KafkaClients.consumer(port, "group.id", group, "auto.offset.reset", "earliest",
                "group.protocol", "classic", "enable.auto.commit", "false", "session.timeout.ms", "10000",
                "heartbeat.interval.ms", "500");
    }

    @Test
    void committedOffsetsSurviveARestartAndTheConsumerResumesWithoutDuplicates(@TempDir Path dir) throws Exception {
        String topic = "resumed";
        String group = "resume-group";
        TopicPartition tp = new TopicPartition(topic, 0);
        FjordNode node = start(dir, OffsetsTopicConfig.NUM_PARTITIONS, "4");
        try {
            int port = TestNodes.port(node);
            KafkaClients.createTopics(port, KafkaClients.topic(topic, 1, Map.of()));
            produce(port, topic, 0, 10);
            try (KafkaConsumer<byte[], byte[]> consumer = member(port, group)) {
                consumer.subscribe(List.of(topic));
                List<ConsumerRecord<byte[], byte[]>> first = KafkaClients.readMore(consumer, 10, Duration.ofSeconds(60));
                assertThat(first).hasSize(10);
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(10, "before restart")));
            }
        } finally {
            node.close();
        }

        node = start(dir, OffsetsTopicConfig.NUM_PARTITIONS, "4");
        try {
            int port = TestNodes.port(node);
            try (Admin admin = KafkaClients.admin(port)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertThat(committed.get(tp).offset()).isEqualTo(10);
                assertThat(committed.get(tp).metadata()).isEqualTo("before restart");
                assertThat(admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS))
                        .anyMatch(l -> l.groupId().equals(group));
                ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group);
                assertThat(described.groupState()).isEqualTo(GroupState.EMPTY);
            }
            produce(port, topic, 10, 5);
            try (KafkaConsumer<byte[], byte[]> consumer = member(port, group)) {
                consumer.subscribe(List.of(topic));
                List<ConsumerRecord<byte[], byte[]>> resumed = KafkaClients.readMore(consumer, 5, Duration.ofSeconds(60));
                assertThat(resumed).extracting(ConsumerRecord::offset).containsExactly(10L, 11L, 12L, 13L, 14L);
            }
        } finally {
            node.close();
        }
    }

    @Test
    void aConsumerProtocolGroupAndItsOffsetsSurviveARestart(@TempDir Path dir) throws Exception {
        String topic = "resumed-848";
        String group = "resume-group-848";
        TopicPartition tp = new TopicPartition(topic, 0);
        FjordNode node = start(dir, OffsetsTopicConfig.NUM_PARTITIONS, "4");
        try {
            int port = TestNodes.port(node);
            KafkaClients.createTopics(port, KafkaClients.topic(topic, 1, Map.of()));
            produce(port, topic, 0, 10);
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port, "group.id", group,
                    "auto.offset.reset", "earliest", "group.protocol", "consumer", "enable.auto.commit", "false")) {
                consumer.subscribe(List.of(topic));
                assertThat(KafkaClients.readMore(consumer, 10, Duration.ofSeconds(60))).hasSize(10);
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(10)));
            }
        } finally {
            node.close();
        }

        node = start(dir, OffsetsTopicConfig.NUM_PARTITIONS, "4");
        try {
            int port = TestNodes.port(node);
            try (Admin admin = KafkaClients.admin(port)) {
                assertThat(admin.listGroups().all().get(30, TimeUnit.SECONDS))
                        .anyMatch(l -> l.groupId().equals(group) && l.type().orElseThrow() == GroupType.CONSUMER);
                assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).get(tp).offset()).isEqualTo(10);
            }
            produce(port, topic, 10, 3);
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port, "group.id", group,
                    "auto.offset.reset", "earliest", "group.protocol", "consumer", "enable.auto.commit", "false")) {
                consumer.subscribe(List.of(topic));
                assertThat(KafkaClients.readMore(consumer, 3, Duration.ofSeconds(60)))
                        .extracting(ConsumerRecord::offset).containsExactly(10L, 11L, 12L);
            }
        } finally {
            node.close();
        }
    }

    @Test
    void findCoordinatorCreatesTheInternalTopicLazily(@TempDir Path dir) throws Exception {
        FjordNode node = start(dir);
        try (Admin admin = KafkaClients.admin(TestNodes.port(node))) {
            Set<String> before = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
            assertThat(before).doesNotContain(OffsetsTopic.NAME);

            // Needs the group's coordinator: FindCoordinator creates the topic, the client retries until it is loaded.
            assertThat(admin.listConsumerGroupOffsets("lazy").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                    .isEmpty();

            TopicDescription offsets = admin.describeTopics(List.of(OffsetsTopic.NAME)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(OffsetsTopic.NAME);
            assertThat(offsets.isInternal()).isTrue();
            assertThat(offsets.partitions()).hasSize(50);
            Map<String, String> configs = node.metadata().image().topicConfigs(OffsetsTopic.NAME);
            assertThat(configs).containsEntry("cleanup.policy", "compact").containsEntry("segment.bytes", "104857600")
                    .containsEntry("compression.type", "producer");

            // Its partition count and its existence are the coordinator's: clients may change neither.
            assertThatThrownBy(() -> admin.deleteTopics(List.of(OffsetsTopic.NAME)).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(InvalidTopicException.class);
            assertThatThrownBy(() -> admin.createPartitions(Map.of(OffsetsTopic.NAME, NewPartitions.increaseTo(60)))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(InvalidTopicException.class);
            assertThat(admin.describeTopics(List.of(OffsetsTopic.NAME)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(OffsetsTopic.NAME).partitions()).hasSize(50);
        } finally {
            node.close();
        }
    }
}
