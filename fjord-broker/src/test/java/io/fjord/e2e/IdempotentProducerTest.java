package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.InitProducerIdRequestData;
import io.fjord.protocol.message.InitProducerIdResponseData;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import io.fjord.testing.RawRequests;
import io.fjord.testing.TcpProxy;
import io.fjord.testing.TestNodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, "idempotent producer": 100,000 records from the Java client's idempotent producer come
 * back exactly once and in order, also when the broker is stopped and started again while the
 * producer is sending; and, at the protocol level, duplicates are answered with the original offset
 * and not written again (also after a restart), gaps and old epochs are refused as Kafka does.
 */
class IdempotentProducerTest {
    private static final int RECORDS = 100_000;
    private static final int PARTITIONS = 2;

    @TempDir
    Path dataDir;

    /** Record {@code seq} goes to partition {@code seq % PARTITIONS}; its value is the sequence number. */
    private static ProducerRecord<byte[], byte[]> record(String topic, int seq) {
        byte[] value = ByteBuffer.allocate(12).putInt(seq).putLong(~(long) seq).array(); // self-checking
        return new ProducerRecord<>(topic, seq % PARTITIONS, null, value);
    }

    private static int seqOf(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        int seq = buffer.getInt();
        if (value.length != 12 || buffer.getLong() != ~(long) seq) {
            throw new AssertionError("value " + java.util.HexFormat.of().formatHex(value) + " is not one this test wrote");
        }
        return seq;
    }

    /** Collects what the producer's callbacks report: the offset of every record, and every failure. */
    private static final class Acks {
        final AtomicLongArray offsets = new AtomicLongArray(RECORDS);
        final AtomicInteger acked = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final CountDownLatch thirtyPercent = new CountDownLatch(1);
        /** Run once, on the producer's I/O thread, by the callback of the 30,000th acknowledgement. */
        volatile Runnable atThirtyPercent = () -> { };

        Acks() {
            for (int i = 0; i < RECORDS; i++) {
                offsets.set(i, -1);
            }
        }

        void send(KafkaProducer<byte[], byte[]> producer, String topic, int from, int to) {
            for (int seq = from; seq < to; seq++) {
                int s = seq;
                producer.send(record(topic, s), (metadata, error) -> {
                    if (error != null) {
                        failures.add("record " + s + ": " + error);
                    } else {
                        offsets.set(s, metadata.offset());
                        if (acked.incrementAndGet() == RECORDS * 3 / 10) {
                            atThirtyPercent.run();
                            thirtyPercent.countDown();
                        }
                    }
                });
            }
        }

        /** Every record acknowledged, at the offset its place in its partition says. */
        void assertAllAcknowledgedInOrder() {
            assertThat(failures).as("send failures").isEmpty();
            assertThat(acked.get()).isEqualTo(RECORDS);
            List<String> wrong = new ArrayList<>();
            for (int seq = 0; seq < RECORDS && wrong.size() < 10; seq++) {
                long expected = seq / PARTITIONS;
                if (offsets.get(seq) != expected) {
                    wrong.add("record " + seq + " acknowledged at offset " + offsets.get(seq) + ", expected " + expected);
                }
            }
            assertThat(wrong).as("acknowledged offsets").isEmpty();
        }
    }

    private static KafkaProducer<byte[], byte[]> idempotentProducer(int port, String... extra) {
        List<String> settings = new ArrayList<>(List.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5",
                ProducerConfig.LINGER_MS_CONFIG, "2",
                ProducerConfig.BATCH_SIZE_CONFIG, "16384"));
        settings.addAll(List.of(extra));
        return KafkaClients.producer(port, settings.toArray(new String[0]));
    }

    /** Reads every partition from the beginning and checks: exactly 0..RECORDS-1, each once, in order per partition. */
    private static void assertExactlyOnceInOrder(int port, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        List<ConsumerRecord<byte[], byte[]>> read;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port,
                "max.poll.records", "5000", "fetch.max.bytes", String.valueOf(8 * 1024 * 1024))) {
            read = KafkaClients.readFromBeginning(consumer, partitions, RECORDS, Duration.ofSeconds(40));
            for (TopicPartition tp : partitions) {
                assertThat(consumer.endOffsets(List.of(tp)).get(tp)).as("end offset of %s", tp)
                        .isEqualTo(RECORDS / PARTITIONS);
            }
        }
        int[] seen = new int[RECORDS];
        int[] lastSeq = new int[PARTITIONS];
        long[] nextOffset = new long[PARTITIONS];
        java.util.Arrays.fill(lastSeq, -1);
        List<String> problems = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
            int seq = seqOf(r.value());
            int p = r.partition();
            if (seq % PARTITIONS != p) {
                problems.add("record " + seq + " in partition " + p);
            }
            if (seq <= lastSeq[p]) {
                problems.add("partition " + p + ": record " + seq + " after record " + lastSeq[p] + " (offset " + r.offset() + ")");
            }
            if (r.offset() != nextOffset[p]) {
                problems.add("partition " + p + ": offset " + r.offset() + " where " + nextOffset[p] + " was next");
            }
            lastSeq[p] = seq;
            nextOffset[p] = r.offset() + 1;
            seen[seq]++;
            if (problems.size() > 10) {
                break;
            }
        }
        for (int seq = 0; seq < RECORDS && problems.size() <= 10; seq++) {
            if (seen[seq] != 1) {
                problems.add("record " + seq + " read " + seen[seq] + " times");
            }
        }
        assertThat(problems).as("%d records read", read.size()).isEmpty();
        assertThat(read).hasSize(RECORDS);
    }

    @Test
    void hundredThousandRecordsComeBackExactlyOnceInOrder() throws Exception {
        try (FjordNode node = TestNodes.start(dataDir)) {
            int port = TestNodes.port(node);
            String topic = "idempotent-100k";
            KafkaClients.createTopics(port, KafkaClients.topic(topic, PARTITIONS, Map.of()));
            Acks acks = new Acks();
            try (KafkaProducer<byte[], byte[]> producer = idempotentProducer(port)) {
                acks.send(producer, topic, 0, RECORDS);
                producer.flush();
            }
            acks.assertAllAcknowledgedInOrder();
            assertExactlyOnceInOrder(port, topic);
        }
    }

    /**
     * The node writes what the producer sent but its answers are lost (a proxy drops them), then it
     * stops and starts again on the same data while the producer keeps sending. The producer retries
     * the unanswered batches against the restarted node, which must know them as duplicates from the
     * producer state it saved, and answer them with their original offsets.
     */
    @Test
    void hundredThousandRecordsExactlyOnceAcrossABrokerRestart() throws Exception {
        String topic = "idempotent-restart";
        Acks acks = new Acks();
        FjordNode node = null;
        FjordNode restarted = null;
        try (TcpProxy proxy = new TcpProxy(0)) {
            // Clients reach the node only through the proxy: it is the address the node advertises.
            String[] settings = {NodeConfig.ADVERTISED_LISTENERS, "PLAINTEXT://127.0.0.1:" + proxy.port()};
            node = TestNodes.start(dataDir, settings);
            proxy.target(TestNodes.port(node));
            int port = proxy.port();
            KafkaClients.createTopics(port, KafkaClients.topic(topic, PARTITIONS, Map.of()));
            try (KafkaProducer<byte[], byte[]> producer = idempotentProducer(port,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "45000",
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "8000",
                    ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "50",
                    ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "50",
                    ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200",
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")) {
                // At the 30,000th acknowledgement the answers start getting lost: the requests in flight
                // then, and those the producer sends while waiting, are written but never acknowledged.
                acks.atThirtyPercent = proxy::dropResponses;
                acks.send(producer, topic, 0, 40_000);
                assertThat(acks.thirtyPercent.await(30, TimeUnit.SECONDS)).as("30%% acknowledged").isTrue();
                Thread.sleep(500);
                int ackedAtStop = acks.acked.get();
                long written = logEndOffsets(TestNodes.port(node), topic);
                assertThat(proxy.droppedBytes()).as("answers lost").isPositive();
                assertThat(written).as("records written when the node stops, %d acknowledged", ackedAtStop)
                        .isGreaterThan(ackedAtStop);
                node.close();
                proxy.cutAll();
                proxy.passResponses();

                // More records while nothing listens, from another thread: send() may block on metadata.
                Thread outageSender = new Thread(() -> acks.send(producer, topic, 40_000, 70_000), "outage-sender");
                outageSender.start();
                Thread.sleep(700);
                assertThat(acks.acked.get()).as("acknowledgements while the node is down").isEqualTo(ackedAtStop);
                restarted = TestNodes.start(dataDir, settings);
                proxy.target(TestNodes.port(restarted));
                outageSender.join(40_000);
                assertThat(outageSender.isAlive()).as("sends still blocked 40 s after the restart").isFalse();
                acks.send(producer, topic, 70_000, RECORDS);
                producer.flush();
            }
            acks.assertAllAcknowledgedInOrder();
            assertExactlyOnceInOrder(TestNodes.port(restarted), topic);
        } finally {
            if (node != null) {
                node.close();
            }
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    /** The sum of the high watermarks of the topic's partitions, asked of the node itself, not through the proxy. */
    private static long logEndOffsets(int port, String topic) throws Exception {
        try (RawConnection raw = new RawConnection(port)) {
            long sum = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                RawRequests.Fetched f = RawRequests.fetch(raw, topic, p, 0, 1);
                assertThat(f.errorCode()).isZero();
                sum += f.highWatermark();
            }
            return sum;
        }
    }

    // --- the same guarantees, request by request --------------------------------------------------

    private static InitProducerIdResponseData initProducerId(RawConnection connection) throws Exception {
        InitProducerIdResponseData response;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        do {
            // a coordinator that is still loading says so with a retriable error, as clients expect
            response = connection.roundTrip(ApiKey.INIT_PRODUCER_ID, (short) 4,
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000)
                            .setProducerId(-1).setProducerEpoch((short) -1));
            if (response.errorCode() != Errors.COORDINATOR_LOAD_IN_PROGRESS.code()) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.producerId()).isNotNegative();
        assertThat(response.producerEpoch()).isNotNegative();
        return response;
    }

    private static ByteBuffer idempotentBatch(long producerId, short epoch, int baseSequence, int records, String tag) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE).producer(producerId, epoch, baseSequence);
        for (int i = 0; i < records; i++) {
            builder.append(System.currentTimeMillis(), null, (tag + "-" + (baseSequence + i)).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static void assertProduced(PartitionProduceResponse answer, Errors error, long baseOffset) {
        assertThat(Errors.forCode(answer.errorCode())).as("error of %s", answer).isEqualTo(error);
        if (error == Errors.NONE) {
            assertThat(answer.baseOffset()).as("baseOffset of %s", answer).isEqualTo(baseOffset);
        }
    }

    private static List<String> values(int port, String topic, int expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port)) {
            List<String> values = new ArrayList<>();
            KafkaClients.readFromBeginning(consumer, List.of(new TopicPartition(topic, 0)), expected, Duration.ofSeconds(15))
                    .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            return values;
        }
    }

    private static List<String> expectedValues(String tag, int from, int to) {
        List<String> values = new ArrayList<>();
        for (int i = from; i < to; i++) {
            values.add(tag + "-" + i);
        }
        return values;
    }

    @Test
    void duplicatesGetTheOriginalOffsetAndAreNotWrittenAgainAlsoAfterARestart() throws Exception {
        String topic = "dedup";
        FjordNode node = TestNodes.start(dataDir);
        try {
            int port = TestNodes.port(node);
            KafkaClients.createTopics(port, KafkaClients.topic(topic, 1, Map.of()));
            long producerId;
            short epoch;
            try (RawConnection connection = new RawConnection(port)) {
                InitProducerIdResponseData ids = initProducerId(connection);
                producerId = ids.producerId();
                epoch = ids.producerEpoch();
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, epoch, 0, 10, "a")),
                        Errors.NONE, 0);
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, epoch, 10, 5, "a")),
                        Errors.NONE, 10);
                // the same two batches again, as a producer retries them when answers were lost
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, epoch, 0, 10, "a")),
                        Errors.NONE, 0);
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, epoch, 10, 5, "a")),
                        Errors.NONE, 10);
                // a gap in the sequence
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, epoch, 20, 1, "gap")),
                        Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
            }
            assertThat(values(port, topic, 15)).isEqualTo(expectedValues("a", 0, 15));

            node.close();
            node = TestNodes.start(dataDir);
            port = TestNodes.port(node);
            try (RawConnection connection = new RawConnection(port)) {
                // after the restart the producer's state is back: the last batch is still a duplicate
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, epoch, 10, 5, "a")),
                        Errors.NONE, 10);
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, epoch, 16, 1, "gap")),
                        Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, epoch, 15, 5, "a")),
                        Errors.NONE, 15);
                // the client bumps its own epoch (KIP-360) and starts again at sequence 0
                short bumped = (short) (epoch + 1);
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, bumped, 0, 2, "b")),
                        Errors.NONE, 20);
                // the old epoch is fenced now
                assertProduced(RawRequests.produce(connection, topic, 0, idempotentBatch(producerId, epoch, 20, 1, "old")),
                        Errors.INVALID_PRODUCER_EPOCH, -1);
                // a new epoch must start at sequence 0
                assertProduced(RawRequests.produce(connection, topic, 0,
                        idempotentBatch(producerId, (short) (bumped + 1), 5, 1, "x")), Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
            }
            List<String> expected = expectedValues("a", 0, 20);
            expected.addAll(expectedValues("b", 0, 2));
            assertThat(values(port, topic, 22)).isEqualTo(expected);
        } finally {
            node.close();
        }
    }
}
