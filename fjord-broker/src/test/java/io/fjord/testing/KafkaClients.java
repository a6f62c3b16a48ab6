package io.fjord.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
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
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assertions;

/**
 * The Java client set up the way the end-to-end tests use it: byte-array serdes, short timeouts so a
 * broker that does not answer fails a test in seconds rather than minutes, no consumer group.
 */
public final class KafkaClients {
    private KafkaClients() {
    }

    public static String bootstrap(int port) {
        return "127.0.0.1:" + port;
    }

    /** {@code overrides} are key/value pairs applied over the defaults. */
    public static KafkaProducer<byte[], byte[]> producer(int port, String... overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(port));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fjord-e2e-producer");
        apply(props, overrides);
        return new KafkaProducer<>(props);
    }

    /** A consumer without a group: callers {@code assign} and seek. */
    public static KafkaConsumer<byte[], byte[]> consumer(int port, String... overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(port));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "fjord-e2e-consumer");
        apply(props, overrides);
        return new KafkaConsumer<>(props);
    }

    public static Admin admin(int port, String... overrides) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(port));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "fjord-e2e-admin");
        apply(props, overrides);
        return Admin.create(props);
    }

    /** The value of an admin result, waiting at most 15 s. */
    public static <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(15, TimeUnit.SECONDS);
    }

    /** Why an admin result failed, asserting that it does within 15 s. */
    public static Throwable failure(KafkaFuture<?> future) {
        ExecutionException e = Assertions.assertThrows(ExecutionException.class,
                () -> future.get(15, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static void apply(Properties props, String... overrides) {
        if (overrides.length % 2 != 0) {
            throw new IllegalArgumentException("overrides come in key/value pairs: " + Arrays.toString(overrides));
        }
        for (int i = 0; i < overrides.length; i += 2) {
            props.put(overrides[i], overrides[i + 1]);
        }
    }

    /**
     * Creates topics and waits until the node describes every partition with a leader, so that raw
     * requests right after find them (a broker may apply created topics a moment after the answer);
     * any error fails the caller.
     */
    public static void createTopics(int port, NewTopic... topics) {
        try (Admin admin = admin(port)) {
            admin.createTopics(List.of(topics)).all().get(20, TimeUnit.SECONDS);
            List<String> names = Arrays.stream(topics).map(NewTopic::name).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                        .get(15, TimeUnit.SECONDS);
                boolean ready = true;
                for (NewTopic topic : topics) {
                    TopicDescription d = described.get(topic.name());
                    ready &= d != null && d.partitions().size() == topic.numPartitions()
                            && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                }
                if (ready) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("created topics not ready within 15 s: " + described);
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new AssertionError("creating " + Arrays.toString(topics) + " failed: " + e, e);
        }
    }

    public static NewTopic topic(String name, int partitions, Map<String, String> configs) {
        return new NewTopic(name, partitions, (short) 1).configs(configs);
    }

    /**
     * Everything in {@code partitions} from the beginning: assigns them, seeks to the beginning and
     * polls until at least {@code expected} records came, then polls once more briefly so that extra
     * records (duplicates) would show up in the result too. Fails when {@code expected} are not there
     * within {@code timeout}.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readFromBeginning(KafkaConsumer<byte[], byte[]> consumer,
            Collection<TopicPartition> partitions, int expected, Duration timeout) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return readMore(consumer, expected, timeout);
    }

    /** Polls an already positioned consumer as {@link #readFromBeginning} does. */
    public static List<ConsumerRecord<byte[], byte[]>> readMore(KafkaConsumer<byte[], byte[]> consumer, int expected,
            Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("read " + records.size() + " of " + expected + " records within " + timeout
                        + " from " + consumer.assignment());
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        return records;
    }

    /** Waits until the log end offset of {@code partition} is {@code offset}; fails when it is not within {@code timeout}. */
    public static void awaitEndOffset(int port, TopicPartition partition, long offset, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(port)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long end = -1;
            while (System.nanoTime() < deadline) {
                end = consumer.endOffsets(List.of(partition)).get(partition);
                if (end == offset) {
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            throw new AssertionError("end offset of " + partition + " is " + end + ", not " + offset + " within " + timeout);
        }
    }
}
