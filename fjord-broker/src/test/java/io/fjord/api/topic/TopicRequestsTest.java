package io.fjord.api.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.metadata.TopicIds;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.CreateTopicsRequestData;
import io.fjord.protocol.message.CreateTopicsRequestData.CreatableTopic;
import io.fjord.protocol.message.CreateTopicsResponseData;
import io.fjord.protocol.message.CreateTopicsResponseData.CreatableTopicResult;
import io.fjord.protocol.message.DeleteTopicsRequestData;
import io.fjord.protocol.message.DeleteTopicsRequestData.DeleteTopicState;
import io.fjord.protocol.message.DeleteTopicsResponseData;
import io.fjord.protocol.message.DeleteTopicsResponseData.DeletableTopicResult;
import io.fjord.protocol.message.DescribeTopicPartitionsRequestData;
import io.fjord.protocol.message.DescribeTopicPartitionsRequestData.TopicRequest;
import io.fjord.protocol.message.DescribeTopicPartitionsResponseData;
import io.fjord.protocol.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataRequestData.MetadataRequestTopic;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.message.MetadataResponseData.MetadataResponseTopic;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topic APIs spoken to in raw requests, for what the Java client does not send or does not show. */
class TopicRequestsTest {
    @TempDir
    static Path dataDir;
    static FjordNode node;

    @BeforeAll
    static void start() {
        node = TestNodes.start(dataDir, NodeConfig.NUM_PARTITIONS, "3");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static RawConnection connect() throws Exception {
        return new RawConnection(TestNodes.port(node));
    }

    private static CreatableTopic creatable(String name, int partitions) {
        return new CreatableTopic().setName(name).setNumPartitions(partitions).setReplicationFactor((short) -1);
    }

    private static CreateTopicsResponseData create(short version, CreatableTopic... topics) throws Exception {
        try (RawConnection connection = connect()) {
            return connection.roundTrip(ApiKey.CREATE_TOPICS, version,
                    new CreateTopicsRequestData().setTopics(new ArrayList<>(List.of(topics))).settimeoutMs(10_000));
        }
    }

    private static CreatableTopicResult result(CreateTopicsResponseData response, String name) {
        return response.topics().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void createTopicsAnswersInEveryVersion() throws Exception {
        for (short version = 2; version <= 7; version++) {
            String name = "created-v" + version;
            CreatableTopicResult result = result(create(version, creatable(name, -1)), name);
            assertThat(result.errorCode()).as("v%d", version).isEqualTo(Errors.NONE.code());
            if (version >= 5) {
                assertThat(result.numPartitions()).isEqualTo(3);
                assertThat(result.replicationFactor()).isEqualTo((short) 1);
                assertThat(result.configs()).extracting(c -> c.name()).contains("retention.ms", "cleanup.policy");
            }
            if (version >= 7) {
                assertThat(result.topicId()).isEqualTo(node.metadata().image().topic(name).topicId());
            }
        }
    }

    @Test
    void duplicatesAndTimeoutsAreRefusedLikeKafka() throws Exception {
        CreateTopicsResponseData response = create((short) 7, creatable("twice", 1), creatable("twice", 1),
                creatable("once", 1));
        assertThat(response.topics()).hasSize(2);
        assertThat(result(response, "twice").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(result(response, "twice").errorMessage()).isEqualTo("Duplicate topic name.");
        assertThat(result(response, "once").errorCode()).isEqualTo(Errors.NONE.code());

        try (RawConnection connection = connect()) {
            CreateTopicsResponseData late = connection.roundTrip(ApiKey.CREATE_TOPICS, (short) 7,
                    new CreateTopicsRequestData().setTopics(new ArrayList<>(List.of(creatable("too-late", 1))))
                            .settimeoutMs(-1));
            assertThat(late.topics().get(0).errorCode()).isEqualTo(Errors.REQUEST_TIMED_OUT.code());
        }
        assertThat(node.metadata().image().topic("too-late")).isNull();

        CreatableTopic nullConfig = creatable("null-config", 1);
        nullConfig.configs().add(new CreateTopicsRequestData.CreatableTopicConfig().setName("retention.ms").setValue(null));
        assertThat(create((short) 7, nullConfig).topics().get(0).errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
    }

    @Test
    void deleteTopicsSortsOutNamesIdsAndDuplicates() throws Exception {
        create((short) 7, creatable("del-a", 1), creatable("del-b", 1), creatable("del-c", 1));
        UUID b = node.metadata().image().topic("del-b").topicId();
        UUID c = node.metadata().image().topic("del-c").topicId();
        UUID unknown = UUID.randomUUID();
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(10_000).setTopics(new ArrayList<>(List.of(
                new DeleteTopicState().setName("del-a").setTopicId(TopicIds.ZERO),
                new DeleteTopicState().setName(null).setTopicId(b),
                new DeleteTopicState().setName("del-c").setTopicId(c),
                new DeleteTopicState().setName(null).setTopicId(unknown),
                new DeleteTopicState().setName("never-was").setTopicId(TopicIds.ZERO),
                new DeleteTopicState().setName(null).setTopicId(TopicIds.ZERO))));
        DeleteTopicsResponseData response;
        try (RawConnection connection = connect()) {
            response = connection.roundTrip(ApiKey.DELETE_TOPICS, (short) 6, request);
        }
        assertThat(response.responses()).hasSize(6);
        assertThat(find(response, "del-a", TopicIds.ZERO).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(find(response, "del-b", b).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(find(response, "del-c", c).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(find(response, null, unknown).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        assertThat(find(response, "never-was", TopicIds.ZERO).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(node.metadata().image().topic("del-a")).isNull();
        assertThat(node.metadata().image().topic("del-b")).isNull();
        assertThat(node.metadata().image().topic("del-c")).isNotNull();

        try (RawConnection connection = connect()) {
            DeleteTopicsResponseData v1 = connection.roundTrip(ApiKey.DELETE_TOPICS, (short) 1,
                    new DeleteTopicsRequestData().setTopicNames(new ArrayList<>(List.of("del-c", "del-c"))).setTimeoutMs(1000));
            assertThat(v1.responses()).singleElement().satisfies(r -> assertThat(r.errorCode())
                    .isEqualTo(Errors.INVALID_REQUEST.code()));
        }
    }

    private static DeletableTopicResult find(DeleteTopicsResponseData response, String name, UUID id) {
        return response.responses().stream()
                .filter(r -> java.util.Objects.equals(r.name(), name) && (name != null || r.topicId().equals(id)))
                .findFirst().orElseThrow(() -> new AssertionError("no answer for " + name + "/" + id + ": " + response));
    }

    @Test
    void describeTopicPartitionsPagesWithACursor() throws Exception {
        create((short) 7, creatable("page-a", 3), creatable("page-b", 2), creatable("page-c", 1));
        DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData()
                .setTopics(new ArrayList<>(List.of(new TopicRequest().setName("page-c"), new TopicRequest().setName("page-a"),
                        new TopicRequest().setName("page-b"), new TopicRequest().setName("page-missing"))))
                .setResponsePartitionLimit(2);
        List<String> seen = new ArrayList<>();
        try (RawConnection connection = connect()) {
            for (int round = 0; round < 10; round++) {
                DescribeTopicPartitionsResponseData response = connection.roundTrip(ApiKey.DESCRIBE_TOPIC_PARTITIONS,
                        (short) 0, request);
                for (DescribeTopicPartitionsResponseTopic topic : response.topics()) {
                    if (topic.errorCode() != Errors.NONE.code()) {
                        seen.add(topic.name() + ":" + Errors.forCode(topic.errorCode()));
                        continue;
                    }
                    assertThat(topic.topicId()).isEqualTo(node.metadata().image().topic(topic.name()).topicId());
                    topic.partitions().forEach(p -> {
                        assertThat(p.leaderId()).isEqualTo(node.nodeId());
                        seen.add(topic.name() + "-" + p.partitionIndex());
                    });
                }
                if (response.nextCursor() == null) {
                    break;
                }
                request.setCursor(new DescribeTopicPartitionsRequestData.Cursor()
                        .setTopicName(response.nextCursor().topicName())
                        .setPartitionIndex(response.nextCursor().partitionIndex()));
            }
        }
        assertThat(seen).containsExactly("page-a-0", "page-a-1", "page-a-2", "page-b-0", "page-b-1", "page-c-0",
                "page-missing:UNKNOWN_TOPIC_OR_PARTITION");
    }

    @Test
    void metadataCreatesUnknownTopicsWhenAllowedAndListsThemNextTime() throws Exception {
        MetadataRequestData ask = new MetadataRequestData().setAllowAutoTopicCreation(true)
                .setTopics(new ArrayList<>(List.of(new MetadataRequestTopic().setName("auto-made"))));
        MetadataRequestData noCreate = new MetadataRequestData().setAllowAutoTopicCreation(false)
                .setTopics(new ArrayList<>(List.of(new MetadataRequestTopic().setName("not-made"))));
        try (RawConnection connection = connect()) {
            MetadataResponseTopic first = ((MetadataResponseData) connection.roundTrip(ApiKey.METADATA, (short) 12, ask))
                    .topics().get(0);
            assertThat(first.errorCode()).isEqualTo(Errors.LEADER_NOT_AVAILABLE.code());
            MetadataResponseTopic listed = awaitListed(connection, ask);
            assertThat(listed.partitions()).hasSize(3);
            assertThat(listed.topicId()).isEqualTo(node.metadata().image().topic("auto-made").topicId());

            MetadataResponseTopic refused = ((MetadataResponseData) connection.roundTrip(ApiKey.METADATA, (short) 12,
                    noCreate)).topics().get(0);
            assertThat(refused.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        assertThat(node.metadata().image().topic("not-made")).isNull();
    }

    private static MetadataResponseTopic awaitListed(RawConnection connection, MetadataRequestData ask) throws Exception {
        for (int i = 0; i < 100; i++) {
            MetadataResponseTopic topic = ((MetadataResponseData) connection.roundTrip(ApiKey.METADATA, (short) 12, ask))
                    .topics().get(0);
            if (topic.errorCode() == Errors.NONE.code()) {
                return topic;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("auto-created topic never listed");
    }
}
