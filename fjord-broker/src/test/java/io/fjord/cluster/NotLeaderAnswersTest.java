package io.fjord.cluster;

import static io.fjord.cluster.ThreeBrokerImage.LEADER;
import static io.fjord.cluster.ThreeBrokerImage.LEADER_EPOCH;
import static io.fjord.cluster.ThreeBrokerImage.LISTENER;
import static io.fjord.cluster.ThreeBrokerImage.SELF;
import static io.fjord.cluster.ThreeBrokerImage.TOPIC;
import static io.fjord.cluster.ThreeBrokerImage.TOPIC_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.RequestContext;
import io.fjord.fetch.FetchHandler;
import io.fjord.fetch.FetchSessionCache;
import io.fjord.log.Log;
import io.fjord.log.LogConfig;
import io.fjord.metadata.ImageClusterView;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.TopicCreator;
import io.fjord.offsets.DeleteRecordsHandler;
import io.fjord.offsets.ListOffsetsHandler;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionConfig;
import io.fjord.partition.PartitionLookup;
import io.fjord.partition.TopicPartition;
import io.fjord.produce.ProduceHandler;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.Errors;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.Message;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DeleteRecordsRequestData;
import io.fjord.protocol.message.DeleteRecordsResponseData;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.ListOffsetsRequestData;
import io.fjord.protocol.message.ListOffsetsResponseData;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node 1 of a three-broker cluster whose partitions broker 2 leads ({@link ThreeBrokerImage}): produce,
 * consumer fetch, ListOffsets and DeleteRecords are refused with NOT_LEADER_OR_FOLLOWER, whether node 1
 * is a follower of the partition or holds no replica of it, and where the version has them (Produce
 * v10+, Fetch v16+) the answer names the current leader and its endpoint (KIP-951). A partition without
 * a leader is refused the same way, with leader -1 and no endpoint. Responses are written in the version
 * asked, as the network would, so a tagged field a version lacks would fail here.
 */
class NotLeaderAnswersTest {
    @TempDir
    Path dir;
    private Partition follower;
    private PartitionLookup lookup;
    private ImageClusterView cluster;

    @BeforeEach
    void setUp() {
        // Node 1 holds a replica of t-0 only, as a follower.
        follower = new Partition(new TopicPartition(TOPIC, 0), TOPIC_ID, Log.open(dir.resolve("t-0"), LogConfig.defaults()),
                PartitionConfig.defaults(), LEADER_EPOCH, false);
        lookup = new PartitionLookup() {
            @Override
            public Partition partition(String topic, int p) {
                return topic.equals(TOPIC) && p == 0 ? follower : null;
            }

            @Override
            public Partition partition(UUID topicId, int p) {
                return topicId.equals(TOPIC_ID) && p == 0 ? follower : null;
            }
        };
        MetadataImage image = ThreeBrokerImage.image();
        cluster = ThreeBrokerImage.view(image);
    }

    @AfterEach
    void tearDown() {
        follower.close();
    }

    private static <T extends Message> T call(io.fjord.api.ApiHandler handler, ApiKey key, int version, ApiMessage request)
            throws Exception {
        RequestContext context = new RequestContext(key, (short) version, (short) version, 1, "test", LISTENER,
                new InetSocketAddress(0));
        @SuppressWarnings("unchecked")
        T response = (T) handler.handle(context, request).get(10, TimeUnit.SECONDS);
        ByteBuffer buffer = ByteBuffer.allocate(response.size((short) version));
        response.write(new ByteBufferAccessor(buffer), (short) version);
        assertThat(buffer.hasRemaining()).isFalse();
        return response;
    }

    private static ProduceRequestData produce(boolean byId, int... partitions) {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
        if (byId) {
            topic.setTopicId(TOPIC_ID);
        } else {
            topic.setName(TOPIC);
        }
        for (int p : partitions) {
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p).setRecords(MemoryRecords.EMPTY));
        }
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        request.topicData().add(topic);
        return request;
    }

    @Test
    void produceNamesTheCurrentLeaderFromV10() throws Exception {
        ProduceHandler handler = new ProduceHandler(lookup, TopicCreator.DISABLED, cluster);
        for (int version : new int[] {10, 11, 12}) {
            ProduceResponseData response = call(handler, ApiKey.PRODUCE, version, produce(false, 0, 1, 2));
            List<PartitionProduceResponse> answers = response.responses().get(0).partitionResponses();
            assertThat(answers).extracting(PartitionProduceResponse::errorCode)
                    .containsOnly(Errors.NOT_LEADER_OR_FOLLOWER.code());
            // Follower (t-0) and non-replica (t-1) alike: broker 2 at epoch 7.
            assertThat(answers.get(0).currentLeader().leaderId()).isEqualTo(LEADER);
            assertThat(answers.get(0).currentLeader().leaderEpoch()).isEqualTo(LEADER_EPOCH);
            assertThat(answers.get(1).currentLeader().leaderId()).isEqualTo(LEADER);
            // No leader at all: -1, and no endpoint for it.
            assertThat(answers.get(2).currentLeader().leaderId()).isEqualTo(-1);
            assertThat(response.nodeEndpoints()).singleElement().satisfies(e -> {
                assertThat(e.nodeId()).isEqualTo(LEADER);
                assertThat(e.host()).isEqualTo("broker2.example");
                assertThat(e.port()).isEqualTo(9092);
                assertThat(e.rack()).isEqualTo("rack-2");
            });
        }
        ProduceResponseData byId = call(handler, ApiKey.PRODUCE, 13, produce(true, 0, 1));
        assertThat(byId.responses().get(0).partitionResponses()).allSatisfy(p -> {
            assertThat(p.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(p.currentLeader().leaderId()).isEqualTo(LEADER);
        });
        assertThat(byId.nodeEndpoints()).extracting(ProduceResponseData.NodeEndpoint::nodeId).containsExactly(LEADER);

        // Before v10 the error alone.
        ProduceResponseData v9 = call(handler, ApiKey.PRODUCE, 9, produce(false, 0, 1));
        assertThat(v9.responses().get(0).partitionResponses()).allSatisfy(p -> {
            assertThat(p.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(p.currentLeader().leaderId()).isEqualTo(-1);
        });
        assertThat(v9.nodeEndpoints()).isEmpty();
    }

    @Test
    void producingToATopicTheClusterDoesNotKnowIsStillUnknown() throws Exception {
        ProduceHandler handler = new ProduceHandler(lookup, TopicCreator.DISABLED, cluster);
        ProduceRequestData request = produce(false, 0);
        request.topicData().get(0).setName("nope");
        ProduceResponseData response = call(handler, ApiKey.PRODUCE, 11, request);
        assertThat(response.responses().get(0).partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.nodeEndpoints()).isEmpty();
    }

    private static FetchRequestData fetch(int currentLeaderEpoch, int... partitions) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopicId(TOPIC_ID).setTopic(TOPIC);
        for (int p : partitions) {
            topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(p).setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20).setCurrentLeaderEpoch(currentLeaderEpoch));
        }
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setSessionId(0).setSessionEpoch(-1);
        request.topics().add(topic);
        return request;
    }

    @Test
    void consumerFetchNamesTheCurrentLeaderFromV16() throws Exception {
        FetchHandler handler = new FetchHandler(lookup, cluster, new FetchSessionCache(10), FetchHandler.DEFAULT_FETCH_MAX_BYTES);
        // With and without the client's leader epoch: the epoch is right, the node is not the leader.
        for (int epoch : new int[] {-1, LEADER_EPOCH}) {
            FetchResponseData v17 = call(handler, ApiKey.FETCH, 17, fetch(epoch, 0, 1, 2));
            List<FetchResponseData.PartitionData> answers = v17.responses().get(0).partitions();
            assertThat(answers).extracting(FetchResponseData.PartitionData::errorCode)
                    .containsOnly(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(answers.get(0).currentLeader().leaderId()).isEqualTo(LEADER);
            assertThat(answers.get(0).currentLeader().leaderEpoch()).isEqualTo(LEADER_EPOCH);
            assertThat(answers.get(1).currentLeader().leaderId()).isEqualTo(LEADER);
            assertThat(answers.get(2).currentLeader().leaderId()).isEqualTo(-1);
            assertThat(v17.nodeEndpoints()).singleElement().satisfies(e -> {
                assertThat(e.nodeId()).isEqualTo(LEADER);
                assertThat(e.host()).isEqualTo("broker2.example");
                assertThat(e.rack()).isEqualTo("rack-2");
            });
        }
        // v12 by name: the error, no hints (Kafka fills them from v16).
        FetchRequestData byName = fetch(-1, 0, 1);
        byName.topics().get(0).setTopicId(new UUID(0, 0));
        FetchResponseData v12 = call(handler, ApiKey.FETCH, 12, byName);
        assertThat(v12.responses().get(0).partitions()).allSatisfy(p -> {
            assertThat(p.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(p.currentLeader().leaderId()).isEqualTo(-1);
        });
        assertThat(v12.nodeEndpoints()).isEmpty();
    }

    @Test
    void aStaleEpochIsFencedBeforeLeadershipIsLookedAt() throws Exception {
        FetchHandler handler = new FetchHandler(lookup, cluster, new FetchSessionCache(10), FetchHandler.DEFAULT_FETCH_MAX_BYTES);
        FetchResponseData v17 = call(handler, ApiKey.FETCH, 17, fetch(LEADER_EPOCH - 1, 0));
        FetchResponseData.PartitionData p = v17.responses().get(0).partitions().get(0);
        assertThat(p.errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
        assertThat(p.currentLeader().leaderId()).isEqualTo(LEADER);
    }

    private static ListOffsetsRequestData listOffsets(int replicaId, int... partitions) {
        ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC);
        for (int p : partitions) {
            topic.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(p).setTimestamp(-1));
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(replicaId);
        request.topics().add(topic);
        return request;
    }

    @Test
    void listOffsetsIsForTheLeaderExceptToTheDebuggingReplica() throws Exception {
        ListOffsetsHandler handler = new ListOffsetsHandler(lookup, cluster);
        ListOffsetsResponseData consumer = call(handler, ApiKey.LIST_OFFSETS, 9, listOffsets(-1, 0, 1, 2));
        assertThat(consumer.topics().get(0).partitions()).extracting(ListOffsetsResponseData.ListOffsetsPartitionResponse::errorCode)
                .containsOnly(Errors.NOT_LEADER_OR_FOLLOWER.code());
        ListOffsetsResponseData debugging = call(handler, ApiKey.LIST_OFFSETS, 9, listOffsets(-2, 0));
        assertThat(debugging.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(debugging.topics().get(0).partitions().get(0).offset()).isZero();
    }

    @Test
    void deleteRecordsIsForTheLeader() throws Exception {
        DeleteRecordsHandler handler = new DeleteRecordsHandler(lookup, cluster, SELF);
        DeleteRecordsRequestData.DeleteRecordsTopic topic = new DeleteRecordsRequestData.DeleteRecordsTopic().setName(TOPIC);
        List<DeleteRecordsRequestData.DeleteRecordsPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            partitions.add(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(p).setOffset(0));
        }
        topic.setPartitions(partitions);
        DeleteRecordsResponseData response = call(handler, ApiKey.DELETE_RECORDS, 2,
                new DeleteRecordsRequestData().setTopics(List.of(topic)).setTimeoutMs(1000));
        assertThat(response.topics().get(0).partitions())
                .extracting(DeleteRecordsResponseData.DeleteRecordsPartitionResult::errorCode)
                .containsOnly(Errors.NOT_LEADER_OR_FOLLOWER.code());
    }

    /**
     * A partition the image says node 1 leads but node 1 has not opened (offline, or still opening) is
     * NOT_LEADER_OR_FOLLOWER, as Kafka's getPartitionOrError answers: the client refreshes its metadata and
     * retries, where UNKNOWN_TOPIC_OR_PARTITION would claim the partition does not exist.
     */
    @Test
    void aPartitionLedHereButNotOpenIsNotLeaderRatherThanUnknown() throws Exception {
        UUID unopenedId = new UUID(5, 5);
        MetadataImage image = ThreeBrokerImage.image().toBuilder().putTopic(new io.fjord.metadata.TopicImage(
                new io.fjord.metadata.TopicInfo("u", unopenedId, false, List.of(new io.fjord.metadata.PartitionInfo(
                        0, SELF, 3, List.of(SELF, LEADER), List.of(SELF, LEADER), List.of()))), java.util.Map.of())).build();
        ImageClusterView view = ThreeBrokerImage.view(image);

        ProduceRequestData produce = produce(false, 0);
        produce.topicData().get(0).setName("u");
        ProduceResponseData produced = call(new ProduceHandler(lookup, TopicCreator.DISABLED, view), ApiKey.PRODUCE, 11,
                produce);
        assertThat(produced.responses().get(0).partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());

        FetchRequestData fetch = fetch(-1, 0);
        fetch.topics().get(0).setTopicId(unopenedId).setTopic("u");
        FetchResponseData fetched = call(new FetchHandler(lookup, view, new FetchSessionCache(10),
                FetchHandler.DEFAULT_FETCH_MAX_BYTES), ApiKey.FETCH, 17, fetch);
        assertThat(fetched.responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());

        ListOffsetsRequestData list = listOffsets(-1, 0);
        list.topics().get(0).setName("u");
        ListOffsetsResponseData listed = call(new ListOffsetsHandler(lookup, view), ApiKey.LIST_OFFSETS, 9, list);
        assertThat(listed.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());

        DeleteRecordsRequestData.DeleteRecordsTopic topic = new DeleteRecordsRequestData.DeleteRecordsTopic().setName("u")
                .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(0)));
        DeleteRecordsResponseData deleted = call(new DeleteRecordsHandler(lookup, view, SELF), ApiKey.DELETE_RECORDS, 2,
                new DeleteRecordsRequestData().setTopics(List.of(topic)).setTimeoutMs(1000));
        assertThat(deleted.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());

        // A partition the image lacks stays unknown.
        ListOffsetsRequestData missing = listOffsets(-1, 1);
        missing.topics().get(0).setName("u");
        ListOffsetsResponseData unknown = call(new ListOffsetsHandler(lookup, view), ApiKey.LIST_OFFSETS, 9, missing);
        assertThat(unknown.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
}
