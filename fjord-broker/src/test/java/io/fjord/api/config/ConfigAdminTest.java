package io.fjord.api.config;

import static io.fjord.testing.KafkaClients.failure;
import static io.fjord.testing.KafkaClients.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.AlterConfigsRequestData;
import io.fjord.protocol.message.AlterConfigsResponseData;
import io.fjord.protocol.message.ApiKey;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic and broker configs through the Java AdminClient (and the legacy AlterConfigs by hand), as Kafka reports them. */
class ConfigAdminTest {
    private static final int NODE_ID = 5;
    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(NODE_ID));
    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static Admin admin;

    @BeforeAll
    static void start() {
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, String.valueOf(NODE_ID), "log.retention.hours", "48",
                "message.max.bytes", "2000000");
        admin = KafkaClients.admin(TestNodes.port(node));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static Config describe(ConfigResource resource) throws Exception {
        return get(admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)).all())
                .get(resource);
    }

    private static ConfigResource topic(String name) throws Exception {
        get(admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all());
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static void alter(ConfigResource resource, AlterConfigOp... ops) throws Exception {
        get(admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all());
    }

    private static AlterConfigOp op(String name, String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(name, value), type);
    }

    @Test
    void topicConfigsShowEffectiveValuesAndWhereTheyComeFrom() throws Exception {
        ConfigResource topic = topic("described-configs");
        Config config = describe(topic);

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo(Long.toString(48 * 3_600_000L));
        assertThat(retention.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(retention.synonyms()).extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("log.retention.hours", "48"),
                        org.assertj.core.groups.Tuple.tuple("log.retention.hours", "168"));
        assertThat(retention.type()).isEqualTo(ConfigEntry.ConfigType.LONG);
        assertThat(retention.isReadOnly()).isFalse();
        assertThat(retention.isSensitive()).isFalse();

        assertThat(config.get("max.message.bytes").value()).isEqualTo("2000000");
        ConfigEntry segment = config.get("segment.bytes");
        assertThat(segment.value()).isEqualTo("1073741824");
        assertThat(segment.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(segment.synonyms()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("log.segment.bytes");
            assertThat(s.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        });
        assertThat(config.get("cleanup.policy").type()).isEqualTo(ConfigEntry.ConfigType.LIST);
        assertThat(config.get("compression.type").value()).isEqualTo("producer");
        assertThat(config.get("message.timestamp.type").value()).isEqualTo("CreateTime");
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");

        Config documented = get(admin.describeConfigs(List.of(topic), new DescribeConfigsOptions().includeDocumentation(true))
                .all()).get(topic);
        assertThat(documented.get("segment.ms").documentation()).isNotBlank();
    }

    @Test
    void incrementalAlterSetsDeletesAppendsAndSubtracts() throws Exception {
        ConfigResource topic = topic("altered-configs");
        alter(topic, op("retention.ms", "60000", AlterConfigOp.OpType.SET),
                op("compression.type", "zstd", AlterConfigOp.OpType.SET),
                op("cleanup.policy", "compact", AlterConfigOp.OpType.APPEND));
        Config config = describe(topic);
        assertThat(config.get("retention.ms").value()).isEqualTo("60000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("retention.ms").synonyms().get(0).source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");
        assertThat(node.partitions().partition("altered-configs", 0).config().log().retentionMs()).isEqualTo(60000);

        alter(topic, op("retention.ms", null, AlterConfigOp.OpType.DELETE),
                op("cleanup.policy", "delete", AlterConfigOp.OpType.SUBTRACT));
        config = describe(topic);
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(config.get("compression.type").value()).isEqualTo("zstd");
        assertThat(node.partitions().partition("altered-configs", 0).config().log().retentionMs()).isEqualTo(-1);
    }

    @Test
    void invalidChangesAreRefusedWholeAndNameTheKey() throws Exception {
        ConfigResource topic = topic("guarded-configs");
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                op("segment.ms", "1000", AlterConfigOp.OpType.SET),
                op("segment.bytes", "ten", AlterConfigOp.OpType.SET)))).all()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("segment.bytes").hasMessageContaining("ten");
        assertThat(describe(topic).get("segment.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);

        assertThat(failure(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                op("retention.ms", "1", AlterConfigOp.OpType.APPEND)))).all()))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                op("compression.type", "none", AlterConfigOp.OpType.SET)))).all()))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(
                new ConfigResource(ConfigResource.Type.TOPIC, "no-such-topic"),
                List.of(op("retention.ms", "1", AlterConfigOp.OpType.SET)))).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(failure(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "no-such-topic")))
                .all())).isInstanceOf(UnknownTopicOrPartitionException.class);

        get(admin.incrementalAlterConfigs(Map.of(topic, List.of(op("flush.ms", "10", AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all());
        assertThat(describe(topic).get("flush.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void brokerConfigsListStaticDefaultAndDynamicValues() throws Exception {
        Config config = describe(BROKER);
        ConfigEntry partitions = config.get("num.partitions");
        assertThat(partitions.value()).isEqualTo("1");
        assertThat(partitions.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(partitions.isReadOnly()).isTrue();
        assertThat(config.get("node.id").value()).isEqualTo(String.valueOf(NODE_ID));
        assertThat(config.get("node.id").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("log.retention.hours").value()).isEqualTo("48");
        assertThat(config.get("message.max.bytes").value()).isEqualTo("2000000");
        assertThat(config.get("message.max.bytes").isReadOnly()).isFalse();
        assertThat(config.get("log.retention.check.interval.ms").value()).isEqualTo("300000");
    }

    @Test
    void dynamicBrokerConfigsApplyToTopicsWithoutOverrides() throws Exception {
        ConfigResource topic = topic("inherits-broker-configs");
        alter(CLUSTER_DEFAULT, op("log.segment.bytes", "5000000", AlterConfigOp.OpType.SET));
        alter(BROKER, op("log.message.timestamp.type", "LogAppendTime", AlterConfigOp.OpType.SET));
        try {
            Config topicConfig = describe(topic);
            assertThat(topicConfig.get("segment.bytes").value()).isEqualTo("5000000");
            assertThat(topicConfig.get("segment.bytes").source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(topicConfig.get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
            assertThat(topicConfig.get("message.timestamp.type").source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
            assertThat(node.partitions().partition("inherits-broker-configs", 0).config().log().segmentBytes())
                    .isEqualTo(5_000_000);

            Config clusterDefault = describe(CLUSTER_DEFAULT);
            assertThat(clusterDefault.entries()).extracting(ConfigEntry::name).containsExactly("log.segment.bytes");
            assertThat(clusterDefault.get("log.segment.bytes").source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(describe(BROKER).get("log.message.timestamp.type").source())
                    .isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);

            // Read-only broker configs and other brokers cannot be changed here.
            assertThat(failure(admin.incrementalAlterConfigs(Map.of(BROKER,
                    List.of(op("num.partitions", "4", AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("num.partitions");
            assertThat(failure(admin.incrementalAlterConfigs(Map.of(BROKER,
                    List.of(op("log.segment.bytes", "1", AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("log.segment.bytes");
        } finally {
            alter(CLUSTER_DEFAULT, op("log.segment.bytes", null, AlterConfigOp.OpType.DELETE));
            alter(BROKER, op("log.message.timestamp.type", null, AlterConfigOp.OpType.DELETE));
        }
        assertThat(describe(topic).get("segment.bytes").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(describe(CLUSTER_DEFAULT).entries()).isEmpty();
    }

    @Test
    void legacyAlterConfigsReplacesTheWholeSet() throws Exception {
        ConfigResource topic = topic("legacy-altered");
        alter(topic, op("retention.ms", "1000", AlterConfigOp.OpType.SET), op("flush.ms", "5", AlterConfigOp.OpType.SET));

        AlterConfigsRequestData request = new AlterConfigsRequestData().setResources(new ArrayList<>(List.of(
                resource(ConfigResource.Type.TOPIC, "legacy-altered", Map.of("segment.ms", "7000")),
                resource(ConfigResource.Type.TOPIC, "missing-topic", Map.of("segment.ms", "7000")),
                resource(ConfigResource.Type.TOPIC, "legacy-altered-bad", Map.of("segment.ms", "0")))));
        try (RawConnection connection = new RawConnection(TestNodes.port(node))) {
            AlterConfigsResponseData response = connection.roundTrip(ApiKey.ALTER_CONFIGS, (short) 2, request);
            assertThat(response.responses()).extracting(AlterConfigsResponseData.AlterConfigsResourceResponse::errorCode)
                    .containsExactly(Errors.NONE.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                            Errors.INVALID_CONFIG.code());
        }
        Config config = describe(topic);
        assertThat(config.get("segment.ms").value()).isEqualTo("7000");
        assertThat(config.get("retention.ms").source()).isNotEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("flush.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
    }

    private static AlterConfigsRequestData.AlterConfigsResource resource(ConfigResource.Type type, String name,
                                                                         Map<String, String> configs) {
        Collection<AlterConfigsRequestData.AlterableConfig> list = new ArrayList<>();
        configs.forEach((k, v) -> list.add(new AlterConfigsRequestData.AlterableConfig().setName(k).setValue(v)));
        return new AlterConfigsRequestData.AlterConfigsResource().setResourceType(type.id()).setResourceName(name)
                .setConfigs(new ArrayList<>(list));
    }
}
