package io.fjord.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.ApiHandler;
import io.fjord.api.DescribeQuorumHandler;
import io.fjord.api.RequestContext;
import io.fjord.api.partition.AlterPartitionReassignmentsHandler;
import io.fjord.api.partition.ElectLeadersHandler;
import io.fjord.api.partition.ListPartitionReassignmentsHandler;
import io.fjord.controller.ElectionType;
import io.fjord.controller.QuorumState;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.metadata.TopicInfo;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.Errors;
import io.fjord.protocol.Message;
import io.fjord.protocol.message.AlterPartitionReassignmentsRequestData;
import io.fjord.protocol.message.AlterPartitionReassignmentsResponseData;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeQuorumRequestData;
import io.fjord.protocol.message.DescribeQuorumResponseData;
import io.fjord.protocol.message.ElectLeadersRequestData;
import io.fjord.protocol.message.ElectLeadersResponseData;
import io.fjord.protocol.message.ListPartitionReassignmentsRequestData;
import io.fjord.protocol.message.ListPartitionReassignmentsResponseData;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shapes of ElectLeaders, AlterPartitionReassignments, ListPartitionReassignments and DescribeQuorum
 * answers in every version, from what the metadata store decides (a stub here; the decisions themselves
 * are ControllerLogic's and tested there).
 */
class PartitionAdminHandlersTest {

    private static <T extends Message> T call(ApiHandler handler, ApiKey key, int version, ApiMessage request)
            throws Exception {
        RequestContext context = new RequestContext(key, (short) version, (short) version, 1, "test", "PLAINTEXT",
                new InetSocketAddress(0));
        @SuppressWarnings("unchecked")
        T response = (T) handler.handle(context, request).get(10, TimeUnit.SECONDS);
        ByteBuffer buffer = ByteBuffer.allocate(response.size((short) version));
        response.write(new ByteBufferAccessor(buffer), (short) version);
        assertThat(buffer.hasRemaining()).isFalse();
        return response;
    }

    private static ElectLeadersRequestData elect(byte type, String topic, Integer... partitions) {
        ElectLeadersRequestData request = new ElectLeadersRequestData().setElectionType(type).setTimeoutMs(1000);
        request.setTopicPartitions(new java.util.ArrayList<>(List.of(new ElectLeadersRequestData.TopicPartitions()
                .setTopic(topic).setPartitions(Arrays.asList(partitions)))));
        return request;
    }

    @Test
    void electLeadersAnswersEveryPartitionNamed() throws Exception {
        StubStore store = new StubStore(ThreeBrokerImage.image());
        store.electResult.complete(Map.of(
                new TopicPartition("t", 0), ApiError.NONE,
                new TopicPartition("t", 1), new ApiError(Errors.ELECTION_NOT_NEEDED, "Leader is already the preferred one"),
                new TopicPartition("t", 2), ApiError.of(Errors.PREFERRED_LEADER_NOT_AVAILABLE)));
        ElectLeadersHandler handler = new ElectLeadersHandler(store);
        for (int version = 0; version <= 2; version++) {
            ElectLeadersResponseData response = call(handler, ApiKey.ELECT_LEADERS, version, elect((byte) 1, "t", 0, 1, 2));
            // v0 knows only preferred elections.
            assertThat(store.electedType).isEqualTo(version == 0 ? ElectionType.PREFERRED : ElectionType.UNCLEAN);
            assertThat(store.electedPartitions).containsExactly(new TopicPartition("t", 0), new TopicPartition("t", 1),
                    new TopicPartition("t", 2));
            assertThat(response.errorCode()).isZero();
            List<ElectLeadersResponseData.PartitionResult> results = response.replicaElectionResults().get(0).partitionResult();
            assertThat(results).extracting(r -> r.partitionId() + ":" + r.errorCode())
                    .containsExactly("0:0", "1:" + Errors.ELECTION_NOT_NEEDED.code(),
                            "2:" + Errors.PREFERRED_LEADER_NOT_AVAILABLE.code());
            assertThat(results.get(0).errorMessage()).isNull();
            assertThat(results.get(1).errorMessage()).isEqualTo("Leader is already the preferred one");
            assertThat(results.get(2).errorMessage()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE.message());
        }
    }

    @Test
    void electingEveryPartitionLeavesOutThoseThatNeedNone() throws Exception {
        StubStore store = new StubStore(ThreeBrokerImage.image());
        store.electResult.complete(Map.of(
                new TopicPartition("t", 0), ApiError.of(Errors.ELECTION_NOT_NEEDED),
                new TopicPartition("t", 1), ApiError.NONE,
                new TopicPartition("t", 2), ApiError.of(Errors.ELECTION_NOT_NEEDED)));
        ElectLeadersResponseData response = call(new ElectLeadersHandler(store), ApiKey.ELECT_LEADERS, 2,
                new ElectLeadersRequestData().setTopicPartitions(null));
        assertThat(store.electedPartitions).isNull();
        // Every topic has an entry, as Kafka's controller answers; only t-1 had something to do.
        assertThat(response.replicaElectionResults()).extracting(ElectLeadersResponseData.ReplicaElectionResult::topic)
                .containsExactly("__consumer_offsets", "t");
        assertThat(response.replicaElectionResults().get(0).partitionResult()).isEmpty();
        assertThat(response.replicaElectionResults().get(1).partitionResult())
                .extracting(ElectLeadersResponseData.PartitionResult::partitionId).containsExactly(1);
    }

    @Test
    void aFailedElectionIsTheTopLevelErrorFromV1() throws Exception {
        StubStore store = new StubStore(ThreeBrokerImage.image());
        store.electResult.completeExceptionally(new ApiException(Errors.REQUEST_TIMED_OUT, "too late"));
        ElectLeadersHandler handler = new ElectLeadersHandler(store);
        ElectLeadersResponseData v1 = call(handler, ApiKey.ELECT_LEADERS, 1, elect((byte) 0, "t", 0));
        assertThat(v1.errorCode()).isEqualTo(Errors.REQUEST_TIMED_OUT.code());
        assertThat(v1.replicaElectionResults().get(0).partitionResult().get(0).errorCode())
                .isEqualTo(Errors.REQUEST_TIMED_OUT.code());
        ElectLeadersResponseData v0 = call(handler, ApiKey.ELECT_LEADERS, 0, elect((byte) 0, "t", 0));
        assertThat(v0.errorCode()).isZero();
        assertThat(v0.replicaElectionResults().get(0).partitionResult().get(0).errorCode())
                .isEqualTo(Errors.REQUEST_TIMED_OUT.code());
    }

    private static AlterPartitionReassignmentsRequestData reassign(boolean allowRfChange, String topic, int partition,
            List<Integer> replicas) {
        AlterPartitionReassignmentsRequestData request = new AlterPartitionReassignmentsRequestData()
                .setTimeoutMs(1000).setAllowReplicationFactorChange(allowRfChange);
        request.topics().add(new AlterPartitionReassignmentsRequestData.ReassignableTopic().setName(topic)
                .setPartitions(new java.util.ArrayList<>(List.of(new AlterPartitionReassignmentsRequestData.ReassignablePartition()
                        .setPartitionIndex(partition).setReplicas(replicas)))));
        return request;
    }

    @Test
    void reassignmentsGoToTheStoreAndComeBackPerPartition() throws Exception {
        StubStore store = new StubStore(ThreeBrokerImage.image());
        store.reassignResult.complete(Map.of(new TopicPartition("t", 0), new ApiError(Errors.INVALID_REPLICA_ASSIGNMENT,
                "Duplicate replica ids")));
        AlterPartitionReassignmentsHandler handler = new AlterPartitionReassignmentsHandler(store);
        AlterPartitionReassignmentsRequestData request = reassign(true, "t", 0, List.of(3, 3, 1));
        request.topics().get(0).partitions().add(new AlterPartitionReassignmentsRequestData.ReassignablePartition()
                .setPartitionIndex(1).setReplicas(null));
        AlterPartitionReassignmentsResponseData v0 = call(handler, ApiKey.ALTER_PARTITION_REASSIGNMENTS, 0, request);
        Map<TopicPartition, List<Integer>> expected = new LinkedHashMap<>();
        expected.put(new TopicPartition("t", 0), List.of(3, 3, 1));
        expected.put(new TopicPartition("t", 1), null);
        assertThat(store.reassignTargets).isEqualTo(expected);
        assertThat(v0.errorCode()).isZero();
        assertThat(v0.responses().get(0).partitions()).extracting(p -> p.partitionIndex() + ":" + p.errorCode() + ":" + p.errorMessage())
                .containsExactly("0:" + Errors.INVALID_REPLICA_ASSIGNMENT.code() + ":Duplicate replica ids", "1:0:null");
    }

    @Test
    void v1RefusesAReplicationFactorChangeWhenNotAllowed() throws Exception {
        StubStore store = new StubStore(ThreeBrokerImage.image());
        store.reassignResult.complete(Map.of());
        AlterPartitionReassignmentsHandler handler = new AlterPartitionReassignmentsHandler(store);
        // t-1 has two replicas: three is a change.
        AlterPartitionReassignmentsResponseData refused = call(handler, ApiKey.ALTER_PARTITION_REASSIGNMENTS, 1,
                reassign(false, "t", 1, List.of(1, 2, 3)));
        assertThat(refused.allowReplicationFactorChange()).isFalse();
        assertThat(refused.responses().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.INVALID_REPLICATION_FACTOR.code());
        assertThat(refused.responses().get(0).partitions().get(0).errorMessage())
                .isEqualTo("The replication factor is changed from 2 to 3");
        assertThat(store.reassignTargets).isNull();
        // The same size is fine, and with the flag set any size reaches the store.
        call(handler, ApiKey.ALTER_PARTITION_REASSIGNMENTS, 1, reassign(false, "t", 1, List.of(1, 3)));
        assertThat(store.reassignTargets).containsOnlyKeys(new TopicPartition("t", 1));
        store.reassignTargets = null;
        call(handler, ApiKey.ALTER_PARTITION_REASSIGNMENTS, 1, reassign(true, "t", 1, List.of(1, 2, 3)));
        assertThat(store.reassignTargets).containsOnlyKeys(new TopicPartition("t", 1));
    }

    @Test
    void aFailedReassignmentIsTheTopLevelErrorAndEveryPartitions() throws Exception {
        StubStore store = new StubStore(ThreeBrokerImage.image());
        store.reassignResult.completeExceptionally(new ApiException(Errors.NOT_CONTROLLER, "no quorum"));
        AlterPartitionReassignmentsResponseData response = call(new AlterPartitionReassignmentsHandler(store),
                ApiKey.ALTER_PARTITION_REASSIGNMENTS, 0, reassign(true, "t", 0, List.of(1)));
        assertThat(response.errorCode()).isEqualTo(Errors.NOT_CONTROLLER.code());
        assertThat(response.errorMessage()).isEqualTo("no quorum");
        assertThat(response.responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NOT_CONTROLLER.code());
    }

    @Test
    void listReassignmentsShowsPartitionsWithReplicasBeingAddedOrRemoved() throws Exception {
        MetadataImage base = ThreeBrokerImage.image();
        TopicImage t = base.topicImage("t");
        List<PartitionInfo> partitions = new java.util.ArrayList<>(t.info().partitions());
        // t-1 moving from [2, 3] to [1, 2]: replicas target first, 1 being added, 3 being removed.
        partitions.set(1, new PartitionInfo(1, 2, 7, List.of(1, 2, 3), List.of(2, 3), List.of(), 3, List.of(1), List.of(3)));
        MetadataImage image = base.toBuilder().putTopic(new TopicImage(new TopicInfo("t", t.id(), false, partitions),
                t.configs())).build();
        ListPartitionReassignmentsHandler handler = new ListPartitionReassignmentsHandler(ThreeBrokerImage.view(image));

        ListPartitionReassignmentsResponseData all = call(handler, ApiKey.LIST_PARTITION_REASSIGNMENTS, 0,
                new ListPartitionReassignmentsRequestData().setTopics(null));
        assertThat(all.errorCode()).isZero();
        assertThat(all.topics()).singleElement().satisfies(topic -> {
            assertThat(topic.name()).isEqualTo("t");
            assertThat(topic.partitions()).singleElement().satisfies(p -> {
                assertThat(p.partitionIndex()).isEqualTo(1);
                assertThat(p.replicas()).containsExactly(1, 2, 3);
                assertThat(p.addingReplicas()).containsExactly(1);
                assertThat(p.removingReplicas()).containsExactly(3);
            });
        });

        // Asked by partition: those not being reassigned, and unknown ones, are left out.
        ListPartitionReassignmentsRequestData some = new ListPartitionReassignmentsRequestData();
        some.setTopics(new java.util.ArrayList<>(List.of(
                new ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics().setName("t")
                        .setPartitionIndexes(List.of(0, 2)),
                new ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics().setName("nope")
                        .setPartitionIndexes(List.of(0)))));
        assertThat(((ListPartitionReassignmentsResponseData) call(handler, ApiKey.LIST_PARTITION_REASSIGNMENTS, 0, some))
                .topics()).isEmpty();
        some.topics().get(0).setPartitionIndexes(List.of(0, 1));
        assertThat(((ListPartitionReassignmentsResponseData) call(handler, ApiKey.LIST_PARTITION_REASSIGNMENTS, 0, some))
                .topics().get(0).partitions()).extracting(p -> p.partitionIndex()).containsExactly(1);
    }

    private static DescribeQuorumRequestData describeQuorum(String topic, int partition) {
        DescribeQuorumRequestData request = new DescribeQuorumRequestData();
        request.topics().add(new DescribeQuorumRequestData.TopicData().setTopicName(topic)
                .setPartitions(new java.util.ArrayList<>(List.of(new DescribeQuorumRequestData.PartitionData()
                        .setPartitionIndex(partition)))));
        return request;
    }

    @Test
    void describeQuorumReportsTheMetadataLogPartition() throws Exception {
        StubStore store = new StubStore(ThreeBrokerImage.image());
        store.quorum.complete(new QuorumState(2, 5, 120,
                List.of(new QuorumState.Replica(1, 118, 1000, 990), new QuorumState.Replica(2, 120, -1, 1001),
                        new QuorumState.Replica(3, 120, 1000, 1000)),
                List.of(new QuorumState.Replica(4, 100, 900, 800))));
        DescribeQuorumHandler handler = new DescribeQuorumHandler(store);
        for (int version = 0; version <= 2; version++) {
            DescribeQuorumResponseData response = call(handler, ApiKey.DESCRIBE_QUORUM, version,
                    describeQuorum("__cluster_metadata", 0));
            assertThat(response.errorCode()).isZero();
            DescribeQuorumResponseData.TopicData topic = response.topics().get(0);
            assertThat(topic.topicName()).isEqualTo("__cluster_metadata");
            DescribeQuorumResponseData.PartitionData p = topic.partitions().get(0);
            assertThat(p.partitionIndex()).isZero();
            assertThat(p.errorCode()).isZero();
            assertThat(p.leaderId()).isEqualTo(2);
            assertThat(p.leaderEpoch()).isEqualTo(5);
            assertThat(p.highWatermark()).isEqualTo(120);
            assertThat(p.currentVoters()).extracting(v -> v.replicaId() + "@" + v.logEndOffset())
                    .containsExactly("1@118", "2@120", "3@120");
            assertThat(p.currentVoters().get(0).lastFetchTimestamp()).isEqualTo(1000);
            assertThat(p.currentVoters().get(0).lastCaughtUpTimestamp()).isEqualTo(990);
            assertThat(p.observers()).extracting(v -> v.replicaId()).containsExactly(4);
            assertThat(response.nodes()).isEmpty();
        }
    }

    @Test
    void describeQuorumOfAnythingElseIsUnknown() throws Exception {
        StubStore store = new StubStore(ThreeBrokerImage.image());
        DescribeQuorumHandler handler = new DescribeQuorumHandler(store);
        DescribeQuorumResponseData response = call(handler, ApiKey.DESCRIBE_QUORUM, 2, describeQuorum("t", 0));
        assertThat(response.errorCode()).isZero();
        assertThat(response.topics().get(0).topicName()).isEqualTo("t");
        assertThat(response.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        DescribeQuorumResponseData wrongPartition = call(handler, ApiKey.DESCRIBE_QUORUM, 1,
                describeQuorum("__cluster_metadata", 1));
        assertThat(wrongPartition.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void anUnreachableQuorumIsTheTopLevelError() throws Exception {
        StubStore store = new StubStore(ThreeBrokerImage.image());
        store.quorum.completeExceptionally(new ApiException(Errors.NOT_LEADER_OR_FOLLOWER, "no leader"));
        DescribeQuorumHandler handler = new DescribeQuorumHandler(store);
        DescribeQuorumResponseData v2 = call(handler, ApiKey.DESCRIBE_QUORUM, 2, describeQuorum("__cluster_metadata", 0));
        assertThat(v2.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(v2.errorMessage()).isEqualTo("no leader");
        DescribeQuorumResponseData v0 = call(handler, ApiKey.DESCRIBE_QUORUM, 0, describeQuorum("__cluster_metadata", 0));
        assertThat(v0.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
    }

}
