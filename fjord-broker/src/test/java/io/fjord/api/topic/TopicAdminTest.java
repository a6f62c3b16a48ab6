package io.fjord.api.topic;

import static io.fjord.testing.KafkaClients.failure;
import static io.fjord.testing.KafkaClients.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic administration through the Java AdminClient, against one node, checked against Kafka's answers. */
class TopicAdminTest {
    private static final int NODE_ID = 3;

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static Admin admin;

    @BeforeAll
    static void start() {
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, String.valueOf(NODE_ID), NodeConfig.NUM_PARTITIONS, "2",
                "log.segment.delete.delay.ms", "0");
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

    private static void assertOnThisNode(TopicDescription description, int partitions) {
        assertThat(description.partitions()).hasSize(partitions);
        for (TopicPartitionInfo p : description.partitions()) {
            assertThat(p.leader().id()).isEqualTo(NODE_ID);
            assertThat(p.replicas()).extracting(n -> n.id()).containsExactly(NODE_ID);
            assertThat(p.isr()).extracting(n -> n.id()).containsExactly(NODE_ID);
        }
    }

    @Test
    void createdTopicsAreDescribedByNameAndIdWithTheirConfigs() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(
                new NewTopic("described", 3, (short) 1).configs(Map.of("retention.ms", "3600000", "cleanup.policy", "compact")),
                new NewTopic("defaulted", Optional.empty(), Optional.empty())));
        get(created.all());
        Uuid id = get(created.topicId("described"));
        assertThat(id).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(get(created.numPartitions("described"))).isEqualTo(3);
        assertThat(get(created.replicationFactor("described"))).isEqualTo(1);
        assertThat(get(created.numPartitions("defaulted"))).isEqualTo(2);
        Config config = get(created.config("described"));
        assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");

        TopicDescription byName = get(admin.describeTopics(List.of("described")).allTopicNames()).get("described");
        assertThat(byName.topicId()).isEqualTo(id);
        assertThat(byName.isInternal()).isFalse();
        assertOnThisNode(byName, 3);

        TopicDescription byId = get(admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds()).get(id);
        assertThat(byId.name()).isEqualTo("described");
        assertOnThisNode(byId, 3);

        assertThat(get(admin.listTopics().listings())).extracting(TopicListing::name).contains("described", "defaulted");
        assertThat(dataDir.resolve("described-2")).isDirectory();
    }

    @Test
    void validateOnlyCreatesNothingButAnswersAsIfItDid() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("only-validated", 4, (short) 1)),
                new CreateTopicsOptions().validateOnly(true));
        get(result.all());
        assertThat(get(result.numPartitions("only-validated"))).isEqualTo(4);
        assertThat(get(admin.listTopics().names())).doesNotContain("only-validated");
        assertThat(failure(admin.describeTopics(List.of("only-validated")).allTopicNames()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(dataDir.resolve("only-validated-0")).doesNotExist();

        CreateTopicsResult invalid = admin.createTopics(List.of(new NewTopic("only-validated", 0, (short) 1)),
                new CreateTopicsOptions().validateOnly(true));
        assertThat(failure(invalid.all())).isInstanceOf(InvalidPartitionsException.class);
    }

    @Test
    void badRequestsGetKafkasExceptions() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("taken", 1, (short) 1))).all());
        get(admin.createTopics(List.of(new NewTopic("dotted.name", 1, (short) 1))).all());
        CreateTopicsResult result = admin.createTopics(List.of(
                new NewTopic("taken", 1, (short) 1),
                new NewTopic("bad/name", 1, (short) 1),
                new NewTopic("dotted_name", 1, (short) 1),
                new NewTopic("zero-partitions", 0, (short) 1),
                new NewTopic("three-replicas", 1, (short) 3),
                new NewTopic("zero-replicas", 1, (short) 0),
                new NewTopic("bad-config", 1, (short) 1).configs(Map.of("retention.ms", "forever")),
                new NewTopic("unknown-config", 1, (short) 1).configs(Map.of("retention.days", "1")),
                new NewTopic("other-broker", Map.of(0, List.of(NODE_ID + 1))),
                new NewTopic("metadata-log", 1, (short) 1)));
        assertThat(failure(result.values().get("taken"))).isInstanceOf(TopicExistsException.class);
        assertThat(failure(result.values().get("bad/name"))).isInstanceOf(InvalidTopicException.class);
        assertThat(failure(result.values().get("dotted_name"))).isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("collides");
        assertThat(failure(result.values().get("zero-partitions"))).isInstanceOf(InvalidPartitionsException.class);
        assertThat(failure(result.values().get("three-replicas"))).isInstanceOf(InvalidReplicationFactorException.class);
        assertThat(failure(result.values().get("zero-replicas"))).isInstanceOf(InvalidReplicationFactorException.class);
        assertThat(failure(result.values().get("bad-config"))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.ms").hasMessageContaining("forever");
        assertThat(failure(result.values().get("unknown-config"))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.days");
        assertThat(failure(result.values().get("other-broker"))).isInstanceOf(InvalidReplicaAssignmentException.class);
        get(result.values().get("metadata-log"));

        assertThat(failure(admin.createTopics(List.of(new NewTopic("__cluster_metadata", 1, (short) 1))).all()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(get(admin.listTopics().names())).doesNotContain("bad-config", "three-replicas", "other-broker");
    }

    @Test
    void manualAssignmentToThisNodeWorks() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("placed", Map.of(0, List.of(NODE_ID), 1, List.of(NODE_ID))))).all());
        assertOnThisNode(get(admin.describeTopics(List.of("placed")).allTopicNames()).get("placed"), 2);
    }

    @Test
    void topicsAreDeletedByNameAndById() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(
                new NewTopic("delete-by-name", 2, (short) 1), new NewTopic("delete-by-id", 1, (short) 1)));
        get(created.all());
        Uuid id = get(created.topicId("delete-by-id"));

        get(admin.deleteTopics(List.of("delete-by-name")).all());
        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all());
        assertThat(get(admin.listTopics().names())).doesNotContain("delete-by-name", "delete-by-id");
        assertThat(node.partitions().partition("delete-by-name", 0)).isNull();
        assertThat(node.partitions().partition(new java.util.UUID(id.getMostSignificantBits(),
                id.getLeastSignificantBits()), 0)).isNull();
        awaitGone("delete-by-name-0");

        assertThat(failure(admin.deleteTopics(List.of("delete-by-name")).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(failure(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all()))
                .isInstanceOf(UnknownTopicIdException.class);

        // The name is free again, for a new topic with a new id and empty logs.
        CreateTopicsResult again = admin.createTopics(List.of(new NewTopic("delete-by-id", 1, (short) 1)));
        assertThat(get(again.topicId("delete-by-id"))).isNotEqualTo(id);
    }

    private static void awaitGone(String dirName) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(dataDir)) {
                if (files.noneMatch(p -> p.getFileName().toString().startsWith(dirName))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(dirName + " still on disk");
    }

    @Test
    void partitionsOnlyEverGrow() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("growing", 1, (short) 1))).all());
        get(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4))).all());
        TopicDescription grown = get(admin.describeTopics(List.of("growing")).allTopicNames()).get("growing");
        assertOnThisNode(grown, 4);
        assertThat(node.partitions().partition("growing", 3)).isNotNull();

        assertThat(failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4))).all()))
                .isInstanceOf(InvalidPartitionsException.class).hasMessageContaining("already has 4");
        assertThat(failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(2))).all()))
                .isInstanceOf(InvalidPartitionsException.class);
        assertThat(failure(admin.createPartitions(Map.of("no-such-topic", NewPartitions.increaseTo(2))).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(failure(admin.createPartitions(Map.of("growing",
                NewPartitions.increaseTo(5, List.of(List.of(NODE_ID + 1))))).all()))
                .isInstanceOf(InvalidReplicaAssignmentException.class);

        get(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(6)),
                new org.apache.kafka.clients.admin.CreatePartitionsOptions().validateOnly(true)).all());
        assertThat(get(admin.describeTopics(List.of("growing")).allTopicNames()).get("growing").partitions()).hasSize(4);
    }

    @Test
    void unknownTopicsAreReportedByDescribe() {
        assertThat(failure(admin.describeTopics(List.of("never-created")).allTopicNames()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(failure(admin.describeTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid()))).allTopicIds()))
                .isInstanceOf(UnknownTopicIdException.class);
        assertThatThrownBy(() -> get(admin.describeTopics(List.of("bad name")).allTopicNames()))
                .hasCauseInstanceOf(InvalidTopicException.class);
    }
}
