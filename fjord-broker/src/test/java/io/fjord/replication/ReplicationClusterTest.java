package io.fjord.replication;

import io.fjord.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.testing.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication through Kafka's Java clients against three in-process combined nodes: followers copy
 * their leaders, acks=all waits for the ISR, a stopped leader's partitions move with nothing
 * acknowledged lost, and the returning node catches up and rejoins the ISR with a log equal, byte for
 * byte, to its leader's.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplicationClusterTest {
    private static final String TOPIC = "replicated";

    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsSurviveTheLossOfTheirLeader() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, List.of(1, 2, 3), List.of(1, 2, 3),
                "replica.lag.time.max.ms", "3000", "broker.session.timeout.ms", "4000",
                "broker.heartbeat.interval.ms", "500").start();
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            awaitFullIsr(admin, 3);

            Map<Integer, List<String>> acked = new HashMap<>();
            try (KafkaProducer<String, String> producer = producer(cluster.bootstrap())) {
                send(producer, acked, 0, 300);
                int victim = leaderOf(admin, 0);
                cluster.stopNode(victim);
                Await.until("partition 0 gets a new leader", () -> {
                    int leader = leaderOf(admin, 0);
                    return leader >= 0 && leader != victim;
                });
                send(producer, acked, 300, 600);
                cluster.startNode(victim);
                awaitFullIsr(admin, 3);
                send(producer, acked, 600, 700);
            }

            for (int p = 0; p < 3; p++) {
                assertThat(consume(cluster.bootstrap(), p)).as("partition %d, in order, exactly once", p)
                        .isEqualTo(acked.getOrDefault(p, List.of()));
            }
            Await.until("every replica reaches its leader's log end", () -> logsEqual(cluster));
        }
    }

    private static void send(KafkaProducer<String, String> producer, Map<Integer, List<String>> acked, int from, int to)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String value = "v" + i;
            values.add(value);
            sent.add(producer.send(new ProducerRecord<>(TOPIC, i % 3, "k" + i, value)));
        }
        for (int i = 0; i < sent.size(); i++) {
            RecordMetadata metadata = sent.get(i).get(60, TimeUnit.SECONDS);
            acked.computeIfAbsent(metadata.partition(), k -> new ArrayList<>()).add(values.get(i));
        }
    }

    private static List<String> consume(String bootstrap, int partition) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(TOPIC, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static int leaderOf(Admin admin, int partition) {
        try {
            TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(TOPIC);
            Node leader = description.partitions().get(partition).leader();
            return leader == null ? -1 : leader.id();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitFullIsr(Admin admin, int replicas) throws InterruptedException {
        Await.until("every partition has " + replicas + " in-sync replicas", () -> {
            try {
                TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(TOPIC);
                for (TopicPartitionInfo p : description.partitions()) {
                    if (p.isr().size() != replicas || p.leader() == null) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Whether each partition's segment bytes are the same on every node. */
    private static boolean logsEqual(InProcessCluster cluster) {
        for (int p = 0; p < 3; p++) {
            byte[] first = null;
            for (int node = 1; node <= 3; node++) {
                byte[] bytes = logBytes(cluster, node, p);
                if (first == null) {
                    first = bytes;
                } else if (!java.util.Arrays.equals(first, bytes)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] logBytes(InProcessCluster cluster, int node, int partition) {
        FjordNode fjord = cluster.node(node);
        Path partitionDir = fjord.config().logDirs().get(0).resolve(TOPIC + "-" + partition);
        var out = new java.io.ByteArrayOutputStream();
        try (var files = Files.list(partitionDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                out.write(Files.readAllBytes(file));
            }
        } catch (java.io.IOException e) {
            return new byte[0];
        }
        return out.toByteArray();
    }
}
