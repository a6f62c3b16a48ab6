package io.fjord.produce;

import static io.fjord.testing.KafkaClients.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.log.Log;
import io.fjord.server.ConfigException;
import io.fjord.server.FjordNode;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fjord.flush.group.commit} on a node, with the Java producer over a socket: an acknowledged record
 * is already below the log's recovery point (fsynced) when the acknowledgement reaches the client.
 */
class GroupCommitProduceTest {
    private static final String KEY = "fjord.flush.group.commit";
    private static final int PARTITIONS = 4;

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void start() {
        node = TestNodes.start(dataDir, KEY, "true");
        port = TestNodes.port(node);
        KafkaClients.createTopics(port,
                KafkaClients.topic("durable-all", PARTITIONS, Map.of()),
                KafkaClients.topic("durable-one", PARTITIONS, Map.of()),
                KafkaClients.topic("fire-and-forget", 1, Map.of()),
                KafkaClients.topic("page-cache", 1, Map.of(KEY, "false")));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static Log log(String topic, int partition) {
        return node.partitions().partition(topic, partition).log();
    }

    /**
     * Sends {@code count} records spread over the topic's partitions; each acknowledgement checks, on the
     * client's own thread as it arrives, where the broker's recovery point is. Returns the acknowledged offsets.
     */
    private static List<RecordMetadata> sendChecking(String topic, int partitions, int count, Queue<String> notDurable,
            String... settings) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port, settings)) {
            for (int i = 0; i < count; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, i % partitions, null,
                        ("v" + i).getBytes(StandardCharsets.UTF_8));
                futures.add(producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        notDurable.add("failed: " + error);
                        return;
                    }
                    long recoveryPoint = log(topic, metadata.partition()).recoveryPoint();
                    if (recoveryPoint <= metadata.offset()) {
                        notDurable.add(metadata + " acknowledged with recovery point " + recoveryPoint);
                    }
                }));
            }
            producer.flush();
        }
        List<RecordMetadata> acked = new ArrayList<>();
        for (Future<RecordMetadata> future : futures) {
            acked.add(future.get(30, TimeUnit.SECONDS));
        }
        return acked;
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "1"})
    void acknowledgedRecordsAreFsyncedBeforeTheAckArrives(String acks) throws Exception {
        String topic = acks.equals("all") ? "durable-all" : "durable-one";
        Queue<String> notDurable = new ConcurrentLinkedQueue<>();
        // Small batches and a linger so several requests per partition are in flight and share fsyncs.
        List<RecordMetadata> acked = sendChecking(topic, PARTITIONS, 4000, notDurable, "acks", acks,
                "batch.size", "2048", "linger.ms", "1");

        assertThat(notDurable).isEmpty();
        assertThat(acked).hasSize(4000);
        long total = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            Log log = log(topic, p);
            assertThat(log.logEndOffset()).isEqualTo(1000);
            assertThat(log.recoveryPoint()).isEqualTo(1000);
            total += log.logEndOffset();
        }
        assertThat(total).isEqualTo(4000);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readMore(consumer, 4000, Duration.ofSeconds(30));
            assertThat(read).hasSize(4000);
            assertThat(read).allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .isEqualTo("v" + (r.offset() * PARTITIONS + r.partition())));
        }
    }

    @Test
    void aTopicThatTurnsItOffIsAcknowledgedFromThePageCache() throws Exception {
        // The control for the test above: without the setting nothing fsyncs these appends, so the recovery
        // point stays where it was, and the check above would have seen it.
        Queue<String> notDurable = new ConcurrentLinkedQueue<>();
        sendChecking("page-cache", 1, 100, notDurable, "acks", "all");
        assertThat(notDurable).hasSize(100);
        assertThat(log("page-cache", 0).logEndOffset()).isEqualTo(100);
        assertThat(log("page-cache", 0).recoveryPoint()).isZero();
    }

    @Test
    void acksZeroIsNotHeldBackAndStillFsyncedSoon() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port, "acks", "0")) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>("fire-and-forget", 0, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        KafkaClients.awaitEndOffset(port, new TopicPartition("fire-and-forget", 0), 500, Duration.ofSeconds(30));
        // Every append asks the flusher for an fsync, with or without a waiting response.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (log("fire-and-forget", 0).recoveryPoint() < 500 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(log("fire-and-forget", 0).recoveryPoint()).isEqualTo(500);
    }

    @Test
    void describeConfigsShowsTheKeyOnTheBrokerAndOnTopics() throws Exception {
        try (Admin admin = KafkaClients.admin(port)) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            ConfigResource inherits = new ConfigResource(ConfigResource.Type.TOPIC, "durable-all");
            ConfigResource overrides = new ConfigResource(ConfigResource.Type.TOPIC, "page-cache");
            Map<ConfigResource, Config> configs = get(admin.describeConfigs(List.of(broker, inherits, overrides),
                    new DescribeConfigsOptions().includeSynonyms(true)).all());

            ConfigEntry onBroker = configs.get(broker).get(KEY);
            assertThat(onBroker.value()).isEqualTo("true");
            assertThat(onBroker.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
            ConfigEntry inherited = configs.get(inherits).get(KEY);
            assertThat(inherited.value()).isEqualTo("true");
            assertThat(inherited.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
            assertThat(inherited.type()).isEqualTo(ConfigEntry.ConfigType.BOOLEAN);
            ConfigEntry overridden = configs.get(overrides).get(KEY);
            assertThat(overridden.value()).isEqualTo("false");
            assertThat(overridden.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(overridden.synonyms()).first().satisfies(s -> {
                assertThat(s.name()).isEqualTo(KEY);
                assertThat(s.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            });
            assertThat(overridden.synonyms()).anySatisfy(s -> {
                assertThat(s.value()).isEqualTo("true");
                assertThat(s.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
            });
        }
    }

    @Test
    void aTopicCanTurnItOnAtRunTime() throws Exception {
        KafkaClients.createTopics(port, KafkaClients.topic("switched", 1, Map.of(KEY, "false")));
        assertThat(node.partitions().partition("switched", 0).config().log().groupCommit()).isFalse();
        try (Admin admin = KafkaClients.admin(port)) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "switched");
            get(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry(KEY, "true"), AlterConfigOp.OpType.SET)))).all());
        }
        assertThat(node.partitions().partition("switched", 0).config().log().groupCommit()).isTrue();
        Queue<String> notDurable = new ConcurrentLinkedQueue<>();
        sendChecking("switched", 1, 200, notDurable, "acks", "all");
        assertThat(notDurable).isEmpty();
    }

    @Test
    void aTopicWithABadValueIsRefused() {
        try (Admin admin = KafkaClients.admin(port)) {
            Throwable error = KafkaClients.failure(admin.createTopics(
                    List.of(KafkaClients.topic("bad-value", 1, Map.of(KEY, "yes")))).all());
            assertThat(error).isInstanceOf(org.apache.kafka.common.errors.InvalidConfigurationException.class)
                    .hasMessageContaining(KEY);
        }
    }

    @Test
    void aMisspeltKeyOrABadValueStillStopsTheNode(@TempDir Path other) {
        assertThatThrownBy(() -> TestNodes.start(other, "fjord.flush.group.comit", "true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fjord.flush.group.comit");
        assertThatThrownBy(() -> TestNodes.start(other, KEY, "always"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(KEY).hasMessageContaining("always");
    }
}
