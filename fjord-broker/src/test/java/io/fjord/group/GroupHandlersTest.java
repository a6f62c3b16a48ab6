package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.RequestContext;
import io.fjord.metadata.ClusterView;
import io.fjord.testing.TestClusters;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FindCoordinatorRequestData;
import io.fjord.protocol.message.FindCoordinatorResponseData;
import io.fjord.protocol.message.HeartbeatRequestData;
import io.fjord.protocol.message.HeartbeatResponseData;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.LeaveGroupRequestData;
import io.fjord.protocol.message.LeaveGroupResponseData;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import io.fjord.protocol.message.OffsetFetchRequestData;
import io.fjord.protocol.message.OffsetFetchResponseData;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The group handlers over a real coordinator (its own thread), without sockets. */
class GroupHandlersTest {
    private final GroupCoordinator coordinator = new GroupCoordinator(GroupSettings.defaults());

    private static final ClusterView CLUSTER = TestClusters.singleNode();

    @AfterEach
    void close() {
        coordinator.close();
    }

    private static RequestContext context(ApiKey key, int version) {
        return new RequestContext(key, (short) version, (short) version, 1, "client", "PLAINTEXT", null);
    }

    @SuppressWarnings("unchecked")
    private static <T extends ApiMessage> T call(io.fjord.api.ApiHandler handler, int version, ApiMessage request) {
        return (T) handler.handle(context(handler.apiKey(), version), request).join();
    }

    @Test
    void findCoordinatorNamesThisNodeSingleAndBatched() {
        FindCoordinatorHandler handler = new FindCoordinatorHandler(CLUSTER, 1);
        FindCoordinatorResponseData v3 = call(handler, 3, new FindCoordinatorRequestData().setKey("g"));
        assertThat(v3.errorCode()).isZero();
        assertThat(v3.nodeId()).isEqualTo(1);
        assertThat(v3.host()).isEqualTo("host1");
        assertThat(v3.port()).isEqualTo(9092);
        FindCoordinatorResponseData v4 = call(handler, 4, new FindCoordinatorRequestData().setCoordinatorKeys(List.of("a", "b")));
        assertThat(v4.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key).containsExactly("a", "b");
        assertThat(v4.coordinators()).allMatch(c -> c.nodeId() == 1 && c.errorCode() == 0);
        FindCoordinatorResponseData txn = call(handler, 4,
                new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("t")));
        assertThat(txn.coordinators().get(0).errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
    }

    @Test
    void badInputChangesNothing() {
        JoinGroupResponseData empty = call(new JoinGroupHandler(coordinator), 9, new JoinGroupRequestData()
                .setGroupId("").setMemberId("").setSessionTimeoutMs(10000).setRebalanceTimeoutMs(10000)
                .setProtocolType("consumer").setProtocols(List.of()));
        assertThat(empty.errorCode()).isEqualTo(Errors.INVALID_GROUP_ID.code());

        JoinGroupResponseData first = call(new JoinGroupHandler(coordinator), 9, new JoinGroupRequestData()
                .setGroupId("g").setMemberId("").setSessionTimeoutMs(10000).setRebalanceTimeoutMs(10000)
                .setProtocolType("consumer").setProtocols(List.of(
                        new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]))));
        assertThat(first.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
        assertThat(first.memberId()).startsWith("client-");

        HeartbeatResponseData heartbeat = call(new HeartbeatHandler(coordinator), 4,
                new HeartbeatRequestData().setGroupId("g").setMemberId("ghost").setGenerationId(1));
        assertThat(heartbeat.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());

        OffsetCommitResponseData commit = call(new OffsetCommitHandler(coordinator), 9, new OffsetCommitRequestData()
                .setGroupId("g").setMemberId("ghost").setGenerationIdOrMemberEpoch(3).setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(7))))));
        assertThat(commit.topics().get(0).partitions().get(0).errorCode()).isNotZero();

        OffsetFetchResponseData fetched = call(new OffsetFetchHandler(coordinator), 7, new OffsetFetchRequestData()
                .setGroupId("g").setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName("t").setPartitionIndexes(List.of(0)))));
        assertThat(fetched.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(-1);

        LeaveGroupResponseData leave = call(new LeaveGroupHandler(coordinator), 5, new LeaveGroupRequestData()
                .setGroupId("g").setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("ghost"))));
        assertThat(leave.members().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void simpleCommitsAreKeptAndFetched() {
        OffsetCommitResponseData commit = call(new OffsetCommitHandler(coordinator), 9, new OffsetCommitRequestData()
                .setGroupId("simple").setMemberId("").setGenerationIdOrMemberEpoch(-1).setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                                        .setCommittedOffset(42).setCommittedMetadata("m"))))));
        assertThat(commit.topics().get(0).partitions().get(0).errorCode()).isZero();
        OffsetFetchResponseData all = call(new OffsetFetchHandler(coordinator), 9, new OffsetFetchRequestData()
                .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("simple").setTopics(null))));
        OffsetFetchResponseData.OffsetFetchResponsePartitions p = all.groups().get(0).topics().get(0).partitions().get(0);
        assertThat(p.partitionIndex()).isEqualTo(1);
        assertThat(p.committedOffset()).isEqualTo(42);
        assertThat(p.metadata()).isEqualTo("m");
    }
}
