package io.fjord.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.config.ConfigSource;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.AlterConfigsRequestData;
import io.fjord.protocol.message.AlterConfigsResponseData;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.CreatePartitionsRequestData;
import io.fjord.protocol.message.CreatePartitionsResponseData;
import io.fjord.protocol.message.CreateTopicsRequestData;
import io.fjord.protocol.message.CreateTopicsResponseData;
import io.fjord.protocol.message.DeleteTopicsRequestData;
import io.fjord.protocol.message.DeleteTopicsResponseData;
import io.fjord.protocol.message.DescribeConfigsRequestData;
import io.fjord.protocol.message.DescribeConfigsResponseData;
import io.fjord.protocol.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import io.fjord.protocol.message.IncrementalAlterConfigsRequestData;
import io.fjord.protocol.message.IncrementalAlterConfigsResponseData;
import io.fjord.server.FjordNode;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every version of the config and topic administration APIs, in raw requests, including the checks the Java client never trips. */
class ConfigRequestsTest {
    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;
    private static final byte BROKER_LOGGER = 8;

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static RawConnection connection;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(dataDir);
        connection = new RawConnection(TestNodes.port(node));
        CreateTopicsResponseData created = connection.roundTrip(ApiKey.CREATE_TOPICS, (short) 7, new CreateTopicsRequestData()
                .settimeoutMs(10_000).setTopics(new ArrayList<>(List.of(new CreateTopicsRequestData.CreatableTopic()
                        .setName("configured").setNumPartitions(1).setReplicationFactor((short) 1)))));
        assertThat(created.topics().get(0).errorCode()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static DescribeConfigsRequestData.DescribeConfigsResource describe(byte type, String name, String... keys) {
        return new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type).setResourceName(name)
                .setConfigurationKeys(keys.length == 0 ? null : new ArrayList<>(List.of(keys)));
    }

    @Test
    void describeConfigsInEveryVersion() throws Exception {
        for (short version = 1; version <= 4; version++) {
            DescribeConfigsResponseData response = connection.roundTrip(ApiKey.DESCRIBE_CONFIGS, version,
                    new DescribeConfigsRequestData().setIncludeSynonyms(true).setIncludeDocumentation(version >= 3)
                            .setResources(new ArrayList<>(List.of(
                                    describe(TOPIC, "configured", "retention.ms", "segment.bytes"),
                                    describe(TOPIC, "missing"),
                                    describe(TOPIC, "bad name"),
                                    describe(BROKER, String.valueOf(node.nodeId()), "num.partitions"),
                                    describe(BROKER, "42"),
                                    describe(BROKER, "not-a-number"),
                                    describe(BROKER_LOGGER, String.valueOf(node.nodeId()))))));
            List<DescribeConfigsResponseData.DescribeConfigsResult> results = response.results();
            assertThat(results).extracting(r -> Errors.forCode(r.errorCode())).as("v%d", version).containsExactly(
                    Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.INVALID_TOPIC_EXCEPTION, Errors.NONE,
                    Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST);
            assertThat(results.get(0).configs()).extracting(DescribeConfigsResourceResult::name)
                    .containsExactly("retention.ms", "segment.bytes");
            DescribeConfigsResourceResult retention = results.get(0).configs().get(0);
            assertThat(retention.value()).isEqualTo("604800000");
            assertThat(retention.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id);
            assertThat(retention.synonyms()).isNotEmpty();
            if (version >= 3) {
                assertThat(retention.configType()).isEqualTo((byte) 5);
                assertThat(retention.documentation()).isNotBlank();
            }
            assertThat(results.get(3).configs()).singleElement().satisfies(c -> assertThat(c.readOnly()).isTrue());
        }
    }

    @Test
    void alterConfigsInEveryVersionRefusesMalformedResources() throws Exception {
        for (short version = 0; version <= 2; version++) {
            AlterConfigsRequestData request = new AlterConfigsRequestData().setResources(new ArrayList<>(List.of(
                    legacy(TOPIC, "configured", "retention.ms", "5000"),
                    legacy(BROKER, "42", "log.retention.ms", "1"),
                    legacy(BROKER_LOGGER, "1", "root", "DEBUG"),
                    legacy(TOPIC, "configured-twice", "retention.ms", "1"),
                    legacy(TOPIC, "configured-twice", "retention.ms", "2"),
                    legacy(TOPIC, "null-valued", "retention.ms", null))));
            AlterConfigsResponseData response = connection.roundTrip(ApiKey.ALTER_CONFIGS, version, request);
            assertThat(response.responses()).extracting(r -> Errors.forCode(r.errorCode())).as("v%d", version)
                    .containsExactly(Errors.NONE, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST,
                            Errors.INVALID_REQUEST, Errors.INVALID_REQUEST);
            assertThat(response.responses().get(3).errorMessage()).contains("at most once");
        }
        assertThat(node.metadata().image().topicConfigs("configured")).containsEntry("retention.ms", "5000");
    }

    private static AlterConfigsRequestData.AlterConfigsResource legacy(byte type, String name, String key, String value) {
        return new AlterConfigsRequestData.AlterConfigsResource().setResourceType(type).setResourceName(name)
                .setConfigs(new ArrayList<>(List.of(new AlterConfigsRequestData.AlterableConfig().setName(key).setValue(value))));
    }

    @Test
    void incrementalAlterConfigsInEveryVersionChecksOperations() throws Exception {
        for (short version = 0; version <= 1; version++) {
            IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData().setResources(
                    new ArrayList<>(List.of(
                            incremental(TOPIC, "configured", op("flush.ms", (byte) 0, "100")),
                            incremental(TOPIC, "configured", op("flush.ms", (byte) 0, "100")),
                            incremental(TOPIC, "duplicate-keys", op("flush.ms", (byte) 0, "1"), op("flush.ms", (byte) 1, null)),
                            incremental(TOPIC, "bad-op", op("flush.ms", (byte) 9, "1")),
                            incremental(TOPIC, "null-set", op("flush.ms", (byte) 0, null)),
                            incremental(BROKER, "", op("log.retention.ms", (byte) 0, "86400000")))));
            IncrementalAlterConfigsResponseData response = connection.roundTrip(ApiKey.INCREMENTAL_ALTER_CONFIGS, version,
                    request);
            assertThat(response.responses()).extracting(r -> Errors.forCode(r.errorCode())).as("v%d", version)
                    .containsExactly(Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST,
                            Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.NONE);
        }
        assertThat(node.metadata().image().brokerConfigs("")).containsEntry("log.retention.ms", "86400000");
        IncrementalAlterConfigsResponseData reset = connection.roundTrip(ApiKey.INCREMENTAL_ALTER_CONFIGS, (short) 1,
                new IncrementalAlterConfigsRequestData().setResources(new ArrayList<>(List.of(
                        incremental(BROKER, "", op("log.retention.ms", (byte) 1, null))))));
        assertThat(reset.responses().get(0).errorCode()).isZero();
        assertThat(node.metadata().image().brokerConfigs("")).isEmpty();
    }

    private static IncrementalAlterConfigsRequestData.AlterConfigsResource incremental(byte type, String name,
            IncrementalAlterConfigsRequestData.AlterableConfig... configs) {
        return new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType(type).setResourceName(name)
                .setConfigs(new ArrayList<>(List.of(configs)));
    }

    private static IncrementalAlterConfigsRequestData.AlterableConfig op(String name, byte op, String value) {
        return new IncrementalAlterConfigsRequestData.AlterableConfig().setName(name).setConfigOperation(op).setValue(value);
    }

    @Test
    void createPartitionsAndDeleteTopicsInEveryVersion() throws Exception {
        for (short version = 0; version <= 3; version++) {
            String topic = "grown-v" + version;
            connection.roundTrip(ApiKey.CREATE_TOPICS, (short) 7, new CreateTopicsRequestData().settimeoutMs(10_000)
                    .setTopics(new ArrayList<>(List.of(new CreateTopicsRequestData.CreatableTopic().setName(topic)
                            .setNumPartitions(1).setReplicationFactor((short) 1)))));
            CreatePartitionsResponseData response = connection.roundTrip(ApiKey.CREATE_PARTITIONS, version,
                    new CreatePartitionsRequestData().setTimeoutMs(10_000).setTopics(new ArrayList<>(List.of(
                            new CreatePartitionsRequestData.CreatePartitionsTopic().setName(topic).setCount(2)
                                    .setAssignments(null),
                            new CreatePartitionsRequestData.CreatePartitionsTopic().setName("missing").setCount(2)
                                    .setAssignments(null)))));
            assertThat(response.results()).extracting(r -> Errors.forCode(r.errorCode())).as("v%d", version)
                    .containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(node.metadata().image().topic(topic).partitions()).hasSize(2);
        }
        for (short version = 1; version <= 5; version++) {
            String topic = "grown-v" + Math.min(version - 1, 3);
            DeleteTopicsResponseData response = connection.roundTrip(ApiKey.DELETE_TOPICS, version,
                    new DeleteTopicsRequestData().setTimeoutMs(10_000).setTopicNames(new ArrayList<>(List.of(topic, "missing"))));
            // The topic deleted in an earlier round is unknown now, like the one that never was.
            Errors expected = version <= 4 ? Errors.NONE : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            assertThat(response.responses()).extracting(r -> Errors.forCode(r.errorCode())).as("v%d", version)
                    .containsExactlyInAnyOrder(expected, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(node.metadata().image().topic(topic)).isNull();
        }
    }
}
