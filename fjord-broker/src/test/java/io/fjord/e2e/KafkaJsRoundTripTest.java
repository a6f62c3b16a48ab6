package io.fjord.e2e;

import static io.fjord.testing.ExpectedRecord.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.ExpectedRecord;
import io.fjord.testing.ExternalCommand;
import io.fjord.testing.Json;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.KafkaJs;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, "kafkajs": kafkajs's admin creates and describes topics and its producers (plain, GZIP,
 * sendBatch, idempotent) write with explicit partitions and keys what the Java consumer then reads
 * exactly; and kafkajs reads from the beginning a topic the Java producer filled. Consumer groups
 * are the next issue, so kafkajs reads with its own Fetch and record decoding but without a group
 * (tests/js/read-topic.js says how).
 */
class KafkaJsRoundTripTest {
    private static final Path JS_DIR = KafkaJs.DIR;
    private static final int NODE_ID = 4;
    /** Same as BASE_TIMESTAMP in tests/js/common.js. */
    private static final long BASE_TIMESTAMP = 1_650_000_000_000L;

    @TempDir
    static Path dataDir;
    static FjordNode fjord;
    static int port;
    static Path node;

    @BeforeAll
    static void startNode() {
        node = KafkaJs.requireNode();
        fjord = TestNodes.start(dataDir, NodeConfig.NODE_ID, String.valueOf(NODE_ID),
                NodeConfig.AUTO_CREATE_TOPICS_ENABLE, "false");
        port = TestNodes.port(fjord);
    }

    @AfterAll
    static void stopNode() {
        if (fjord != null) {
            fjord.close();
        }
    }

    private static Map<String, Object> runScript(String script, String... args) {
        List<String> command = new ArrayList<>(List.of(node.toString(), JS_DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        ExternalCommand.Result r = ExternalCommand.run(command, JS_DIR, Duration.ofSeconds(45));
        assertThat(r.exitCode()).as("exit code of %s; stderr: %s", command, r.stderr()).isZero();
        String line = r.stdout().trim();
        assertThat(line).as("stdout of %s", command).isNotEmpty().doesNotContain("\n");
        return Json.object(Json.parse(line));
    }

    /** Record i as tests/js/common.js's recordFor(i, partitions) writes it. */
    private static ExpectedRecord jsRecord(String topic, int i, int partitions) {
        List<Header> headers = new ArrayList<>();
        if (i % 3 == 1) {
            headers.add(header("h", String.valueOf(i)));
        } else if (i % 3 == 2) {
            headers.add(header("h", String.valueOf(i)));
            headers.add(header("multi", "a"));
            headers.add(header("multi", "b" + i));
        }
        byte[] key = i % 10 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] value = i % 15 == 0 ? null
                : ("value-" + i + "-\u00f8\u00e6\u00e5-" + "x".repeat(i * 37 % 300)).getBytes(StandardCharsets.UTF_8);
        return new ExpectedRecord(topic, i % partitions, key, value, headers, BASE_TIMESTAMP + i * 1000L);
    }

    private static long asLong(Object jsonValue) {
        return jsonValue instanceof String s ? Long.parseLong(s) : ((Number) jsonValue).longValue();
    }

    @Test
    void kafkajsAdminAndProducersWriteWhatTheJavaConsumerReads() {
        String topic = "kafkajs-produced";
        int partitions = 3;
        int count = 120;
        Map<String, Object> answer = runScript("produce-topic.js", KafkaClients.bootstrap(port), topic,
                String.valueOf(partitions), String.valueOf(count));

        assertThat(answer.get("created")).as("createTopics").isEqualTo(true);
        assertThat(answer.get("createdAgain")).as("createTopics of an existing topic").isEqualTo(false);
        assertThat(answer.get("scratchDeleted")).as("deleteTopics + listTopics").isEqualTo(true);
        List<Object> metadata = Json.array(answer.get("metadata"));
        assertThat(metadata).hasSize(partitions);
        for (int p = 0; p < partitions; p++) {
            Map<String, Object> m = Json.object(metadata.get(p));
            assertThat(m.get("partition")).isEqualTo((long) p);
            assertThat(m.get("leader")).isEqualTo((long) NODE_ID);
            assertThat(m.get("replicas")).isEqualTo(List.of((long) NODE_ID));
            assertThat(m.get("isr")).isEqualTo(List.of((long) NODE_ID));
        }
        Map<String, Object> configs = Json.object(answer.get("configs"));
        assertThat(configs.get("retention.ms")).isEqualTo(Map.of("value", "86400000", "isDefault", false));
        assertThat(configs.get("cleanup.policy")).isEqualTo(Map.of("value", "delete", "isDefault", true));
        // legacy AlterConfigs with only cleanup.policy drops the retention.ms the topic was created with
        Map<String, Object> altered = Json.object(answer.get("scratchConfigsAfterAlter"));
        assertThat(altered.get("cleanup.policy")).isEqualTo(Map.of("value", "compact", "isDefault", false));
        assertThat(altered.get("retention.ms")).isEqualTo(Map.of("value", "604800000", "isDefault", true));

        // Every produce answer: no error, and the base offset the records before it in the partition make.
        List<String> acks = new ArrayList<>();
        for (Object o : Json.array(answer.get("acks"))) {
            Map<String, Object> ack = Json.object(o);
            assertThat(ack.get("errorCode")).as("error code in %s", ack).isEqualTo(0L);
            acks.add(ack.get("partition") + "@" + asLong(ack.get("baseOffset")));
        }
        List<String> expectedAcks = new ArrayList<>();
        int quarter = (count + 3) / 4;
        long[] next = new long[partitions];
        for (int i = 0; i < quarter; i++) { // one send per record
            expectedAcks.add(i % partitions + "@" + next[i % partitions]++);
        }
        for (int q = 1; q < 4; q++) { // one send per quarter: an answer per partition
            for (int p = 0; p < partitions; p++) {
                expectedAcks.add(p + "@" + next[p]);
            }
            for (int i = q * quarter; i < Math.min(count, (q + 1) * quarter); i++) {
                next[i % partitions]++;
            }
        }
        assertThat(acks.subList(0, quarter)).isEqualTo(expectedAcks.subList(0, quarter));
        assertThat(acks).containsExactlyInAnyOrderElementsOf(expectedAcks);

        // ListOffsets as kafkajs asks it: latest and earliest, and by timestamp
        List<Object> offsets = Json.array(answer.get("offsets"));
        assertThat(offsets).hasSize(partitions);
        for (int p = 0; p < partitions; p++) {
            Map<String, Object> o = Json.object(offsets.get(p));
            assertThat(asLong(o.get("high"))).as("high of partition %d", p).isEqualTo(count / partitions);
            assertThat(asLong(o.get("offset"))).as("offset of partition %d", p).isEqualTo(count / partitions);
            assertThat(asLong(o.get("low"))).as("low of partition %d", p).isZero();
        }
        // the time of record 5 plus 1 ms: records 6, 7, 8 are the first at or after it, each at offset 2
        List<Object> byTime = Json.array(answer.get("offsetsByTimestamp"));
        assertThat(byTime).hasSize(partitions);
        for (int p = 0; p < partitions; p++) {
            assertThat(asLong(Json.object(byTime.get(p)).get("offset"))).as("offset by time in partition %d", p)
                    .isEqualTo(2);
        }

        List<ExpectedRecord> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(jsRecord(topic, i, partitions));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer,
                    JavaClientRoundTripTest.partitions(topic, partitions), count, Duration.ofSeconds(20));
            ExpectedRecord.assertReadBack(expected, read, 0, TimestampType.CREATE_TIME);
        }
    }

    @Test
    void kafkajsReadsFromTheBeginningWhatTheJavaProducerWrote() {
        String topic = "java-for-kafkajs";
        int partitions = 2;
        KafkaClients.createTopics(port, KafkaClients.topic(topic, partitions, Map.of()));
        List<ExpectedRecord> records = JavaClientRoundTripTest.records(topic, partitions, 300, 11);
        // kafkajs decodes GZIP itself (the other codecs need plugins): partition 0 plain, partition 1 GZIP
        String[] codecs = {"none", "gzip"};
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, codecs[p], ProducerConfig.LINGER_MS_CONFIG, "20")) {
                records.stream().filter(r -> r.partition() == partition).forEach(r -> producer.send(r.toProducerRecord()));
                producer.flush();
            }
        }

        Map<String, Object> answer = runScript("read-topic.js", KafkaClients.bootstrap(port), topic,
                String.valueOf(partitions));
        Map<String, Object> high = Json.object(answer.get("highWatermarks"));
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            assertThat(asLong(high.get(String.valueOf(p)))).isEqualTo(records.stream().filter(r -> r.partition() == partition).count());
        }
        List<Object> read = Json.array(answer.get("records"));
        List<String> problems = new ArrayList<>();
        Base64.Decoder base64 = Base64.getDecoder();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            List<ExpectedRecord> want = records.stream().filter(r -> r.partition() == partition).toList();
            List<Map<String, Object>> got = read.stream().map(Json::object)
                    .filter(r -> ((Number) r.get("p")).intValue() == partition).toList();
            if (got.size() != want.size()) {
                problems.add("partition " + p + ": kafkajs read " + got.size() + ", written " + want.size());
            }
            for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
                Map<String, Object> g = got.get(i);
                ExpectedRecord w = want.get(i);
                byte[] key = g.get("k") == null ? null : base64.decode((String) g.get("k"));
                byte[] value = g.get("v") == null ? null : base64.decode((String) g.get("v"));
                String headers = kafkajsHeaders(w.headers());
                if (asLong(g.get("o")) != i || !Arrays.equals(key, w.key()) || !Arrays.equals(value, w.value())
                        || asLong(g.get("t")) != w.timestamp() || !String.valueOf(g.get("h")).equals(headers)) {
                    problems.add(codecs[p] + " #" + i + ": read offset " + g.get("o") + " key=" + ExpectedRecord.describe(key)
                            + " value=" + ExpectedRecord.describe(value) + " t=" + g.get("t") + " h=" + g.get("h")
                            + "; written key=" + ExpectedRecord.describe(w.key()) + " value="
                            + ExpectedRecord.describe(w.value()) + " t=" + w.timestamp() + " h=" + headers);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Headers as read-topic.js prints them (kafkajs groups them by name), in the form List.toString gives. */
    private static String kafkajsHeaders(List<Header> headers) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Header h : headers) {
            grouped.computeIfAbsent(h.key(), k -> new ArrayList<>())
                    .add(h.value() == null ? "null" : Base64.getEncoder().encodeToString(h.value()));
        }
        List<List<Object>> out = new ArrayList<>();
        grouped.forEach((k, v) -> out.add(List.of(k, v)));
        return out.toString();
    }
}
