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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic deleted while a producer writes to it and a consumer long-polls it (its segments being
 * sent as they go), then created again under the same name: the node stays healthy, the new topic
 * starts empty at offset 0, and nothing of the old one comes back.
 */
class TopicDeletionInUseTest {
    @TempDir
    Path dataDir;

    @Test
    void deletingATopicInUseAndCreatingItAgain() throws Exception {
        String topic = "churn";
        try (FjordNode node = TestNodes.start(dataDir, NodeConfig.AUTO_CREATE_TOPICS_ENABLE, "false");
                Admin admin = KafkaClients.admin(TestNodes.port(node))) {
            int port = TestNodes.port(node);
            KafkaClients.createTopics(port, KafkaClients.topic(topic, 2, Map.of("segment.bytes", "1048576")));
            KafkaClients.createTopics(port, KafkaClients.topic("bystander", 1, Map.of()));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong written = new AtomicLong();
            AtomicLong read = new AtomicLong();
            Thread writer = new Thread(() -> {
                KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port, ProducerConfig.LINGER_MS_CONFIG, "1",
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "3000",
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
                try {
                    byte[] value = new byte[2000];
                    while (!stop.get()) {
                        producer.send(new ProducerRecord<>(topic, (int) (written.get() % 2), null, value), (m, e) -> {
                            if (e == null) {
                                written.incrementAndGet();
                            }
                        });
                        Thread.sleep(0, 200_000);
                    }
                } catch (Exception e) {
                    // send() fails once the topic is gone: expected
                } finally {
                    producer.close(Duration.ofMillis(200)); // records still waiting for the topic are dropped
                }
            }, "churn-writer");
            Thread reader = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")) {
                    List<TopicPartition> tps = JavaClientRoundTripTest.partitions(topic, 2);
                    consumer.assign(tps);
                    consumer.seekToBeginning(tps);
                    while (!stop.get()) {
                        read.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
                    }
                } catch (Exception e) {
                    // errors about the deleted topic: expected
                }
            }, "churn-reader");
            writer.start();
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while ((written.get() < 2000 || read.get() < 1000) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(written.get()).as("written before the delete").isGreaterThanOrEqualTo(2000);
            assertThat(read.get()).as("read before the delete").isGreaterThanOrEqualTo(1000);

            admin.deleteTopics(List.of(topic)).all().get(15, TimeUnit.SECONDS);
            Thread.sleep(500); // the clients run into the missing topic meanwhile
            stop.set(true);
            writer.join(10_000);
            reader.join(10_000);
            assertThat(admin.listTopics().names().get(15, TimeUnit.SECONDS)).doesNotContain(topic);

            KafkaClients.createTopics(port, KafkaClients.topic(topic, 2, Map.of()));
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
                for (int i = 0; i < 5; i++) {
                    assertThat(producer.send(new ProducerRecord<>(topic, 1, null, ("new-" + i).getBytes(StandardCharsets.UTF_8)))
                            .get(15, TimeUnit.SECONDS).offset()).isEqualTo(i);
                }
                assertThat(producer.send(new ProducerRecord<>("bystander", 0, null, "still here".getBytes(StandardCharsets.UTF_8)))
                        .get(15, TimeUnit.SECONDS).offset()).isZero();
            }
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
                List<ConsumerRecord<byte[], byte[]>> records = KafkaClients.readFromBeginning(consumer,
                        JavaClientRoundTripTest.partitions(topic, 2), 5, Duration.ofSeconds(15));
                List<String> values = new ArrayList<>();
                records.forEach(r -> values.add(r.partition() + "@" + r.offset() + "=" + new String(r.value(), StandardCharsets.UTF_8)));
                assertThat(values).containsExactly("1@0=new-0", "1@1=new-1", "1@2=new-2", "1@3=new-3", "1@4=new-4");
            }
        }
    }
}
