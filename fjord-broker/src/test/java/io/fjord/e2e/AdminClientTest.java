package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, "AdminClient": topics and configs created, described, altered and deleted; ListOffsets
 * (earliest, latest, max timestamp, by timestamp) and the consumer's offsetsForTimes give Kafka's
 * answers for a log with known timestamps; DeleteRecords moves the log start offset. The expected
 * values are what Apache Kafka 4.x answers for the same calls.
 */
class AdminClientTest {
    private static final int NODE_ID = 1;
    private static final long WAIT = 20;

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;
    static Admin admin;

    @BeforeAll
    static void startNode() {
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, String.valueOf(NODE_ID), NodeConfig.NUM_PARTITIONS, "2");
        port = TestNodes.port(node);
        admin = KafkaClients.admin(port);
    }

    @AfterAll
    static void stopNode() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (node != null) {
            node.close();
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws Exception {
        return future.get(WAIT, TimeUnit.SECONDS);
    }

    /** The exception a failed admin call's future carries. */
    private static Throwable failure(org.apache.kafka.common.KafkaFuture<?> future) {
        try {
            future.get(WAIT, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the call did not fail but ended with " + e, e);
        }
        throw new AssertionError("the call succeeded but should have failed");
    }

    private static Map<String, ConfigEntry> topicConfig(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = get(admin.describeConfigs(List.of(resource)).all()).get(resource);
        return config.entries().stream().collect(Collectors.toMap(ConfigEntry::name, Function.identity()));
    }

    private static void assertEntry(Map<String, ConfigEntry> config, String name, String value, ConfigEntry.ConfigSource source) {
        assertThat(config).as("configs described").containsKey(name);
        ConfigEntry entry = config.get(name);
        assertThat(entry.value()).as("value of %s", name).isEqualTo(value);
        assertThat(entry.source()).as("source of %s", name).isEqualTo(source);
        assertThat(entry.isDefault()).as("isDefault of %s", name).isEqualTo(source == ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(entry.isReadOnly()).as("isReadOnly of %s", name).isFalse();
    }

    private static TopicDescription describe(String topic) throws Exception {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    }

    private static void assertOneNodePartitions(TopicDescription description, int count) {
        assertThat(description.isInternal()).isFalse();
        assertThat(description.partitions()).hasSize(count);
        for (int p = 0; p < count; p++) {
            TopicPartitionInfo info = description.partitions().get(p);
            assertThat(info.partition()).isEqualTo(p);
            assertThat(info.leader()).as("leader of partition %d", p).isNotNull();
            assertThat(info.leader().id()).isEqualTo(NODE_ID);
            assertThat(info.replicas()).extracting(n -> n.id()).containsExactly(NODE_ID);
            assertThat(info.isr()).extracting(n -> n.id()).containsExactly(NODE_ID);
        }
    }

    @Test
    void createsDescribesAndDeletesTopics() throws Exception {
        Map<String, String> configs = Map.of("retention.ms", "3600000", "cleanup.policy", "compact",
                "max.message.bytes", "2000000");
        CreateTopicsResult created = admin.createTopics(List.of(
                new NewTopic("admin-three", 3, (short) 1).configs(configs),
                new NewTopic("admin-default", Optional.empty(), Optional.empty())));
        get(created.all());
        assertThat(get(created.numPartitions("admin-three"))).isEqualTo(3);
        assertThat(get(created.replicationFactor("admin-three"))).isEqualTo(1);
        assertThat(get(created.numPartitions("admin-default"))).as("num.partitions of the node").isEqualTo(2);
        Uuid id = get(created.topicId("admin-three"));
        assertThat(id).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(get(created.topicId("admin-default"))).isNotEqualTo(id).isNotEqualTo(Uuid.ZERO_UUID);
        // CreateTopics v5+ answers with the topic's configs
        Map<String, ConfigEntry> answered = get(created.config("admin-three")).entries().stream()
                .collect(Collectors.toMap(ConfigEntry::name, Function.identity()));
        assertEntry(answered, "retention.ms", "3600000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(answered, "segment.bytes", "1073741824", ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        assertThat(get(admin.listTopics().names())).contains("admin-three", "admin-default");

        TopicDescription three = describe("admin-three");
        assertThat(three.name()).isEqualTo("admin-three");
        assertThat(three.topicId()).isEqualTo(id);
        assertOneNodePartitions(three, 3);
        assertOneNodePartitions(describe("admin-default"), 2);
        TopicDescription byId = get(admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds()).get(id);
        assertThat(byId.name()).isEqualTo("admin-three");

        Map<String, ConfigEntry> config = topicConfig(admin, "admin-three");
        assertEntry(config, "retention.ms", "3600000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(config, "cleanup.policy", "compact", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(config, "max.message.bytes", "2000000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(config, "retention.bytes", "-1", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(config, "segment.bytes", "1073741824", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(config, "segment.ms", "604800000", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(config, "compression.type", "producer", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(config, "message.timestamp.type", "CreateTime", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        // Kafka 4 reports min.insync.replicas as DYNAMIC_DEFAULT_BROKER_CONFIG (its storage format writes a
        // cluster default); the value is what matters here.
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        Map<String, ConfigEntry> defaults = topicConfig(admin, "admin-default");
        assertEntry(defaults, "retention.ms", "604800000", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(defaults, "cleanup.policy", "delete", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(defaults, "max.message.bytes", "1048588", ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        // Delete one by name and one by id.
        get(admin.deleteTopics(List.of("admin-default")).all());
        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all());
        assertThat(get(admin.listTopics().names())).doesNotContain("admin-three", "admin-default");
        assertThat(failure(admin.describeTopics(List.of("admin-three")).allTopicNames()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(failure(admin.deleteTopics(List.of("admin-three")).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);

        // The name can be used again: a new topic, a new id, none of the old records.
        CreateTopicsResult again = admin.createTopics(List.of(new NewTopic("admin-three", 1, (short) 1)));
        get(again.all());
        assertThat(get(again.topicId("admin-three"))).isNotEqualTo(id);
        assertThat(topicConfig(admin, "admin-three").get("retention.ms").source())
                .as("configs of the deleted topic are gone").isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void refusesBadTopicsLikeKafka() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("admin-exists", 1, (short) 1))).all());
        assertThat(failure(admin.createTopics(List.of(new NewTopic("admin-exists", 1, (short) 1))).all()))
                .isInstanceOf(TopicExistsException.class);
        for (String name : List.of("bad name", "bad/name", ".", "..", "x".repeat(250), "")) {
            assertThat(failure(admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all()))
                    .as("topic name '%s'", name).isInstanceOf(InvalidTopicException.class);
        }
        assertThat(failure(admin.createTopics(List.of(new NewTopic("admin-zero", 0, (short) 1))).all()))
                .isInstanceOf(InvalidPartitionsException.class);
        assertThat(failure(admin.createTopics(List.of(new NewTopic("admin-rf3", 1, (short) 3))).all()))
                .isInstanceOf(InvalidReplicationFactorException.class);
        assertThat(failure(admin.createTopics(List.of(new NewTopic("admin-badcfg", 1, (short) 1)
                .configs(Map.of("retention.ms", "soon")))).all())).isInstanceOf(InvalidConfigurationException.class);
        assertThat(failure(admin.createTopics(List.of(new NewTopic("admin-unknowncfg", 1, (short) 1)
                .configs(Map.of("no.such.config", "1")))).all())).isInstanceOf(InvalidConfigurationException.class);
        assertThat(failure(admin.createTopics(List.of(new NewTopic("admin-badpolicy", 1, (short) 1)
                .configs(Map.of("cleanup.policy", "shred")))).all())).isInstanceOf(InvalidConfigurationException.class);

        // validateOnly checks and answers but creates nothing
        CreateTopicsResult validated = admin.createTopics(List.of(new NewTopic("admin-validate", 4, (short) 1)),
                new CreateTopicsOptions().validateOnly(true));
        get(validated.all());
        assertThat(get(validated.numPartitions("admin-validate"))).isEqualTo(4);
        assertThat(failure(admin.createTopics(List.of(new NewTopic("admin-exists", 1, (short) 1)),
                new CreateTopicsOptions().validateOnly(true)).all())).isInstanceOf(TopicExistsException.class);

        Collection<String> names = get(admin.listTopics().names());
        assertThat(names).contains("admin-exists")
                .doesNotContain("admin-zero", "admin-rf3", "admin-badcfg", "admin-unknowncfg", "admin-badpolicy",
                        "admin-validate");
    }

    @Test
    void altersTopicConfigsIncrementally() throws Exception {
        String topic = "admin-alter";
        get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of("max.message.bytes", "500000", "cleanup.policy", "compact")))).all());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);

        get(admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.APPEND),
                new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"), AlterConfigOp.OpType.SET))))
                .all());
        Map<String, ConfigEntry> config = topicConfig(admin, topic);
        assertEntry(config, "retention.ms", "7200000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(config, "max.message.bytes", "1048588", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(config, "cleanup.policy", "compact,delete", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(config, "message.timestamp.type", "LogAppendTime", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

        get(admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SUBTRACT)))).all());
        assertEntry(topicConfig(admin, topic), "cleanup.policy", "delete", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

        // A bad value anywhere refuses the whole change.
        Throwable bad = failure(admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("segment.bytes", "lots"), AlterConfigOp.OpType.SET)))).all());
        assertThat(bad).isInstanceOf(InvalidConfigurationException.class);
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET)))).all()))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("compression.type", "brotli"), AlterConfigOp.OpType.SET)))).all()))
                .isInstanceOf(InvalidConfigurationException.class);
        // validateOnly changes nothing
        get(admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all());
        assertEntry(topicConfig(admin, topic), "retention.ms", "7200000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(topicConfig(admin, topic), "segment.bytes", "1073741824", ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "admin-no-such-topic");
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(missing, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET)))).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(failure(admin.describeConfigs(List.of(missing)).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void describesBrokerConfigs() throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(NODE_ID));
        Config config = get(admin.describeConfigs(List.of(broker)).all()).get(broker);
        Map<String, ConfigEntry> entries = config.entries().stream()
                .collect(Collectors.toMap(ConfigEntry::name, Function.identity()));
        assertThat(entries).containsKey("num.partitions");
        assertThat(entries.get("num.partitions").value()).isEqualTo("2");
        assertThat(entries.get("num.partitions").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(entries).containsKey("log.segment.bytes");
        assertThat(entries.get("log.segment.bytes").value()).isEqualTo("1073741824");
        assertThat(entries.get("log.segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void createsPartitions() throws Exception {
        String topic = "admin-grow";
        get(admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all());
        get(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5))).all());
        assertOneNodePartitions(describe(topic), 5);
        assertThat(failure(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all()))
                .isInstanceOf(InvalidPartitionsException.class);
        assertThat(failure(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5))).all()))
                .isInstanceOf(InvalidPartitionsException.class);
        assertThat(failure(admin.createPartitions(Map.of("admin-no-such-topic", NewPartitions.increaseTo(5))).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);

        // the new partitions take records
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            assertThat(producer.send(new ProducerRecord<>(topic, 4, null, "v".getBytes(StandardCharsets.UTF_8)))
                    .get(WAIT, TimeUnit.SECONDS).offset()).isZero();
        }
    }

    // --- ListOffsets, offsetsForTimes, DeleteRecords ----------------------------------------------

    /** Timestamps by offset, out of order and with repeats; max unique at offset 5. Batches: 0-2, 3-4, 5-6, 7-9. */
    private static final long[] TIMESTAMPS = {1000, 1000, 5000, 3000, 3000, 9000, 2000, 7000, 7000, 4000};
    private static final int[] BATCH_ENDS = {3, 5, 7, 10};

    private static void fillWithKnownTimestamps(String topic) throws Exception {
        fillWithKnownTimestamps(topic, "none");
    }

    private static void fillWithKnownTimestamps(String topic, String codec) throws Exception {
        get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all());
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port, "linger.ms", "1000",
                "compression.type", codec)) {
            int offset = 0;
            for (int end : BATCH_ENDS) {
                for (; offset < end; offset++) {
                    producer.send(new ProducerRecord<>(topic, 0, TIMESTAMPS[offset], null,
                            ("v" + offset).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush(); // one batch each
            }
        }
    }

    /** Kafka's answer to "offset for timestamp t": the first offset at or after the log start whose timestamp is >= t. */
    private static long expectedOffsetForTime(long t, long logStart) {
        for (int o = (int) logStart; o < TIMESTAMPS.length; o++) {
            if (TIMESTAMPS[o] >= t) {
                return o;
            }
        }
        return -1;
    }

    private static ListOffsetsResultInfo listOffset(TopicPartition tp, OffsetSpec spec) throws Exception {
        return get(admin.listOffsets(Map.of(tp, spec)).partitionResult(tp));
    }

    private static void assertOffsetsForTimes(TopicPartition tp, long logStart) throws Exception {
        long[] targets = {0, 999, 1000, 1001, 2000, 2999, 3000, 3001, 4000, 5000, 5001, 7000, 8999, 9000, 9001, 1L << 50};
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            for (long t : targets) {
                long offset = expectedOffsetForTime(t, logStart);
                ListOffsetsResultInfo info = listOffset(tp, OffsetSpec.forTimestamp(t));
                OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, t)).get(tp);
                if (offset < 0) {
                    assertThat(info.offset()).as("admin offset for time %d", t).isEqualTo(-1);
                    assertThat(info.timestamp()).as("admin timestamp for time %d", t).isEqualTo(-1);
                    assertThat(found).as("consumer offsetsForTimes(%d)", t).isNull();
                } else {
                    assertThat(info.offset()).as("admin offset for time %d", t).isEqualTo(offset);
                    assertThat(info.timestamp()).as("admin timestamp for time %d", t).isEqualTo(TIMESTAMPS[(int) offset]);
                    assertThat(found).as("consumer offsetsForTimes(%d)", t).isNotNull();
                    assertThat(found.offset()).as("consumer offset for time %d", t).isEqualTo(offset);
                    assertThat(found.timestamp()).as("consumer timestamp for time %d", t).isEqualTo(TIMESTAMPS[(int) offset]);
                }
            }
            assertThat(consumer.beginningOffsets(List.of(tp)).get(tp)).isEqualTo(logStart);
            assertThat(consumer.endOffsets(List.of(tp)).get(tp)).isEqualTo(TIMESTAMPS.length);
        }
        ListOffsetsResultInfo earliest = listOffset(tp, OffsetSpec.earliest());
        assertThat(earliest.offset()).as("earliest").isEqualTo(logStart);
        assertThat(earliest.timestamp()).as("timestamp with earliest").isEqualTo(-1);
        ListOffsetsResultInfo latest = listOffset(tp, OffsetSpec.latest());
        assertThat(latest.offset()).as("latest").isEqualTo(TIMESTAMPS.length);
        assertThat(latest.timestamp()).as("timestamp with latest").isEqualTo(-1);
        ListOffsetsResultInfo max = listOffset(tp, OffsetSpec.maxTimestamp());
        assertThat(max.offset()).as("offset of the max timestamp").isEqualTo(5);
        assertThat(max.timestamp()).as("max timestamp").isEqualTo(9000);
        // without tiered storage the local log start is the log start, and nothing is tiered
        assertThat(listOffset(tp, OffsetSpec.earliestLocal()).offset()).as("earliest local").isEqualTo(logStart);
        assertThat(listOffset(tp, OffsetSpec.latestTiered()).offset()).as("latest tiered").isEqualTo(-1);
    }

    /** Compressed batches too: the answers point at records inside them, not at their first offsets. */
    @org.junit.jupiter.params.ParameterizedTest(name = "compression.type={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"none", "lz4", "zstd"})
    void listOffsetsAndOffsetsForTimesGiveKafkasAnswers(String codec) throws Exception {
        String topic = "admin-times-" + codec;
        fillWithKnownTimestamps(topic, codec);
        TopicPartition tp = new TopicPartition(topic, 0);
        assertOffsetsForTimes(tp, 0);

        // an empty partition
        String empty = "admin-times-empty-" + codec;
        get(admin.createTopics(List.of(new NewTopic(empty, 1, (short) 1))).all());
        TopicPartition emptyTp = new TopicPartition(empty, 0);
        assertThat(listOffset(emptyTp, OffsetSpec.earliest()).offset()).isZero();
        assertThat(listOffset(emptyTp, OffsetSpec.latest()).offset()).isZero();
        assertThat(listOffset(emptyTp, OffsetSpec.forTimestamp(0)).offset()).isEqualTo(-1);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            Map<TopicPartition, OffsetAndTimestamp> none = consumer.offsetsForTimes(Map.of(emptyTp, 0L));
            assertThat(none.get(emptyTp)).isNull();
        }
    }

    @Test
    void deleteRecordsMovesTheEarliestOffset() throws Exception {
        String topic = "admin-delete-records";
        fillWithKnownTimestamps(topic);
        TopicPartition tp = new TopicPartition(topic, 0);

        assertThat(get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3))).lowWatermarks().get(tp))
                .lowWatermark()).isEqualTo(3);
        assertOffsetsForTimes(tp, 3);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer, List.of(tp), 7,
                    Duration.ofSeconds(15));
            assertThat(read).extracting(ConsumerRecord::offset).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
            // reading below the log start offset is out of range
            consumer.seek(tp, 1);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 20; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(OffsetOutOfRangeException.class);
        }

        // moving it backwards is a no-op (Kafka keeps the larger log start offset)
        assertThat(get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(1))).lowWatermarks().get(tp))
                .lowWatermark()).isEqualTo(3);
        // past the high watermark is refused
        assertThat(failure(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(11))).all()))
                .isInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class);

        // up to the high watermark (-1): the partition is empty but keeps its offsets
        assertThat(get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(tp))
                .lowWatermark()).isEqualTo(10);
        assertThat(listOffset(tp, OffsetSpec.earliest()).offset()).isEqualTo(10);
        assertThat(listOffset(tp, OffsetSpec.latest()).offset()).isEqualTo(10);
        assertThat(listOffset(tp, OffsetSpec.forTimestamp(0)).offset()).isEqualTo(-1);
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            assertThat(producer.send(new ProducerRecord<>(topic, 0, 100L, null, "after".getBytes(StandardCharsets.UTF_8)))
                    .get(WAIT, TimeUnit.SECONDS).offset()).isEqualTo(10);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer, List.of(tp), 1,
                    Duration.ofSeconds(15));
            assertThat(read).hasSize(1);
            assertThat(read.get(0).offset()).isEqualTo(10);
            assertThat(new String(read.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("after");
        }
    }

    /** Topic configs, partitions and the log start offset are still there after a restart. */
    @Test
    void topicsConfigsAndLogStartOffsetSurviveARestart(@TempDir Path ownDir) throws Exception {
        String topic = "survivor";
        Uuid id;
        FjordNode first = TestNodes.start(ownDir, NodeConfig.NODE_ID, String.valueOf(NODE_ID));
        try (Admin a = KafkaClients.admin(TestNodes.port(first))) {
            CreateTopicsResult created = a.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                    .configs(Map.of("retention.ms", "123456"))));
            get(created.all());
            id = get(created.topicId(topic));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            get(a.incrementalAlterConfigs(Map.of(resource, List.of(
                    new AlterConfigOp(new ConfigEntry("segment.bytes", "2097152"), AlterConfigOp.OpType.SET)))).all());
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(TestNodes.port(first))) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>(topic, 1, null, ("r" + i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
            }
            TopicPartition tp = new TopicPartition(topic, 1);
            get(a.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(2))).all());
        } finally {
            first.close();
        }

        try (FjordNode second = TestNodes.start(ownDir, NodeConfig.NODE_ID, String.valueOf(NODE_ID));
                Admin a = KafkaClients.admin(TestNodes.port(second))) {
            TopicDescription description = get(a.describeTopics(List.of(topic)).allTopicNames()).get(topic);
            assertThat(description.topicId()).isEqualTo(id);
            assertThat(description.partitions()).hasSize(3);
            Map<String, ConfigEntry> config = topicConfig(a, topic);
            assertEntry(config, "retention.ms", "123456", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertEntry(config, "segment.bytes", "2097152", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            TopicPartition tp = new TopicPartition(topic, 1);
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            specs.put(tp, OffsetSpec.earliest());
            assertThat(get(a.listOffsets(specs).partitionResult(tp)).offset()).as("log start offset after restart")
                    .isEqualTo(2);
            specs.put(tp, OffsetSpec.latest());
            assertThat(get(a.listOffsets(specs).partitionResult(tp)).offset()).isEqualTo(5);
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(TestNodes.port(second))) {
                List<String> values = new ArrayList<>();
                KafkaClients.readFromBeginning(consumer, List.of(tp), 3, Duration.ofSeconds(15))
                        .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
                assertThat(values).containsExactly("r2", "r3", "r4");
            }
        }
    }
}
