package io.fjord.produce;

import static io.fjord.produce.TestLogs.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.partition.Partition;
import io.fjord.record.CompressionType;
import io.fjord.record.Record;
import io.fjord.record.RecordBatch;
import io.fjord.record.TimestampType;
import io.fjord.server.FjordNode;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java producer against a node, checked against the batches the log holds. */
class JavaProducerTest {
    private static final long TIMESTAMP = 1_700_000_000_000L;

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void start() {
        node = TestNodes.start(dataDir);
        port = TestNodes.port(node);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Sends {@code count} keyed records with a header and explicit timestamps; returns their metadata in order. */
    private static List<RecordMetadata> send(String topic, int count, String... settings) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port, settings)) {
            for (int i = 0; i < count; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, TIMESTAMP + i, bytes("key-" + i),
                        bytes("value-" + i), List.of(new RecordHeader("n", bytes(Integer.toString(i)))));
                futures.add(producer.send(record));
            }
            producer.flush();
        }
        List<RecordMetadata> metadata = new ArrayList<>();
        for (Future<RecordMetadata> future : futures) {
            metadata.add(future.get(30, TimeUnit.SECONDS));
        }
        return metadata;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The records of partition 0 as stored, each with the batch that holds it. */
    private static List<Record> stored(String topic, List<RecordBatch> batches) {
        Partition partition = node.partitions().partition(topic, 0);
        batches.addAll(TestLogs.batches(partition));
        List<Record> records = new ArrayList<>();
        batches.forEach(b -> records.addAll(TestLogs.records(b)));
        return records;
    }

    private static void assertStoredExactly(List<Record> records, int count) {
        assertThat(records).hasSize(count);
        for (int i = 0; i < count; i++) {
            Record r = records.get(i);
            assertThat(r.offset()).isEqualTo(i);
            assertThat(string(r.key())).isEqualTo("key-" + i);
            assertThat(string(r.value())).isEqualTo("value-" + i);
            String n = Integer.toString(i);
            assertThat(r.headers()).singleElement().satisfies(h -> assertThat(string(h.value())).isEqualTo(n));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void anIdempotentProducerWritesEveryCodecAsIs(String codec) throws Exception {
        String topic = "codec-" + codec;
        List<RecordMetadata> metadata = send(topic, 500, ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
                ProducerConfig.LINGER_MS_CONFIG, "20");
        assertThat(metadata).extracting(RecordMetadata::offset)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 500).boxed().toList());
        assertThat(metadata).extracting(RecordMetadata::timestamp).startsWith(TIMESTAMP, TIMESTAMP + 1);

        List<RecordBatch> batches = new ArrayList<>();
        assertStoredExactly(stored(topic, batches), 500);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.compressionType()).isEqualTo(CompressionType.forName(codec));
            assertThat(b.hasProducerId()).as("idempotent by default").isTrue();
            assertThat(b.isValid()).isTrue();
        });
        assertThat(node.partitions().partition(topic, 0).producerState().producerCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "0"})
    void acksOneAndZeroWithoutIdempotence(String acks) throws Exception {
        String topic = "acks-" + acks;
        List<RecordMetadata> metadata = send(topic, 100, ProducerConfig.ACKS_CONFIG, acks,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        if (acks.equals("1")) {
            assertThat(metadata.get(99).offset()).isEqualTo(99);
        } else {
            // acks=0: no answer, so no offsets; the records are there all the same.
            assertThat(metadata.get(99).hasOffset()).isFalse();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node.partitions().partition(topic, 0).logEndOffset() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<RecordBatch> batches = new ArrayList<>();
        assertStoredExactly(stored(topic, batches), 100);
        assertThat(batches).noneMatch(RecordBatch::hasProducerId);
    }

    @Test
    void theTopicsCodecReplacesTheProducers() throws Exception {
        KafkaClients.createTopics(port, KafkaClients.topic("recompressed", 1, Map.of("compression.type", "zstd")));
        send("recompressed", 300, ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip", ProducerConfig.LINGER_MS_CONFIG, "20");
        List<RecordBatch> batches = new ArrayList<>();
        assertStoredExactly(stored("recompressed", batches), 300);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.compressionType()).isEqualTo(CompressionType.ZSTD);
            assertThat(b.hasProducerId()).isTrue();
        });
        assertThat(TestLogs.records(batches.get(0)).get(0).timestamp()).isEqualTo(TIMESTAMP);
    }

    @Test
    void logAppendTimeTopicsAnswerAndStoreTheBrokersTime() throws Exception {
        KafkaClients.createTopics(port, KafkaClients.topic("appended", 1, Map.of("message.timestamp.type", "LogAppendTime")));
        long before = System.currentTimeMillis();
        List<RecordMetadata> metadata = send("appended", 50);
        long after = System.currentTimeMillis();
        assertThat(metadata).allSatisfy(m -> assertThat(m.timestamp()).isBetween(before, after));
        List<RecordBatch> batches = new ArrayList<>();
        List<Record> records = stored("appended", batches);
        assertStoredExactly(records, 50);
        assertThat(batches).allSatisfy(b -> assertThat(b.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME));
        assertThat(records).allSatisfy(r -> assertThat(r.timestamp()).isBetween(before, after));
    }
}
