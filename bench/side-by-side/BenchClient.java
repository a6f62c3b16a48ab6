import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The two workloads of bench/side-by-side.sh that Kafka's own tools do not cover, written against the
 * plain Java client with its default settings. Prints one line of key=value pairs for the script.
 *
 * <pre>
 * BenchClient create     BOOTSTRAP TOPIC PARTITIONS
 * BenchClient rate       BOOTSTRAP TOPIC RECORDS_PER_SEC SECONDS RECORD_BYTES
 * BenchClient partitions BOOTSTRAP TOPIC PARTITIONS
 * </pre>
 *
 * {@code rate}: end-to-end latency at a fixed rate. One producer sends records of RECORD_BYTES to a
 * one-partition topic at RECORDS_PER_SEC for SECONDS, each carrying its send time (System.nanoTime,
 * so producer and consumer share one clock, being in one JVM); a consumer assigned to the partition
 * notes when each arrives. Timing starts once a first marker record has been produced and consumed;
 * the first second after that is warm-up and not counted. Prints p50/p99/p999/max in ms.
 *
 * {@code partitions}: creates a topic with PARTITIONS partitions, then writes one record to each and
 * waits for every acknowledgement. Prints the milliseconds from the CreateTopics call until the last
 * acknowledgement (and the create part on its own). Before the clock starts, the clients connect and
 * the producer writes one record to a one-partition topic TOPIC-warmup.
 */
public final class BenchClient {
    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "create" -> create(args[1], args[2], Integer.parseInt(args[3]));
            case "rate" -> rate(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "partitions" -> partitions(args[1], args[2], Integer.parseInt(args[3]));
            default -> {
                System.err.println("usage: BenchClient create|rate|partitions BOOTSTRAP TOPIC ...");
                System.exit(2);
            }
        }
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    static void create(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        System.out.println("created=" + topic + " partitions=" + partitions);
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static void rate(String bootstrap, String topic, int perSecond, int seconds, int recordBytes) throws Exception {
        create(bootstrap, topic, 1);
        int total = perSecond * seconds;
        int warmup = Math.min(perSecond, total / 2);
        long[] latencies = new long[total];
        TopicPartition partition = new TopicPartition(topic, 0);
        Properties consumerProps = new Properties();
        consumerProps.put("bootstrap.servers", bootstrap);
        AtomicBoolean failed = new AtomicBoolean();
        CountDownLatch assigned = new CountDownLatch(1);
        CountDownLatch fetching = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread consumerThread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer =
                         new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                consumer.position(partition);
                assigned.countDown();
                int seen = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 120L);
                while (seen < total + 1 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        // Offset 0 is the marker that tells the producer the consumer is fetching.
                        int index = (int) record.offset() - 1;
                        if (index < 0) {
                            fetching.countDown();
                        } else if (index < total) {
                            latencies[index] = now - readLong(record.value());
                        }
                        seen++;
                    }
                }
                if (seen < total + 1) {
                    failed.set(true);
                }
            } catch (RuntimeException e) {
                e.printStackTrace();
                failed.set(true);
            } finally {
                done.countDown();
            }
        }, "consumer");
        consumerThread.start();
        assigned.await(60, TimeUnit.SECONDS);
        long periodNanos = 1_000_000_000L / perSecond;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            // The clock starts only once a marker record has gone all the way round, so that neither
            // client's first connection and metadata lookups count as latency.
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[recordBytes])).get(60, TimeUnit.SECONDS);
            if (!fetching.await(60, TimeUnit.SECONDS)) {
                System.err.println("rate: the consumer did not receive the marker record within 60 s");
                System.exit(1);
            }
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * periodNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                byte[] value = new byte[recordBytes];
                writeLong(value, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, 0, null, value), (metadata, error) -> {
                    if (error != null) {
                        failed.set(true);
                    }
                });
            }
            producer.flush();
        }
        done.await();
        if (failed.get()) {
            System.err.println("rate: not every record was produced and consumed");
            System.exit(1);
        }
        long[] counted = Arrays.copyOfRange(latencies, warmup, total);
        Arrays.sort(counted);
        System.out.printf("records=%d p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f%n", counted.length,
                ms(percentile(counted, 50)), ms(percentile(counted, 99)), ms(percentile(counted, 99.9)),
                ms(counted[counted.length - 1]));
    }

    static void partitions(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = admin(bootstrap); KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            // Connect first, so that the figure does not include the client's own start.
            admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
            // ... and let the producer connect, through a small topic of its own.
            String warmup = topic + "-warmup";
            admin.createTopics(List.of(new NewTopic(warmup, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(warmup, 0, null, new byte[100])).get(60, TimeUnit.SECONDS);
            long start = System.nanoTime();
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(120, TimeUnit.SECONDS);
            long created = System.nanoTime();
            Future<?>[] acks = new Future<?>[partitions];
            byte[] value = new byte[100];
            for (int p = 0; p < partitions; p++) {
                acks[p] = producer.send(new ProducerRecord<>(topic, p, null, value));
            }
            for (Future<?> ack : acks) {
                ack.get(120, TimeUnit.SECONDS);
            }
            long end = System.nanoTime();
            System.out.printf("total_ms=%.1f create_ms=%.1f%n", ms(end - start), ms(created - start));
        }
    }

    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static void writeLong(byte[] b, long v) {
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    static long readLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }
}
