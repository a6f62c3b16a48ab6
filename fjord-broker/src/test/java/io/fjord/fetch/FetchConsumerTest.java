package io.fjord.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.record.CompressionType;
import io.fjord.testing.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java consumer against Fetch: assign, seek, poll; incremental sessions are its default. */
class FetchConsumerTest {
    @TempDir
    Path dir;
    private FetchNode node;

    @BeforeEach
    void setUp() {
        node = FetchNode.start(dir);
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    @Test
    void assignSeekAndPollReadBackExactlyWhatWasWritten() {
        node.createTopic("events", 3);
        List<String> expected = new ArrayList<>();
        long timestamp = 1_700_000_000_000L;
        CompressionType[] codecs = CompressionType.values();
        for (int batch = 0; batch < 20; batch++) {
            int p = batch % 3;
            CompressionType codec = codecs[batch % codecs.length];
            node.append("events", p, codec, 25, "b" + batch, timestamp + batch * 100L);
        }
        List<TopicPartition> partitions = List.of(new TopicPartition("events", 0), new TopicPartition("events", 1),
                new TopicPartition("events", 2));
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "2000")) {
            List<ConsumerRecord<byte[], byte[]>> records = KafkaClients.readFromBeginning(consumer, partitions, 500,
                    Duration.ofSeconds(30));
            assertThat(records).hasSize(500);
            for (int p = 0; p < 3; p++) {
                int partition = p;
                List<ConsumerRecord<byte[], byte[]>> own = records.stream().filter(r -> r.partition() == partition).toList();
                // Offsets dense from 0, timestamps and keys as written, in order.
                for (int i = 0; i < own.size(); i++) {
                    ConsumerRecord<byte[], byte[]> record = own.get(i);
                    assertThat(record.offset()).isEqualTo(i);
                    int batch = partition + 3 * (i / 25);
                    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("b" + batch + "-" + (i % 25));
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("k" + (i % 25));
                    assertThat(record.timestamp()).isEqualTo(timestamp + batch * 100L + i % 25);
                }
            }

            // Then from the middle, after a seek.
            // Partitions 0 and 1 hold 175 records, partition 2 holds 150.
            consumer.seek(new TopicPartition("events", 0), 150);
            consumer.seek(new TopicPartition("events", 1), 100);
            consumer.seek(new TopicPartition("events", 2), 150);
            List<ConsumerRecord<byte[], byte[]>> tail = KafkaClients.readMore(consumer, 100, Duration.ofSeconds(20));
            assertThat(tail).hasSize(100);
            assertThat(tail.stream().filter(r -> r.partition() == 0).findFirst().orElseThrow().offset()).isEqualTo(150);
            assertThat(tail.stream().filter(r -> r.partition() == 1).findFirst().orElseThrow().offset()).isEqualTo(100);
        }
    }

    @Test
    void whatTheJavaProducerSendsComesBackExactly() throws Exception {
        node.createTopic("produced", 2);
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(node.port,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd", ProducerConfig.LINGER_MS_CONFIG, "5")) {
            for (int i = 0; i < 400; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("produced", i % 2, 1_600_000_000_000L + i,
                        ("key" + i).getBytes(StandardCharsets.UTF_8), ("value" + i).getBytes(StandardCharsets.UTF_8),
                        List.of(new RecordHeader("h", new byte[] {(byte) i})));
                sent.add(record);
                producer.send(record);
            }
            producer.flush();
        }
        List<TopicPartition> partitions = List.of(new TopicPartition("produced", 0), new TopicPartition("produced", 1));
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port)) {
            List<ConsumerRecord<byte[], byte[]>> got = KafkaClients.readFromBeginning(consumer, partitions, 400,
                    Duration.ofSeconds(30));
            assertThat(got).hasSize(400);
            for (int p = 0; p < 2; p++) {
                int partition = p;
                List<ConsumerRecord<byte[], byte[]>> own = got.stream().filter(r -> r.partition() == partition).toList();
                List<ProducerRecord<byte[], byte[]>> expected = sent.stream().filter(r -> r.partition() == partition).toList();
                assertThat(own).hasSameSizeAs(expected);
                for (int i = 0; i < own.size(); i++) {
                    assertThat(own.get(i).offset()).isEqualTo(i);
                    assertThat(own.get(i).key()).isEqualTo(expected.get(i).key());
                    assertThat(own.get(i).value()).isEqualTo(expected.get(i).value());
                    assertThat(own.get(i).timestamp()).isEqualTo(expected.get(i).timestamp());
                    assertThat(own.get(i).headers().lastHeader("h").value())
                            .isEqualTo(expected.get(i).headers().lastHeader("h").value());
                }
            }
        }
    }

    @Test
    void aProduceWakesAWaitingPoll() throws Exception {
        node.createTopic("wake", 1);
        TopicPartition tp = new TopicPartition("wake", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5000");
                KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(node.port)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();
            producer.partitionsFor("wake");
            long start = System.nanoTime();
            producer.send(new ProducerRecord<>("wake", "now".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            while (got.isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                consumer.poll(Duration.ofSeconds(10)).forEach(got::add);
            }
            assertThat(values(got)).containsExactly("now");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_500);
        }
    }

    @Test
    void aPollWaitsForDataAndWakesWhenItArrives() throws Exception {
        node.createTopic("slow", 1);
        TopicPartition tp = new TopicPartition("slow", 0);
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5000")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            // Get the connection and session up, so the fetch in flight is the one that waits.
            assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();

            writer.schedule(() -> node.append("slow", 0, 3, "late"), 300, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            while (got.size() < 3 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                consumer.poll(Duration.ofSeconds(10)).forEach(got::add);
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(values(got)).containsExactly("late-0", "late-1", "late-2");
            // Woken by the append, not by the 5 s max wait.
            assertThat(elapsedMs).isLessThan(3_500);
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void aPositionPastTheEndIsOutOfRange() {
        node.createTopic("short", 1);
        node.append("short", 0, 5, "x");
        TopicPartition tp = new TopicPartition("short", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 50);
            assertThatThrownBy(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(OffsetOutOfRangeException.class);
        }
        // With a reset policy the consumer recovers on its own, as against Kafka.
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 50);
            assertThat(values(KafkaClients.readMore(consumer, 5, Duration.ofSeconds(15))))
                    .containsExactly("x-0", "x-1", "x-2", "x-3", "x-4");
        }
    }

    @Test
    void aBatchLargerThanEveryLimitStillComesBack() {
        node.createTopic("big", 1);
        node.appendLarge("big", 0, 200_000);
        node.append("big", 0, 2, "after");
        TopicPartition tp = new TopicPartition("big", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1024",
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "1024")) {
            List<ConsumerRecord<byte[], byte[]>> records = KafkaClients.readFromBeginning(consumer, List.of(tp), 3,
                    Duration.ofSeconds(20));
            assertThat(records).hasSize(3);
            assertThat(records.get(0).value()).hasSize(200_000);
        }
    }

    @Test
    void manyPollsOverAnIncrementalSessionMissNothing() {
        node.createTopic("stream", 4);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            partitions.add(new TopicPartition("stream", p));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100")) {
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, 0));
            int total = 0;
            for (int round = 0; round < 30; round++) {
                node.append("stream", round % 4, 10, "r" + round);
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(50));
                total += polled.count();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (total < 300 && System.nanoTime() < deadline) {
                total += consumer.poll(Duration.ofMillis(100)).count();
            }
            assertThat(total).isEqualTo(300);
            assertThat(consumer.poll(Duration.ofMillis(300)).count()).isZero();
        }
    }
}
