package io.fjord.e2e;

import static io.fjord.testing.ExpectedRecord.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatch;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.ExpectedRecord;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import io.fjord.testing.RawRequests;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4, "Java client": a KafkaProducer for each codec writes records with keys, headers and
 * explicit timestamps, nulls included; a KafkaConsumer (assign + seekToBeginning, no group) reads
 * every one back exactly, at consecutive offsets, in the order written.
 */
class JavaClientRoundTripTest {
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void startNode() {
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, "1");
        port = TestNodes.port(node);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /**
     * Records that exercise the record format: null and empty keys and values, binary and UTF-8
     * bytes, zero to several headers (duplicate keys, null values), timestamps out of order, a
     * record larger than the producer's batch.size, and enough records for several batches.
     */
    static List<ExpectedRecord> records(String topic, int partitions, int count, long seed) {
        Random random = new Random(seed);
        List<ExpectedRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key;
            if (i % 7 == 0) {
                key = null;
            } else if (i % 29 == 0) {
                key = new byte[0];
            } else if (i % 5 == 0) {
                key = new byte[1 + random.nextInt(40)];
                random.nextBytes(key);
            } else {
                key = ("key-" + i + "-ключ").getBytes(StandardCharsets.UTF_8);
            }
            byte[] value;
            if (i % 11 == 0) {
                value = null;
            } else if (i % 13 == 0) {
                value = new byte[0];
            } else if (i == count / 2) {
                value = compressible(random, 300_000); // larger than batch.size: a batch of its own
            } else if (i % 3 == 0) {
                value = new byte[random.nextInt(3000)];
                random.nextBytes(value); // incompressible
            } else {
                value = compressible(random, random.nextInt(3000));
            }
            List<Header> headers = new ArrayList<>();
            if (i % 4 == 1) {
                headers.add(header("trace", "t-" + i));
            } else if (i % 4 == 2) {
                headers.add(header("dup", "first"));
                headers.add(header("dup", (String) null));
                headers.add(header("dup", "third"));
                headers.add(header("ü", new byte[] {0, (byte) 0xff, 10, 13}));
                headers.add(header("empty", new byte[0]));
            }
            // out of order and with repeats, as producers with their own clocks send them
            long timestamp = BASE_TIMESTAMP + (i * 7919L % 1000) * 1000 + (i % 10 == 0 ? 0 : random.nextInt(1000));
            if (i % 17 == 0 && i > 0) {
                timestamp = records.get(i - 1).timestamp();
            }
            records.add(new ExpectedRecord(topic, i % partitions, key, value, headers, timestamp));
        }
        return records;
    }

    private static byte[] compressible(Random random, int size) {
        byte[] value = new byte[size];
        String words = "fjord kafka broker partition segment offset ";
        for (int j = 0; j < size; j++) {
            value[j] = (byte) words.charAt((j + random.nextInt(3)) % words.length());
        }
        return value;
    }

    /** Sends every record, waits for all acknowledgements and checks offsets and timestamps the broker gave. */
    static void produceAll(KafkaProducer<byte[], byte[]> producer, List<ExpectedRecord> records, boolean createTime)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ExpectedRecord r : records) {
            sent.add(producer.send(r.toProducerRecord()));
        }
        producer.flush();
        Map<Integer, Long> nextOffset = new java.util.HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            RecordMetadata metadata = sent.get(i).get(15, TimeUnit.SECONDS);
            ExpectedRecord r = records.get(i);
            assertThat(metadata.partition()).isEqualTo(r.partition());
            long expectedOffset = nextOffset.merge(r.partition(), 1L, Long::sum) - 1;
            assertThat(metadata.offset()).as("offset acknowledged for record #%d", i).isEqualTo(expectedOffset);
            if (createTime) {
                assertThat(metadata.timestamp()).as("timestamp acknowledged for record #%d", i).isEqualTo(r.timestamp());
            }
        }
    }

    static List<TopicPartition> partitions(String topic, int count) {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            list.add(new TopicPartition(topic, p));
        }
        return list;
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyRecordComesBackExactly(String codec) throws Exception {
        String topic = "codec-" + codec;
        int partitions = 2;
        KafkaClients.createTopics(port, KafkaClients.topic(topic, partitions, Map.of()));
        List<ExpectedRecord> records = records(topic, partitions, 600, codec.hashCode());

        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.BATCH_SIZE_CONFIG, "16384",
                ProducerConfig.ACKS_CONFIG, "all")) {
            produceAll(producer, records, true);
        }

        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer,
                    partitions(topic, partitions), records.size(), Duration.ofSeconds(30));
            ExpectedRecord.assertReadBack(records, read, 0, TimestampType.CREATE_TIME);
        }

        // The batches are stored as the producer sent them: with its codec, several of them.
        try (RawConnection raw = new RawConnection(port)) {
            RawRequests.Fetched fetched = RawRequests.fetch(raw, topic, 0, 0, 64 * 1024 * 1024);
            assertThat(fetched.errorCode()).isZero();
            assertThat(fetched.highWatermark()).isEqualTo(records.size() / partitions);
            assertThat(fetched.batches()).hasSizeGreaterThan(2);
            for (RecordBatch batch : fetched.batches()) {
                assertThat(batch.isValid()).as("CRC of %s", batch).isTrue();
                assertThat(batch.compressionType()).isEqualTo(CompressionType.forName(codec));
            }
        }
    }

    /** Topic compression.type -> the codec the producer uses, always a different one. */
    @ParameterizedTest(name = "topic compression.type={0}, producer {1}")
    @org.junit.jupiter.params.provider.CsvSource({"zstd,gzip", "gzip,none", "snappy,lz4", "lz4,zstd", "uncompressed,snappy"})
    void topicCompressionTypeRecompressesTheProducersBatches(String topicCodec, String producerCodec) throws Exception {
        String topic = "recompress-to-" + topicCodec;
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 1, Map.of("compression.type", topicCodec)));
        List<ExpectedRecord> records = records(topic, 1, 200, 42);
        CompressionType stored = topicCodec.equals("uncompressed") ? CompressionType.NONE : CompressionType.forName(topicCodec);

        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, producerCodec, ProducerConfig.LINGER_MS_CONFIG, "20")) {
            produceAll(producer, records, true);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer,
                    partitions(topic, 1), records.size(), Duration.ofSeconds(30));
            ExpectedRecord.assertReadBack(records, read, 0, TimestampType.CREATE_TIME);
        }
        try (RawConnection raw = new RawConnection(port)) {
            RawRequests.Fetched fetched = RawRequests.fetch(raw, topic, 0, 0, 64 * 1024 * 1024);
            assertThat(fetched.batches()).isNotEmpty();
            long next = 0;
            for (RecordBatch batch : fetched.batches()) {
                assertThat(batch.isValid()).as("CRC of %s", batch).isTrue();
                assertThat(batch.compressionType()).as("codec of %s", batch).isEqualTo(stored);
                assertThat(batch.baseOffset()).isEqualTo(next);
                next = batch.lastOffset() + 1;
            }
            assertThat(next).isEqualTo(records.size());
        }
    }

    @Test
    void logAppendTimeTopicStampsTheBrokersTime() throws Exception {
        String topic = "log-append-time";
        KafkaClients.createTopics(port,
                KafkaClients.topic(topic, 1, Map.of("message.timestamp.type", "LogAppendTime")));
        List<ExpectedRecord> records = records(topic, 1, 100, 7);

        long before = System.currentTimeMillis();
        List<RecordMetadata> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.LINGER_MS_CONFIG, "5")) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ExpectedRecord r : records) {
                sent.add(producer.send(r.toProducerRecord()));
            }
            for (Future<RecordMetadata> f : sent) {
                acks.add(f.get(15, TimeUnit.SECONDS));
            }
        }
        long after = System.currentTimeMillis();

        for (RecordMetadata ack : acks) {
            // The producer learns the broker's time from logAppendTimeMs in the Produce answer.
            assertThat(ack.timestamp()).as("acknowledged timestamp").isBetween(before, after);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer,
                    partitions(topic, 1), records.size(), Duration.ofSeconds(30));
            ExpectedRecord.assertReadBack(records, read, 0, TimestampType.LOG_APPEND_TIME);
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).timestamp()).as("timestamp of record %d", i).isBetween(before, after)
                        .isEqualTo(acks.get(i).timestamp());
            }
        }
    }

    @Test
    void acksZeroOneAndAllAllArriveInOrder() throws Exception {
        String topic = "acks";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 1, Map.of()));
        List<ExpectedRecord> records = records(topic, 1, 90, 3);
        // acks=0 gets no answer at all: a broker that answers anyway breaks the client's correlation.
        String[][] settings = {
            {ProducerConfig.ACKS_CONFIG, "0", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"},
            {ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"},
            {ProducerConfig.ACKS_CONFIG, "all"},
        };
        for (int s = 0; s < settings.length; s++) {
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port, settings[s])) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (ExpectedRecord r : records.subList(s * 30, s * 30 + 30)) {
                    sent.add(producer.send(r.toProducerRecord()));
                    producer.flush(); // one request each: acks=0 requests pile up on the connection
                }
                for (int i = 0; i < sent.size(); i++) {
                    RecordMetadata m = sent.get(i).get(15, TimeUnit.SECONDS);
                    if (s > 0) {
                        assertThat(m.offset()).isEqualTo(s * 30L + i);
                    }
                }
            }
            // The next producer has its own connection: let this one's records land first.
            KafkaClients.awaitEndOffset(port, new TopicPartition(topic, 0), s * 30L + 30, Duration.ofSeconds(15));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer,
                    partitions(topic, 1), records.size(), Duration.ofSeconds(30));
            ExpectedRecord.assertReadBack(records, read, 0, TimestampType.CREATE_TIME);
        }
    }
}
