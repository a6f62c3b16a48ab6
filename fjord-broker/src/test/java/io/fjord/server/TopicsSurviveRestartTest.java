package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topics, their ids and configs, and dynamic broker configs are all still there after a restart on the same data. */
class TopicsSurviveRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void topicsAndConfigsSurviveARestart() throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "lasting");
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        Uuid id;
        try (FjordNode node = TestNodes.start(dataDir); Admin admin = KafkaClients.admin(TestNodes.port(node))) {
            CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("lasting", 2, (short) 1)
                    .configs(Map.of("retention.ms", "123456")), new NewTopic("deleted", 1, (short) 1)));
            created.all().get(15, TimeUnit.SECONDS);
            id = created.topicId("lasting").get();
            admin.incrementalAlterConfigs(Map.of(
                    topic, List.of(new AlterConfigOp(new ConfigEntry("segment.bytes", "2000000"), AlterConfigOp.OpType.SET)),
                    clusterDefault, List.of(new AlterConfigOp(new ConfigEntry("compression.type", "lz4"),
                            AlterConfigOp.OpType.SET)))).all().get(15, TimeUnit.SECONDS);
            admin.deleteTopics(List.of("deleted")).all().get(15, TimeUnit.SECONDS);
        }
        try (FjordNode node = TestNodes.start(dataDir); Admin admin = KafkaClients.admin(TestNodes.port(node))) {
            assertThat(admin.listTopics().names().get(15, TimeUnit.SECONDS)).containsExactly("lasting");
            TopicDescription description = admin.describeTopics(List.of("lasting")).allTopicNames()
                    .get(15, TimeUnit.SECONDS).get("lasting");
            assertThat(description.topicId()).isEqualTo(id);
            assertThat(description.partitions()).hasSize(2);

            Config config = admin.describeConfigs(List.of(topic)).all().get(15, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("retention.ms").value()).isEqualTo("123456");
            assertThat(config.get("segment.bytes").value()).isEqualTo("2000000");
            assertThat(config.get("compression.type").value()).isEqualTo("lz4");
            assertThat(config.get("compression.type").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(node.partitions().partition("lasting", 1).config().log().retentionMs()).isEqualTo(123456);
            assertThat(node.partitions().partition("lasting", 0).log().recoveryReport().cleanShutdown()).isTrue();
            assertThat(node.partitions().partition("deleted", 0)).isNull();
        }
    }

    @Test
    void aProducerAskingForAnUnknownTopicCreatesItWithTheDefaultPartitions() throws Exception {
        try (FjordNode node = TestNodes.start(dataDir, NodeConfig.NUM_PARTITIONS, "4");
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(TestNodes.port(node))) {
            List<PartitionInfo> partitions = producer.partitionsFor("made-on-first-use");
            assertThat(partitions).hasSize(4).allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(node.nodeId()));
            assertThat(node.partitions().partition("made-on-first-use", 3)).isNotNull();
        }
    }

    @Test
    void withAutoCreationOffUnknownTopicsStayUnknown() throws Exception {
        try (FjordNode node = TestNodes.start(dataDir, NodeConfig.AUTO_CREATE_TOPICS_ENABLE, "false");
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(TestNodes.port(node),
                     "max.block.ms", "1500")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> producer.partitionsFor("not-made"))
                    .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            assertThat(node.metadata().image().topic("not-made")).isNull();
        }
    }
}
