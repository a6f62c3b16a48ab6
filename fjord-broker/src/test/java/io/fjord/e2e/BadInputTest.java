package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import io.fjord.testing.RawRequests;
import io.fjord.testing.RawRequests.PartitionBatches;
import io.fjord.testing.TestNodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, "bad input": a batch with a wrong CRC is refused with CORRUPT_MESSAGE and nothing of it is
 * stored; an oversized batch with MESSAGE_TOO_LARGE; a produce to a partition that does not exist
 * with UNKNOWN_TOPIC_OR_PARTITION. In every case the connection, the log and other producers go on:
 * each test ends by reading the partition with the Java consumer and finding exactly the good records.
 */
class BadInputTest {
    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void startNode() {
        // Kafka never creates topics on Produce; here not on Metadata either, so "does not exist" stays so.
        node = TestNodes.start(dataDir, NodeConfig.AUTO_CREATE_TOPICS_ENABLE, "false");
        port = TestNodes.port(node);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static ByteBuffer batch(String prefix, int from, int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
        for (int i = from; i < from + count; i++) {
            builder.append(1_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    (prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** A copy of {@code batch} with one byte flipped at {@code index}: its CRC no longer matches. */
    private static ByteBuffer flip(ByteBuffer batch, int index) {
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        copy.put(index, (byte) (copy.get(index) ^ 0x5a));
        assertThat(new RecordBatch(copy, 0).isValid()).as("the flipped batch fails its CRC").isFalse();
        return copy;
    }

    private static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    private static void assertAnswer(PartitionProduceResponse answer, Errors error) {
        assertThat(Errors.forCode(answer.errorCode())).as("error in %s", answer).isEqualTo(error);
        if (error != Errors.NONE) {
            assertThat(answer.baseOffset()).as("baseOffset with an error").isEqualTo(-1);
        }
    }

    private static void assertAnswer(PartitionProduceResponse answer, long baseOffset) {
        assertAnswer(answer, Errors.NONE);
        assertThat(answer.baseOffset()).as("baseOffset in %s", answer).isEqualTo(baseOffset);
    }

    /** Another client on another connection: the Java producer, whose record must land at {@code offset}. */
    private static void otherProducerGoesOn(String topic, int partition, String value, long offset) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            long written = producer.send(new ProducerRecord<>(topic, partition, 5_000L, null,
                    value.getBytes(StandardCharsets.UTF_8))).get(15, TimeUnit.SECONDS).offset();
            assertThat(written).as("offset of the other producer's record").isEqualTo(offset);
        }
    }

    private static List<String> readValues(String topic, int partition, int expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> records = KafkaClients.readFromBeginning(consumer,
                    List.of(new TopicPartition(topic, partition)), expected, Duration.ofSeconds(15));
            List<String> values = new ArrayList<>();
            long next = 0;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                assertThat(r.offset()).as("offsets have no holes").isEqualTo(next++);
                values.add(new String(r.value(), StandardCharsets.UTF_8));
            }
            return values;
        }
    }

    private static List<String> values(String prefix, int from, int count) {
        List<String> values = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            values.add(prefix + "-" + i);
        }
        return values;
    }

    @Test
    void batchWithAWrongCrcIsRefusedAndNothingOfItIsStored() throws Exception {
        String topic = "bad-crc";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 2, Map.of()));
        try (RawConnection connection = new RawConnection(port)) {
            assertAnswer(RawRequests.produce(connection, topic, 0, batch("good", 0, 3)), 0);

            // a flipped byte in a record's value, in the header's timestamp, in the CRC itself
            ByteBuffer victim = batch("bad", 100, 4);
            for (int index : new int[] {victim.remaining() - 3, RecordBatch.MAX_TIMESTAMP_OFFSET + 7,
                    RecordBatch.CRC_OFFSET + 1}) {
                assertAnswer(RawRequests.produce(connection, topic, 0, flip(victim, index)), Errors.CORRUPT_MESSAGE);
            }
            // Produce v3+ carries exactly one batch per partition; Kafka refuses two with INVALID_RECORD
            assertAnswer(RawRequests.produce(connection, topic, 0,
                    concat(batch("bad", 200, 2), batch("bad", 202, 2))), Errors.INVALID_RECORD);

            // one request, two partitions: the corrupt one is refused, the good one written
            List<PartitionProduceResponse> answers = RawRequests.produce(connection, topic, List.of(
                    new PartitionBatches(0, flip(batch("bad", 300, 2), 70)),
                    new PartitionBatches(1, batch("p1", 0, 2))));
            assertThat(answers).hasSize(2);
            for (PartitionProduceResponse answer : answers) {
                if (answer.index() == 0) {
                    assertAnswer(answer, Errors.CORRUPT_MESSAGE);
                } else {
                    assertAnswer(answer, 0);
                }
            }

            // the same connection goes on, and the next offset shows nothing of the bad batches was written
            assertAnswer(RawRequests.produce(connection, topic, 0, batch("good", 3, 2)), 3);
            RawRequests.Fetched fetched = RawRequests.fetch(connection, topic, 0, 0, 1 << 20);
            assertThat(fetched.highWatermark()).isEqualTo(5);
            for (RecordBatch b : fetched.batches()) {
                assertThat(b.isValid()).as("stored batch %s", b).isTrue();
            }
        }
        otherProducerGoesOn(topic, 0, "good-5", 5);

        List<String> expected = values("good", 0, 6);
        assertThat(readValues(topic, 0, 6)).isEqualTo(expected);
        assertThat(readValues(topic, 1, 2)).isEqualTo(values("p1", 0, 2));
    }

    @Test
    void oversizedBatchIsRefusedWithMessageTooLarge() throws Exception {
        String small = "too-large-small-limit";
        String plain = "too-large-default-limit";
        KafkaClients.createTopics(port, KafkaClients.topic(small, 1, Map.of("max.message.bytes", "2000")),
                KafkaClients.topic(plain, 1, Map.of()));
        try (RawConnection connection = new RawConnection(port)) {
            assertAnswer(RawRequests.produce(connection, small, 0, batch("good", 0, 2)), 0);

            // over the topic's max.message.bytes of 2000 (batch size, headers included, counts)
            RecordBatchBuilder big = new RecordBatchBuilder(CompressionType.NONE);
            big.append(1_000L, null, new byte[2100]);
            assertAnswer(RawRequests.produce(connection, small, 0, big.build()), Errors.MESSAGE_TOO_LARGE);

            // over the default limit of 1048588 bytes
            RecordBatchBuilder huge = new RecordBatchBuilder(CompressionType.NONE, 1_100_000);
            huge.append(1_000L, null, new byte[1_100_000]);
            assertAnswer(RawRequests.produce(connection, plain, 0, huge.build()), Errors.MESSAGE_TOO_LARGE);
            // the limit is on the batch as sent: the same bytes compressed to a few KB are welcome
            RecordBatchBuilder compressed = new RecordBatchBuilder(CompressionType.ZSTD, 1_100_000);
            compressed.append(1_000L, null, new byte[1_100_000]);
            assertAnswer(RawRequests.produce(connection, plain, 0, compressed.build()), 0);

            assertAnswer(RawRequests.produce(connection, small, 0, batch("good", 2, 1)), 2);
        }
        otherProducerGoesOn(small, 0, "good-3", 3);
        assertThat(readValues(small, 0, 4)).isEqualTo(values("good", 0, 4));
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer,
                    List.of(new TopicPartition(plain, 0)), 1, Duration.ofSeconds(15));
            assertThat(read).hasSize(1);
            assertThat(read.get(0).offset()).isZero();
            assertThat(read.get(0).value()).hasSize(1_100_000).containsOnly(0);
        }
    }

    @Test
    void theJavaProducerSplitsBatchesTheTopicFindsTooLargeAndFailsOnlyTheRecordThatIs() throws Exception {
        String topic = "too-large-for-java";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 1, Map.of("max.message.bytes", "2000")));
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port,
                "batch.size", "16384", "linger.ms", "200", "compression.type", "none")) {
            // 20 records of 400 bytes go out as one batch of ~8 KB: refused, split by the client, all written
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] value = new byte[400];
                value[0] = (byte) i;
                sent.add(producer.send(new ProducerRecord<>(topic, 0, null, value)));
            }
            for (int i = 0; i < sent.size(); i++) {
                assertThat(sent.get(i).get(15, TimeUnit.SECONDS).offset()).as("offset of record %d", i).isEqualTo(i);
            }
            // one record that cannot fit on its own fails, with the broker's MESSAGE_TOO_LARGE
            java.util.concurrent.Future<?> tooLarge = producer.send(new ProducerRecord<>(topic, 0, null, new byte[3000]));
            assertThatThrownBy(() -> tooLarge.get(15, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
            assertThat(producer.send(new ProducerRecord<>(topic, 0, null, new byte[10])).get(15, TimeUnit.SECONDS).offset())
                    .isEqualTo(20);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<ConsumerRecord<byte[], byte[]>> read = KafkaClients.readFromBeginning(consumer,
                    List.of(new TopicPartition(topic, 0)), 21, Duration.ofSeconds(15));
            assertThat(read).hasSize(21);
            for (int i = 0; i < 20; i++) {
                assertThat(read.get(i).value()).hasSize(400).startsWith((byte) i);
            }
            assertThat(read.get(20).value()).hasSize(10);
        }
    }

    @Test
    void aTimestampTooFarInTheFutureIsRefused() throws Exception {
        String topic = "future-timestamps";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 1, Map.of()));
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            long now = System.currentTimeMillis();
            // message.timestamp.after.max.ms is one hour in Kafka 4; before.max.ms has no limit
            java.util.concurrent.Future<?> future = producer.send(new ProducerRecord<>(topic, 0, now + 2 * 3_600_000L, null,
                    bytes("future")));
            assertThatThrownBy(() -> future.get(15, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidTimestampException.class);
            assertThat(producer.send(new ProducerRecord<>(topic, 0, now - 400L * 24 * 3_600_000L, null, bytes("old")))
                    .get(15, TimeUnit.SECONDS).offset()).isZero();
            assertThat(producer.send(new ProducerRecord<>(topic, 0, 0L, null, bytes("epoch")))
                    .get(15, TimeUnit.SECONDS).offset()).isEqualTo(1);
        }
        assertThat(readValues(topic, 0, 2)).containsExactly("old", "epoch");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void produceToAPartitionThatDoesNotExistIsRefused() throws Exception {
        String topic = "known-topic";
        KafkaClients.createTopics(port, KafkaClients.topic(topic, 2, Map.of()));
        try (RawConnection connection = new RawConnection(port)) {
            assertAnswer(RawRequests.produce(connection, topic, 2, batch("nowhere", 0, 1)), Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertAnswer(RawRequests.produce(connection, topic, -1, batch("nowhere", 0, 1)), Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertAnswer(RawRequests.produce(connection, "no-such-topic", 0, batch("nowhere", 0, 1)),
                    Errors.UNKNOWN_TOPIC_OR_PARTITION);
            // one request, a partition that exists and one that does not
            List<PartitionProduceResponse> answers = RawRequests.produce(connection, topic, List.of(
                    new PartitionBatches(7, batch("nowhere", 0, 1)),
                    new PartitionBatches(1, batch("good", 0, 2))));
            assertThat(answers).hasSize(2);
            for (PartitionProduceResponse answer : answers) {
                if (answer.index() == 7) {
                    assertAnswer(answer, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    assertAnswer(answer, 0);
                }
            }
            assertAnswer(RawRequests.produce(connection, topic, 1, batch("good", 2, 1)), 2);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            assertThat(consumer.listTopics().keySet()).doesNotContain("no-such-topic");
        }
        otherProducerGoesOn(topic, 1, "good-3", 3);
        assertThat(readValues(topic, 1, 4)).isEqualTo(values("good", 0, 4));
    }
}
