package io.fjord.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the cluster tests ask with Kafka's Java clients. */
final class ClusterClients {
    /** Per admin call while polling: a node that was just killed must not stall the poll for long. */
    private static final int PROBE_TIMEOUT_MS = 3000;

    private ClusterClients() {
    }

    /** The broker ids DescribeCluster lists (unfenced brokers, as Kafka lists them). */
    static Set<Integer> brokerIds(Admin admin) throws Exception {
        return admin.describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS)).nodes()
                .get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).stream().map(Node::id).collect(Collectors.toSet());
    }

    static int controllerId(Admin admin) throws Exception {
        Node controller = admin.describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS)).controller()
                .get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return controller == null ? -1 : controller.id();
    }

    static QuorumInfo quorum(Admin admin) throws Exception {
        return quorum(admin, PROBE_TIMEOUT_MS);
    }

    /** DescribeMetadataQuorum giving up after {@code timeoutMs}: the poll that times a failover must not wait long on one call. */
    static QuorumInfo quorum(Admin admin, int timeoutMs) throws Exception {
        return admin.describeMetadataQuorum(new DescribeMetadataQuorumOptions().timeoutMs(timeoutMs)).quorumInfo()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The log end offset the quorum reports for voter {@code id}, or -1 when it does not list it. */
    static long voterLogEndOffset(QuorumInfo quorum, int id) {
        return quorum.voters().stream().filter(v -> v.replicaId() == id).mapToLong(QuorumInfo.ReplicaState::logEndOffset)
                .findFirst().orElse(-1);
    }

    static List<TopicPartitionInfo> partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .get(topic).partitions();
    }

    /** Leader id of each partition, -1 where it has none. */
    static int leader(TopicPartitionInfo partition) {
        return partition.leader() == null || partition.leader().isEmpty() ? -1 : partition.leader().id();
    }

    /** How many partitions of {@code topic} each broker leads. */
    static Map<Integer, Long> leadersPerBroker(List<TopicPartitionInfo> partitions) {
        return partitions.stream().collect(Collectors.groupingBy(ClusterClients::leader, TreeMap::new, Collectors.counting()));
    }

    static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    /**
     * Creates a topic, retrying while the cluster answers with a retriable error (a controller
     * election in progress), for up to {@code timeout}.
     */
    static void createTopic(Admin admin, String name, int partitions, int replicationFactor, Duration timeout)
            throws Exception {
        createTopic(admin, name, partitions, replicationFactor, Map.of(), timeout);
    }

    /** {@link #createTopic(Admin, String, int, int, Duration)} with topic configs. */
    static void createTopic(Admin admin, String name, int partitions, int replicationFactor, Map<String, String> configs,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) replicationFactor).configs(configs))).all()
                        .get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Sends {@code count} records with acks=all and waits for every acknowledgement. */
    static void produce(String bootstrap, String topic, int count) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Reads {@code topic} from the beginning until {@code count} records came, as a member of
     * {@code group} (null: no group, every partition assigned by hand); returns their values.
     */
    static List<String> consume(String bootstrap, String topic, String group, int count, Duration timeout) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            if (group != null) {
                consumer.subscribe(List.of(topic));
            } else {
                consumer.assign(consumer.partitionsFor(topic).stream()
                        .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList());
                consumer.seekToBeginning(consumer.assignment());
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (values.size() < count && System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    /** The values {@link #produce} sends. */
    static List<String> expectedValues(int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add("value-" + i);
        }
        return values;
    }
}
