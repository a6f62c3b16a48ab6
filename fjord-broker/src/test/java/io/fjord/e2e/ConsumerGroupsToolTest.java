package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.KafkaTools;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's own kafka-consumer-groups tool (ConsumerGroupCommand 4.3.1) lists and describes our groups. */
class ConsumerGroupsToolTest {
    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void startNode() {
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, "1", NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        port = TestNodes.port(node);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /** Runs kafka-consumer-groups (ConsumerGroupCommand) in a child JVM and returns what it printed. */
    private static String tool(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = KafkaClients.bootstrap(port);
        System.arraycopy(args, 0, all, 2, args.length);
        KafkaTools.Result result = KafkaTools.run("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", all);
        System.out.println(result.stdout());
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        return result.stdout();
    }

    private static List<String[]> rows(String output) {
        return output.lines().map(String::trim).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")).toList();
    }

    @Test
    void listAndDescribeShowMembersAssignmentsAndLag() throws Exception {
        KafkaClients.createTopics(port, KafkaClients.topic("tool-t", 2, Map.of()));
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("tool-t", 0, null, new byte[] {(byte) i})).get();
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port, "group.id", "tool-g", "group.protocol", "classic",
                "client.id", "tool-client", "auto.offset.reset", "earliest", "session.timeout.ms", "10000",
                "heartbeat.interval.ms", "500")) {
            consumer.subscribe(List.of("tool-t"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && consumer.assignment().size() != 2) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(consumer.assignment()).hasSize(2);
            consumer.commitSync(Map.of(new TopicPartition("tool-t", 0), new OffsetAndMetadata(6)));

            assertThat(tool("--list").lines().map(String::trim)).contains("tool-g");

            // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
            List<String[]> offsets = rows(tool("--describe", "--group", "tool-g"));
            assertThat(offsets).anySatisfy(r -> assertThat(Arrays.asList(r)).startsWith("tool-g", "tool-t", "0", "6", "10", "4")
                    .endsWith("/127.0.0.1", "tool-client"));
            assertThat(offsets).anySatisfy(r -> assertThat(Arrays.asList(r)).startsWith("tool-g", "tool-t", "1", "-", "0", "-")
                    .contains("tool-client"));

            // GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS
            List<String[]> members = rows(tool("--describe", "--group", "tool-g", "--members"));
            assertThat(members).anySatisfy(r -> assertThat(Arrays.asList(r)).startsWith("tool-g").contains("tool-client")
                    .endsWith("2"));

            assertThat(tool("--describe", "--group", "tool-g", "--state")).contains("Stable").contains("range");
        }
    }
}
