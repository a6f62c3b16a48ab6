package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic of many partitions is created without an fsync per partition: only the metadata image is
 * made durable before CreateTopics is answered. Killing the node (SIGKILL) the moment the answer
 * arrives must not lose the topic or any partition, and the restarted node must serve every one.
 */
class CreatedTopicSurvivesKillTest {
    private static final int PARTITIONS = 300;

    @TempDir
    Path dataDir;

    @Test
    void aTopicCreatedJustBeforeAKillIsThereWithAllPartitionsAfterTheRestart() throws Exception {
        Uuid id;
        Process child = startChild();
        try {
            int port = awaitPort(child);
            try (Admin admin = KafkaClients.admin(port)) {
                id = admin.createTopics(List.of(new NewTopic("many", PARTITIONS, (short) 1))).topicId("many")
                        .get(30, TimeUnit.SECONDS);
                child.destroyForcibly();
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        try (FjordNode node = TestNodes.start(dataDir); Admin admin = KafkaClients.admin(TestNodes.port(node));
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(TestNodes.port(node));
             KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(TestNodes.port(node))) {
            TopicDescription description = admin.describeTopics(List.of("many")).allTopicNames()
                    .get(15, TimeUnit.SECONDS).get("many");
            assertThat(description.topicId()).isEqualTo(id);
            assertThat(description.partitions()).hasSize(PARTITIONS);
            for (TopicPartitionInfo partition : description.partitions()) {
                assertThat(partition.leader()).as("leader of partition %d", partition.partition()).isNotNull();
                assertThat(partition.leader().id()).isEqualTo(node.nodeId());
            }

            List<Future<RecordMetadata>> acks = new ArrayList<>();
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                acks.add(producer.send(new ProducerRecord<>("many", p, null, ("r" + p).getBytes(StandardCharsets.UTF_8))));
                partitions.add(new TopicPartition("many", p));
            }
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(acks.get(p).get(30, TimeUnit.SECONDS).offset()).as("offset in partition %d", p).isZero();
            }
            List<ConsumerRecord<byte[], byte[]>> records =
                    KafkaClients.readFromBeginning(consumer, partitions, PARTITIONS, Duration.ofSeconds(30));
            assertThat(records).hasSize(PARTITIONS).allSatisfy(r ->
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("r" + r.partition()));
        }
    }

    private Process startChild() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NodeChild.class.getName());
        command.add(dataDir.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static int awaitPort(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                // Keep draining, so the child never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (java.io.IOException ignored) {
                        // the child is gone
                    }
                }, "node-child-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring(5).trim());
            }
            seen.add(line);
        }
        throw new AssertionError("the child node exited before printing its port; output: " + seen);
    }
}
