package io.fjord.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.metadata.AuthorizedOperations;
import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicInfo;
import io.fjord.network.Endpoint;
import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataRequestData.MetadataRequestTopic;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.message.MetadataResponseData.MetadataResponseTopic;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataHandlerTest {
    private static final UUID ORDERS_ID = new UUID(1, 2);
    private static final TopicInfo ORDERS = new TopicInfo("orders", ORDERS_ID, false, List.of(
            new PartitionInfo(0, 1, 5, List.of(1, 2), List.of(1, 2), List.of()),
            new PartitionInfo(1, -1, 3, List.of(2), List.of(), List.of(2))));
    private static final BrokerNode BROKER_1 = new BrokerNode(1, "rack-a", List.of(
            new Endpoint("PLAINTEXT", "b1.internal", 9092), new Endpoint("EXTERNAL", "b1.example", 19092)), false);
    private static final BrokerNode BROKER_2 = new BrokerNode(2, null, List.of(new Endpoint("PLAINTEXT", "b2.internal", 9092)), false);

    private final MetadataHandler handler = new MetadataHandler(new FakeCluster("cid", List.of(BROKER_1, BROKER_2), 2, List.of(ORDERS)));

    private static RequestContext context(short version, String listener) {
        return new RequestContext(ApiKey.METADATA, version, version, 1, "test", listener, new InetSocketAddress(0));
    }

    /** Answers and checks the answer can be written in the version asked, as the network would. */
    private MetadataResponseData respond(short version, String listener, MetadataRequestData request) {
        MetadataResponseData response = handler.respond(context(version, listener), request);
        ByteBuffer buffer = ByteBuffer.allocate(response.size(version));
        response.write(new ByteBufferAccessor(buffer), version);
        assertThat(buffer.hasRemaining()).isFalse();
        return response;
    }

    private static MetadataRequestData byName(String... names) {
        MetadataRequestData request = new MetadataRequestData();
        for (String name : names) {
            request.topics().add(new MetadataRequestTopic().setName(name));
        }
        return request;
    }

    @Test
    void brokersAreListedWithTheEndpointsOfTheListenerAsked() {
        MetadataResponseData internal = respond((short) 12, "PLAINTEXT", byName());
        assertThat(internal.brokers()).extracting(b -> b.nodeId() + "@" + b.host() + ":" + b.port() + "/" + b.rack())
                .containsExactly("1@b1.internal:9092/rack-a", "2@b2.internal:9092/null");
        MetadataResponseData external = respond((short) 12, "EXTERNAL", byName());
        assertThat(external.brokers()).extracting(b -> b.host() + ":" + b.port()).containsExactly("b1.example:19092");
        assertThat(external.clusterId()).isEqualTo("cid");
        assertThat(external.controllerId()).isEqualTo(2);
    }

    @Test
    void knownTopicsComeWithTheirPartitionsInEveryVersion() {
        for (short v = 0; v <= 13; v++) {
            MetadataResponseData r = respond(v, "PLAINTEXT", byName("orders"));
            MetadataResponseTopic t = r.topics().get(0);
            assertThat(t.errorCode()).isZero();
            assertThat(t.name()).isEqualTo("orders");
            assertThat(t.topicId()).isEqualTo(ORDERS_ID);
            assertThat(t.partitions()).hasSize(2);
            assertThat(t.partitions().get(0).leaderId()).isEqualTo(1);
            assertThat(t.partitions().get(0).leaderEpoch()).isEqualTo(5);
            assertThat(t.partitions().get(0).replicaNodes()).containsExactly(1, 2);
            assertThat(t.partitions().get(1).errorCode()).isEqualTo(Errors.LEADER_NOT_AVAILABLE.code());
            assertThat(t.partitions().get(1).offlineReplicas()).containsExactly(2);
        }
    }

    @Test
    void allTopicsIsANullListOrInV0AnEmptyOne() {
        assertThat(respond((short) 0, "PLAINTEXT", new MetadataRequestData()).topics()).hasSize(1);
        assertThat(respond((short) 1, "PLAINTEXT", new MetadataRequestData()).topics()).isEmpty();
        assertThat(respond((short) 1, "PLAINTEXT", new MetadataRequestData().setTopics(null)).topics()).hasSize(1);
    }

    @Test
    void unknownAndInvalidNamesGetTheirOwnErrorsAndDuplicatesAreAnsweredOnce() {
        MetadataResponseData r = respond((short) 9, "PLAINTEXT", byName("missing", "bad name", "missing", "..",
                "x".repeat(250), "__consumer_offsets"));
        assertThat(r.topics()).extracting(MetadataResponseTopic::name, MetadataResponseTopic::errorCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple("missing", Errors.UNKNOWN_TOPIC_OR_PARTITION.code()),
                org.assertj.core.groups.Tuple.tuple("bad name", Errors.INVALID_TOPIC_EXCEPTION.code()),
                org.assertj.core.groups.Tuple.tuple("..", Errors.INVALID_TOPIC_EXCEPTION.code()),
                org.assertj.core.groups.Tuple.tuple("x".repeat(250), Errors.INVALID_TOPIC_EXCEPTION.code()),
                org.assertj.core.groups.Tuple.tuple("__consumer_offsets", Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        assertThat(r.topics().get(4).isInternal()).isTrue();
    }

    @Test
    void topicsAreFoundByIdFromV12() {
        UUID unknown = new UUID(9, 9);
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestTopic().setTopicId(ORDERS_ID).setName(null));
        request.topics().add(new MetadataRequestTopic().setTopicId(unknown).setName(null));
        MetadataResponseData r = respond((short) 12, "PLAINTEXT", request);
        assertThat(r.topics()).hasSize(2);
        assertThat(r.topics().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        assertThat(r.topics().get(0).name()).isNull();
        assertThat(r.topics().get(0).topicId()).isEqualTo(unknown);
        assertThat(r.topics().get(1).name()).isEqualTo("orders");
        assertThat(r.topics().get(1).errorCode()).isZero();
    }

    @Test
    void topicIdsBeforeV12AreAnInvalidRequest() {
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestTopic().setTopicId(ORDERS_ID).setName("orders"));
        MetadataResponseData r = respond((short) 10, "PLAINTEXT", request);
        assertThat(r.topics()).singleElement().satisfies(t -> assertThat(t.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));
        assertThat(r.brokers()).isEmpty();
    }

    @Test
    void authorizedOperationsAreAllSupportedOnesWhenAskedAndTheDefaultOtherwise() {
        MetadataRequestData ask = byName("orders", "missing").setIncludeTopicAuthorizedOperations(true)
                .setIncludeClusterAuthorizedOperations(true);
        MetadataResponseData v10 = respond((short) 10, "PLAINTEXT", ask);
        assertThat(v10.clusterAuthorizedOperations()).isEqualTo(AuthorizedOperations.ALL_CLUSTER_OPERATIONS);
        assertThat(v10.topics()).allSatisfy(t ->
                assertThat(t.topicAuthorizedOperations()).isEqualTo(AuthorizedOperations.ALL_TOPIC_OPERATIONS));
        // Cluster operations left Metadata in v11 (DescribeCluster took them over).
        MetadataResponseData v11 = respond((short) 11, "PLAINTEXT", byName("orders").setIncludeTopicAuthorizedOperations(true));
        assertThat(v11.clusterAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);

        MetadataResponseData notAsked = respond((short) 10, "PLAINTEXT", byName("orders"));
        assertThat(notAsked.clusterAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
        assertThat(notAsked.topics().get(0).topicAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void theBitfieldsMatchKafkasOperationCodes() {
        // READ(3) WRITE(4) CREATE(5) DELETE(6) ALTER(7) DESCRIBE(8) DESCRIBE_CONFIGS(10) ALTER_CONFIGS(11)
        assertThat(AuthorizedOperations.ALL_TOPIC_OPERATIONS).isEqualTo(0b1101_1111_1000);
        // CREATE(5) ALTER(7) DESCRIBE(8) CLUSTER_ACTION(9) DESCRIBE_CONFIGS(10) ALTER_CONFIGS(11) IDEMPOTENT_WRITE(12)
        assertThat(AuthorizedOperations.ALL_CLUSTER_OPERATIONS).isEqualTo(0b1_1111_1010_0000);
    }
}
