package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.ApiVersionsResponseData.ApiVersion;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.testing.Frames;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node in this JVM, spoken to by the Java AdminClient and by raw sockets. */
class BrokerIntegrationTest {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;
    static Admin admin;

    @BeforeAll
    static void startNode() {
        // No auto-creation: the Metadata tests ask for unknown topics and expect them to stay unknown.
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, "7", NodeConfig.AUTO_CREATE_TOPICS_ENABLE, "false");
        port = TestNodes.port(node);
        admin = KafkaClients.admin(port);
    }

    @AfterAll
    static void stopNode() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (node != null) {
            node.close();
        }
    }

    private static String clusterIdOnDisk() throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve("meta.properties"))) {
            meta.load(in);
        }
        return meta.getProperty("cluster.id");
    }

    private static void assertAdminSeesOneNode() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        Collection<Node> nodes = cluster.nodes().get(15, TimeUnit.SECONDS);
        assertThat(nodes).hasSize(1);
        Node only = nodes.iterator().next();
        assertThat(only.id()).isEqualTo(7);
        assertThat(only.host()).isEqualTo("127.0.0.1");
        assertThat(only.port()).isEqualTo(port);
        assertThat(cluster.clusterId().get(15, TimeUnit.SECONDS)).isEqualTo(clusterIdOnDisk());
        assertThat(cluster.controller().get(15, TimeUnit.SECONDS).id()).isEqualTo(7);
    }

    @Test
    void adminClientSeesOneNodeWithTheConfiguredIdAndTheClusterIdOnDisk() throws Exception {
        assertThat(clusterIdOnDisk()).hasSize(22).matches("[A-Za-z0-9_-]{22}");
        assertThat(node.clusterId()).isEqualTo(clusterIdOnDisk());
        assertAdminSeesOneNode();
    }

    private void assertClosedWhileOthersWork(byte[] bytes) throws Exception {
        try (RawConnection bad = new RawConnection(port)) {
            bad.write(bytes);
            assertThat(bad.closedByServerWithin(CLOSE_TIMEOUT)).as("connection closed by the server").isTrue();
        }
        assertAdminSeesOneNode();
    }

    @Test
    void garbageClosesTheConnection() throws Exception {
        assertClosedWhileOthersWork("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
        assertClosedWhileOthersWork(Frames.frame(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3, 4, 5, 6, 7}));
    }

    @Test
    void hugeAndNegativeSizePrefixesCloseTheConnection() throws Exception {
        assertClosedWhileOthersWork(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 18});
        assertClosedWhileOthersWork(new byte[] {(byte) 0x80, 0, 0, 0, 0, 18});
        assertClosedWhileOthersWork(ByteBuffer.allocate(4).putInt(104857601).array());
    }

    @Test
    void frameTooShortForAHeaderClosesTheConnection() throws Exception {
        assertClosedWhileOthersWork(Frames.frame(new byte[0]));
        assertClosedWhileOthersWork(Frames.frame(new byte[] {0, 18, 0}));
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws Exception {
        assertClosedWhileOthersWork(Frames.frame(Frames.headerPrefix(9999, 0, 1)));
        assertClosedWhileOthersWork(Frames.frame(Frames.headerPrefix(-1, 0, 1)));
    }

    @Test
    void apiKeyWeDoNotServeClosesTheConnection() throws Exception {
        assertClosedWhileOthersWork(Frames.frame(Frames.headerPrefix(ApiKey.FETCH.id(), 12, 1)));
    }

    @Test
    void bodyThatDoesNotParseClosesTheConnection() throws Exception {
        // v12 is flexible: a compact array of 127 topics, and then nothing.
        assertClosedWhileOthersWork(Frames.requestWithRawBody(ApiKey.METADATA, (short) 12, 1, new byte[] {(byte) 0x80, 1}));
        // v1: a topic array length far beyond the frame.
        assertClosedWhileOthersWork(Frames.requestWithRawBody(ApiKey.METADATA, (short) 1, 1, new byte[] {0x7f, 0, 0, 0}));
    }

    @Test
    void headerThatDoesNotParseClosesTheConnection() throws Exception {
        // A client id claiming 300 bytes in a frame that has none.
        byte[] header = ByteBuffer.allocate(10).putShort(ApiKey.METADATA.id()).putShort((short) 1).putInt(5)
                .putShort((short) 300).array();
        assertClosedWhileOthersWork(Frames.frame(header));
    }

    @Test
    void unsupportedMetadataVersionClosesTheConnection() throws Exception {
        assertClosedWhileOthersWork(Frames.requestWithRawBody(ApiKey.METADATA, (short) 14, 1, new byte[] {1, 1, 0, 0, 0}));
        assertClosedWhileOthersWork(Frames.requestWithRawBody(ApiKey.METADATA, (short) -1, 1, new byte[0]));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        int count = 50;
        try (RawConnection connection = new RawConnection(port)) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < count; i++) {
                int correlationId = 1000 + i * 3;
                if (i % 2 == 0) {
                    all.write(Frames.request(ApiKey.API_VERSIONS, (short) 3, correlationId, new ApiVersionsRequestData()
                            .setClientSoftwareName("fjord-test").setClientSoftwareVersion("1.0")));
                } else {
                    all.write(Frames.request(ApiKey.METADATA, (short) 12, correlationId, new MetadataRequestData()
                            .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("t" + i)))));
                }
            }
            // One write: the node sees all fifty back to back, most of them in one socket read.
            connection.write(all.toByteArray());
            for (int i = 0; i < count; i++) {
                ByteBuffer frame = connection.receiveFrame();
                if (i % 2 == 0) {
                    Frames.Response<ApiVersionsResponseData> r = Frames.response(frame, ApiKey.API_VERSIONS, (short) 3);
                    assertThat(r.correlationId()).isEqualTo(1000 + i * 3);
                    assertThat(r.body().errorCode()).isZero();
                } else {
                    Frames.Response<MetadataResponseData> r = Frames.response(frame, ApiKey.METADATA, (short) 12);
                    assertThat(r.correlationId()).isEqualTo(1000 + i * 3);
                    assertThat(r.body().topics()).singleElement()
                            .satisfies(t -> assertThat(t.name()).isEqualTo("t" + ((r.correlationId() - 1000) / 3)));
                }
            }
        }
    }

    private static List<String> ranges(List<ApiVersion> versions) {
        List<String> out = new ArrayList<>();
        for (ApiVersion v : versions) {
            out.add(v.apiKey() + ":" + v.minVersion() + "-" + v.maxVersion());
        }
        return out;
    }

    private static final List<String> OUR_RANGES = List.of("0:0-13", "1:4-18", "2:1-11", "3:0-13",
            "8:2-10", "9:1-10", "10:0-6", "11:0-9", "12:0-4", "13:0-5", "14:0-5", "15:0-6", "16:0-5",
            "18:0-4", "19:2-7", "20:1-6", "21:0-2", "22:0-6", "23:2-4",
            "32:1-4", "33:0-2",
            "37:0-3", "42:0-2", "43:0-2", "44:0-1", "45:0-1", "46:0-0", "47:0-0", "55:0-2", "60:0-2", "68:0-1",
            "69:0-1", "75:0-0");

    @Test
    void apiVersionsOfAnUnknownVersionGetsAV0AnswerWithOurRanges() throws Exception {
        for (short version : new short[] {5, Short.MAX_VALUE}) {
            try (RawConnection connection = new RawConnection(port)) {
                // The body of an unknown version is opaque; send something a newer client might.
                connection.write(Frames.requestWithRawBody(ApiKey.API_VERSIONS, version, 77, new byte[] {3, 'a', 'b', 2, '1', 0}));
                ByteBuffer frame = connection.receiveFrame();
                // Header v0 (just the correlation id), body v0 (error code, ranges), nothing else.
                Frames.Response<ApiVersionsResponseData> r = Frames.response(frame, ApiKey.API_VERSIONS, (short) 0);
                assertThat(r.correlationId()).isEqualTo(77);
                assertThat(r.body().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
                assertThat(ranges(r.body().apiKeys())).isEqualTo(OUR_RANGES);
                // The connection stays usable: the client retries in a version we share.
                ApiVersionsResponseData retry = connection.roundTrip(ApiKey.API_VERSIONS, (short) 4,
                        new ApiVersionsRequestData().setClientSoftwareName("x").setClientSoftwareVersion("1"));
                assertThat(retry.errorCode()).isZero();
            }
        }
    }

    @Test
    void apiVersionsListsExactlyWhatWeServeInEveryVersion() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            for (short version = 0; version <= 4; version++) {
                ApiVersionsResponseData r = connection.roundTrip(ApiKey.API_VERSIONS, version, new ApiVersionsRequestData()
                        .setClientSoftwareName("apache-kafka-java").setClientSoftwareVersion("4.3.1"));
                assertThat(r.errorCode()).as("v%d", version).isZero();
                assertThat(ranges(r.apiKeys())).as("v%d", version).isEqualTo(OUR_RANGES);
            }
        }
    }

    @Test
    void apiVersionsV3WithAnInvalidClientSoftwareNameIsAnInvalidRequest() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            ApiVersionsResponseData r = connection.roundTrip(ApiKey.API_VERSIONS, (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("bad name!").setClientSoftwareVersion("1.0"));
            assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(r.apiKeys()).isEmpty();
        }
    }

    @Test
    void everyMetadataVersionDescribesThisNodeAndUnknownTopics() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            for (short version = 0; version <= 13; version++) {
                MetadataRequestData request = new MetadataRequestData().setTopics(List.of(
                        new MetadataRequestData.MetadataRequestTopic().setName("no-such-topic"),
                        new MetadataRequestData.MetadataRequestTopic().setName("bad/name")));
                MetadataResponseData r = connection.roundTrip(ApiKey.METADATA, version, request);
                assertThat(r.brokers()).as("v%d", version).singleElement().satisfies(b -> {
                    assertThat(b.nodeId()).isEqualTo(7);
                    assertThat(b.host()).isEqualTo("127.0.0.1");
                    assertThat(b.port()).isEqualTo(port);
                });
                if (version >= 1) {
                    assertThat(r.controllerId()).as("v%d", version).isEqualTo(7);
                }
                if (version >= 2) {
                    assertThat(r.clusterId()).as("v%d", version).isEqualTo(node.clusterId());
                }
                assertThat(r.topics()).as("v%d", version).hasSize(2);
                assertThat(r.topics().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                assertThat(r.topics().get(0).name()).isEqualTo("no-such-topic");
                assertThat(r.topics().get(1).errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
                if (version >= 8) {
                    assertThat(r.topics().get(0).topicAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
                }
            }
        }
    }

    @Test
    void metadataForAllTopicsIsEmptyForNow() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            MetadataResponseData v0 = connection.roundTrip(ApiKey.METADATA, (short) 0, new MetadataRequestData().setTopics(List.of()));
            assertThat(v0.topics()).isEmpty();
            MetadataResponseData v13 = connection.roundTrip(ApiKey.METADATA, (short) 13, new MetadataRequestData().setTopics(null));
            assertThat(v13.topics()).isEmpty();
            assertThat(v13.brokers()).hasSize(1);
        }
    }

    @Test
    void everyDescribeClusterVersionDescribesThisNode() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            for (short version = 0; version <= 2; version++) {
                var r = connection.<io.fjord.protocol.message.DescribeClusterResponseData>roundTrip(ApiKey.DESCRIBE_CLUSTER,
                        version, new io.fjord.protocol.message.DescribeClusterRequestData());
                assertThat(r.errorCode()).as("v%d", version).isZero();
                assertThat(r.clusterId()).isEqualTo(node.clusterId());
                assertThat(r.controllerId()).isEqualTo(7);
                assertThat(r.brokers()).singleElement().satisfies(b -> {
                    assertThat(b.brokerId()).isEqualTo(7);
                    assertThat(b.port()).isEqualTo(port);
                });
            }
        }
    }

    @Test
    void describeClusterForControllersOnABrokerListenerIsAMismatchedEndpointType() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            ApiMessage request = new io.fjord.protocol.message.DescribeClusterRequestData().setEndpointType((byte) 2);
            io.fjord.protocol.message.DescribeClusterResponseData r = connection.roundTrip(ApiKey.DESCRIBE_CLUSTER, (short) 1, request);
            assertThat(r.errorCode()).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code());
            assertThat(r.errorMessage()).isNotBlank();
            assertThat(r.brokers()).isEmpty();

            request = new io.fjord.protocol.message.DescribeClusterRequestData().setEndpointType((byte) 9);
            r = connection.roundTrip(ApiKey.DESCRIBE_CLUSTER, (short) 2, request);
            assertThat(r.errorCode()).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code());
        }
    }
}
