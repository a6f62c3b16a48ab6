package io.fjord.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.fetch.FetchNode;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inter-broker connection against a real single Fjord node on an ephemeral port. */
class BrokerConnectionTest {
    @TempDir
    static Path dir;
    static FetchNode node;

    @BeforeAll
    static void start() {
        node = FetchNode.start(dir);
        node.createTopic("replicated", 1);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static BrokerConnection open() throws IOException {
        return BrokerConnection.open("127.0.0.1", node.port, 5_000, 5_000, "test-fetcher", 1 << 30);
    }

    @Test
    void learnsTheVersionsBothSidesHave() throws IOException {
        try (BrokerConnection connection = open()) {
            assertThat(connection.version(ApiKey.FETCH, (short) 13, (short) 17)).isEqualTo((short) 17);
            assertThat(connection.version(ApiKey.FETCH, (short) 4, (short) 12)).isEqualTo((short) 12);
            assertThat(connection.version(ApiKey.FETCH, (short) 19, (short) 30)).isEqualTo((short) -1);
            assertThat(connection.address()).isEqualTo("127.0.0.1:" + node.port);
        }
    }

    @Test
    void sendsMetadataAndReadsTheAnswer() throws IOException {
        try (BrokerConnection connection = open()) {
            MetadataResponseData response = connection.send(ApiKey.METADATA, (short) 12,
                    new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(false));

            assertThat(response.topics()).anySatisfy(t -> {
                assertThat(t.name()).isEqualTo("replicated");
                assertThat(t.topicId()).isEqualTo(node.topicId("replicated"));
            });
            assertThat(response.brokers()).extracting(MetadataResponseData.MetadataResponseBroker::port)
                    .containsExactly(node.port);
        }
    }

    @Test
    void fetchedRecordsAreTheWholeBatchesTheLogHolds() throws IOException {
        node.append("replicated", 0, 3, "a");
        node.append("replicated", 0, 2, "b");
        UUID topicId = node.topicId("replicated");
        try (BrokerConnection connection = open()) {
            // As a consumer: the leader side of replica fetches is not there yet.
            FetchRequestData request = new FetchRequestData()
                    .setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(-1))
                    .setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1)
                    .setTopics(new ArrayList<>(List.of(new FetchRequestData.FetchTopic().setTopicId(topicId)
                            .setPartitions(new ArrayList<>(List.of(new FetchRequestData.FetchPartition()
                                    .setPartition(0).setFetchOffset(0).setCurrentLeaderEpoch(-1)
                                    .setLastFetchedEpoch(-1).setPartitionMaxBytes(1 << 20)))))));

            FetchResponseData response = connection.send(ApiKey.FETCH, (short) 17, request);

            PartitionData data = response.responses().get(0).partitions().get(0);
            assertThat(data.errorCode()).isZero();
            assertThat(data.highWatermark()).isEqualTo(5);
            assertThat(data.records()).isInstanceOf(MemoryRecords.class);
            ByteBuffer fetched = FetchResponseProcessor.wholeBatches(data.records());
            assertThat(fetched.remaining()).isEqualTo(data.records().sizeInBytes());
            assertThat(batchBaseOffsets(fetched)).containsExactly(0L, 3L);
            assertThat(fetched.isReadOnly()).isTrue();
        }
    }

    private static List<Long> batchBaseOffsets(ByteBuffer batches) {
        List<Long> offsets = new ArrayList<>();
        for (int pos = batches.position(); pos < batches.limit(); pos += 12 + batches.getInt(pos + 8)) {
            offsets.add(batches.getLong(pos));
        }
        return offsets;
    }

    @Test
    void aPeerThatNeverAnswersFailsTheRequestAfterTheReadTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            // The connection is accepted by the kernel's backlog; nothing ever answers ApiVersions.
            assertThatThrownBy(() -> BrokerConnection.open("127.0.0.1", silent.getLocalPort(), 2_000, 300, "t", 1 << 20))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("did not answer ApiVersions within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRefusedConnectionFailsAtOnce() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThatThrownBy(() -> BrokerConnection.open("127.0.0.1", port, 2_000, 2_000, "t", 1 << 20))
                .isInstanceOf(IOException.class);
    }

    @Test
    void closeEndsARequestTheBrokerHolds() throws Exception {
        UUID topicId = node.topicId("replicated");
        BrokerConnection connection = BrokerConnection.open("127.0.0.1", node.port, 5_000, 60_000, "test-fetcher", 1 << 30);
        long end = node.partition("replicated", 0).logEndOffset();
        // Nothing past the log end: the broker holds this fetch for up to 30 s.
        FetchRequestData request = new FetchRequestData()
                .setMaxWaitMs(30_000).setMinBytes(1).setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1)
                .setTopics(new ArrayList<>(List.of(new FetchRequestData.FetchTopic().setTopicId(topicId)
                        .setPartitions(new ArrayList<>(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0).setFetchOffset(end).setCurrentLeaderEpoch(-1)
                                .setLastFetchedEpoch(-1).setPartitionMaxBytes(1 << 20)))))));
        CompletableFuture<FetchResponseData> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return connection.send(ApiKey.FETCH, (short) 17, request);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        connection.close();

        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(java.io.UncheckedIOException.class);
        assertThat(connection.isClosed()).isTrue();
    }
}
