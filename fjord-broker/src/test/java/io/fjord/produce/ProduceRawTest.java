package io.fjord.produce;

import static io.fjord.produce.TestLogs.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.partition.Partition;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.ApiVersionsResponseData.ApiVersion;
import io.fjord.protocol.message.InitProducerIdRequestData;
import io.fjord.protocol.message.InitProducerIdResponseData;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceRequestData.PartitionProduceData;
import io.fjord.protocol.message.ProduceRequestData.TopicProduceData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.server.FjordNode;
import io.fjord.testing.Frames;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Produce and InitProducerId on the wire, with requests the Java client would never send. */
class ProduceRawTest {
    private static final short V9 = 9;
    private static final short V13 = 13;

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void start() {
        node = TestNodes.start(dataDir);
        port = TestNodes.port(node);
        KafkaClients.createTopics(port,
                KafkaClients.topic("raw", 2, Map.of()),
                KafkaClients.topic("small", 1, Map.of("max.message.bytes", "300")),
                KafkaClients.topic("dedup", 1, Map.of()),
                KafkaClients.topic("acks0", 1, Map.of()),
                KafkaClients.topic("byid", 1, Map.of()));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static ProduceRequestData request(short acks, String topic, int partition, ByteBuffer records) {
        List<PartitionProduceData> partitions = new ArrayList<>(List.of(new PartitionProduceData().setIndex(partition)
                .setRecords(new MemoryRecords(records.duplicate()))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(5000)
                .setTopicData(new ArrayList<>(List.of(new TopicProduceData().setName(topic).setPartitionData(partitions))));
    }

    private static PartitionProduceResponse produce(RawConnection connection, String topic, int partition, ByteBuffer records)
            throws IOException {
        ProduceResponseData response = connection.roundTrip(ApiKey.PRODUCE, V9, request((short) -1, topic, partition, records));
        assertThat(response.responses()).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo(topic));
        return response.responses().get(0).partitionResponses().get(0);
    }

    private static Partition partition(String topic, int index) {
        return node.partitions().partition(topic, index);
    }

    private static ByteBuffer corrupt(ByteBuffer batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        int last = copy.limit() - 1;
        copy.put(last, (byte) (copy.get(last) ^ 0x01));
        return copy;
    }

    @Test
    void advertisesProduceFromV0AsKafka4DoesAndInitProducerIdInFull() throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            ApiVersionsResponseData versions = connection.roundTrip(ApiKey.API_VERSIONS, (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("test").setClientSoftwareVersion("1"));
            ApiVersion produce = versions.apiKeys().stream().filter(v -> v.apiKey() == ApiKey.PRODUCE.id()).findFirst()
                    .orElseThrow();
            assertThat(produce.minVersion()).isZero();
            assertThat(produce.maxVersion()).isEqualTo((short) 13);
            ApiVersion init = versions.apiKeys().stream().filter(v -> v.apiKey() == ApiKey.INIT_PRODUCER_ID.id())
                    .findFirst().orElseThrow();
            assertThat(init.minVersion()).isZero();
            assertThat(init.maxVersion()).isEqualTo(ApiKey.INIT_PRODUCER_ID.highestVersion());
        }
    }

    @Test
    void produceBelowV3IsRefusedByClosingTheConnection() throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            // A v2 header: key 0, version 2, then whatever; the broker must not try to read it.
            connection.write(Frames.frame(ByteBuffer.allocate(24).put(Frames.headerPrefix(0, 2, 5)).array()));
            assertThat(connection.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aWrongCrcIsCorruptNothingIsStoredAndTheConnectionGoesOn() throws IOException {
        Partition p = partition("raw", 1);
        long before = p.logEndOffset();
        try (RawConnection connection = new RawConnection(port)) {
            PartitionProduceResponse bad = produce(connection, "raw", 1, corrupt(batch(CompressionType.GZIP, 3)));
            assertThat(bad.errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
            assertThat(bad.baseOffset()).isEqualTo(-1);
            assertThat(p.logEndOffset()).isEqualTo(before);

            PartitionProduceResponse good = produce(connection, "raw", 1, batch(CompressionType.GZIP, 3));
            assertThat(good.errorCode()).isZero();
            assertThat(good.baseOffset()).isEqualTo(before);
            assertThat(good.logAppendTimeMs()).isEqualTo(-1);
            assertThat(good.logStartOffset()).isZero();
        }
    }

    @Test
    void anOversizedBatchIsTooLarge() throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            assertThat(produce(connection, "small", 0, batch(CompressionType.NONE, 30)).errorCode())
                    .isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
            assertThat(produce(connection, "small", 0, batch(CompressionType.NONE, 1)).errorCode()).isZero();
        }
    }

    @Test
    void anUnknownPartitionOrTopicIsUnknownAndOtherPartitionsOfTheRequestStillWork() throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            ProduceRequestData request = request((short) 1, "raw", 7, batch(CompressionType.NONE, 1));
            request.topicData().get(0).partitionData().add(new PartitionProduceData().setIndex(0)
                    .setRecords(new MemoryRecords(batch(CompressionType.NONE, 2))));
            ProduceResponseData response = connection.roundTrip(ApiKey.PRODUCE, V9, request);
            List<PartitionProduceResponse> answers = response.responses().get(0).partitionResponses();
            assertThat(answers).extracting(PartitionProduceResponse::index).containsExactly(7, 0);
            assertThat(answers.get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(answers.get(1).errorCode()).isZero();

            ProduceResponseData byId = connection.roundTrip(ApiKey.PRODUCE, V13, new ProduceRequestData().setAcks((short) 1)
                    .setTopicData(new ArrayList<>(List.of(new TopicProduceData().setTopicId(UUID.randomUUID())
                            .setPartitionData(new ArrayList<>(List.of(new PartitionProduceData().setIndex(0)
                                    .setRecords(new MemoryRecords(batch(CompressionType.NONE, 1))))))))));
            assertThat(byId.responses().get(0).partitionResponses().get(0).errorCode())
                    .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        }
    }

    @Test
    void anUnknownTopicIsCreatedForTheRetry() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            short error = produce(connection, "made-by-produce", 0, batch(CompressionType.NONE, 1)).errorCode();
            assertThat(error).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (error != 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                error = produce(connection, "made-by-produce", 0, batch(CompressionType.NONE, 1)).errorCode();
            }
            assertThat(error).isZero();
        }
    }

    @Test
    void v13NamesTopicsById() throws Exception {
        UUID id = partition("byid", 0).topicId();
        try (RawConnection connection = new RawConnection(port)) {
            ProduceResponseData response = connection.roundTrip(ApiKey.PRODUCE, V13, new ProduceRequestData().setAcks((short) -1)
                    .setTopicData(new ArrayList<>(List.of(new TopicProduceData().setTopicId(id)
                            .setPartitionData(new ArrayList<>(List.of(new PartitionProduceData().setIndex(0)
                                    .setRecords(new MemoryRecords(batch(CompressionType.ZSTD, 4))))))))));
            assertThat(response.responses()).singleElement().satisfies(t -> assertThat(t.topicId()).isEqualTo(id));
            assertThat(response.responses().get(0).partitionResponses().get(0).errorCode()).isZero();
            assertThat(partition("byid", 0).logEndOffset()).isEqualTo(4);
        }
    }

    @Test
    void aDuplicateBatchIsAnsweredWithTheOriginalOffsetAndStoredOnce() throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            InitProducerIdResponseData init = connection.roundTrip(ApiKey.INIT_PRODUCER_ID, (short) 4,
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(-1));
            assertThat(init.errorCode()).isZero();
            assertThat(init.producerId()).isNotNegative();
            long pid = init.producerId();
            Partition p = partition("dedup", 0);

            PartitionProduceResponse first = produce(connection, "dedup", 0, batch(CompressionType.LZ4, 3, pid, (short) 0, 0));
            PartitionProduceResponse second = produce(connection, "dedup", 0, batch(CompressionType.LZ4, 2, pid, (short) 0, 3));
            PartitionProduceResponse retry = produce(connection, "dedup", 0, batch(CompressionType.LZ4, 3, pid, (short) 0, 0));
            assertThat(retry.errorCode()).isZero();
            assertThat(retry.baseOffset()).isEqualTo(first.baseOffset());
            assertThat(second.baseOffset()).isEqualTo(first.baseOffset() + 3);
            assertThat(p.logEndOffset()).isEqualTo(first.baseOffset() + 5);

            PartitionProduceResponse gap = produce(connection, "dedup", 0, batch(CompressionType.LZ4, 1, pid, (short) 0, 9));
            assertThat(gap.errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
            assertThat(gap.logStartOffset()).isZero();
            assertThat(produce(connection, "dedup", 0, batch(CompressionType.LZ4, 1, pid, (short) 0, 5)).errorCode())
                    .as("the next sequence").isZero();
        }
    }

    @Test
    void acksZeroGetsNoResponseAndAFailureClosesTheConnection() throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            connection.send(ApiKey.PRODUCE, V9, 1, request((short) 0, "acks0", 0, batch(CompressionType.NONE, 2)));
            connection.send(ApiKey.API_VERSIONS, (short) 0, 2, new ApiVersionsRequestData());
            Frames.Response<ApiMessage> next = connection.receive(ApiKey.API_VERSIONS, (short) 0);
            assertThat(next.correlationId()).as("the acks=0 produce got no response").isEqualTo(2);
            assertThat(partition("acks0", 0).logEndOffset()).isEqualTo(2);

            connection.send(ApiKey.PRODUCE, V9, 3, request((short) 0, "acks0", 0, corrupt(batch(CompressionType.NONE, 2))));
            assertThat(connection.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void invalidAcksAndTransactionalRecordsAreRefusedForEveryPartition() throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            ProduceResponseData badAcks = connection.roundTrip(ApiKey.PRODUCE, V9,
                    request((short) 2, "raw", 0, batch(CompressionType.NONE, 1)));
            assertThat(badAcks.responses().get(0).partitionResponses().get(0).errorCode())
                    .isEqualTo(Errors.INVALID_REQUIRED_ACKS.code());

            ByteBuffer transactional = new RecordBatchBuilder(CompressionType.NONE).producer(99, (short) 0, 0)
                    .transactional(true).append(1L, null, new byte[] {1}).build();
            ProduceResponseData txn = connection.roundTrip(ApiKey.PRODUCE, V9,
                    request((short) -1, "raw", 0, transactional).setTransactionalId("tx"));
            assertThat(txn.responses().get(0).partitionResponses().get(0).errorCode())
                    .isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        }
    }
}
