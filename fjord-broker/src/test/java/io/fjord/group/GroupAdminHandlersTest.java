package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.ApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.ClusterView;
import io.fjord.testing.TestClusters;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ConsumerProtocolSubscription;
import io.fjord.protocol.message.DeleteGroupsRequestData;
import io.fjord.protocol.message.DeleteGroupsResponseData;
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
import io.fjord.protocol.message.OffsetDeleteRequestData;
import io.fjord.protocol.message.OffsetDeleteResponseData;
import io.fjord.protocol.message.OffsetFetchRequestData;
import io.fjord.protocol.message.OffsetFetchResponseData;
import io.fjord.protocol.message.SyncGroupRequestData;
import io.fjord.protocol.message.SyncGroupResponseData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DeleteGroups, OffsetDelete, OffsetCommit's Kafka 4.x checks and the version differences of the
 * group handlers, over a real coordinator (its own thread) whose log records what it is given.
 */
class GroupAdminHandlersTest {
    private final List<CoordinatorRecord> written = Collections.synchronizedList(new ArrayList<>());
    private final CoordinatorLog recording = (groupId, records) -> {
        written.addAll(records);
        return CompletableFuture.completedFuture(null);
    };
    private final GroupCoordinator coordinator =
            new GroupCoordinator(new GroupSettings(6000, 1_800_000, 0, Integer.MAX_VALUE), recording);

    private static final ClusterView CLUSTER = TestClusters.singleNode();

    @AfterEach
    void close() {
        coordinator.close();
    }

    @SuppressWarnings("unchecked")
    private static <T extends ApiMessage> T call(ApiHandler handler, int version, ApiMessage request) {
        RequestContext context = new RequestContext(handler.apiKey(), (short) version, (short) version, 1, "client",
                "PLAINTEXT", null);
        return (T) handler.handle(context, request).join();
    }

    private static byte[] subscription(String... topics) {
        ConsumerProtocolSubscription s = new ConsumerProtocolSubscription().setTopics(Arrays.asList(topics));
        ByteBuffer buffer = ByteBuffer.allocate(2 + s.size((short) 1));
        buffer.putShort((short) 1);
        s.write(new ByteBufferAccessor(buffer), (short) 1);
        return buffer.array();
    }

    private record Member(String memberId, int generation) {}

    /** The rebalance timeout of test joins; short, though a lone member's join completes at once. */
    private static final int JOIN_WAIT_MS = 100;

    /** One member joins (v9: MEMBER_ID_REQUIRED first) and syncs: the group is Stable. */
    private Member stableGroup(String group, String protocolType, byte[] metadata) {
        JoinGroupHandler join = new JoinGroupHandler(coordinator);
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(group).setMemberId("")
                .setSessionTimeoutMs(10000).setRebalanceTimeoutMs(JOIN_WAIT_MS).setProtocolType(protocolType)
                .setProtocols(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(metadata)));
        JoinGroupResponseData first = call(join, 9, request);
        assertThat(first.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
        JoinGroupResponseData joined = call(join, 9, request.setMemberId(first.memberId()));
        assertThat(joined.errorCode()).isZero();
        SyncGroupResponseData synced = call(new SyncGroupHandler(coordinator), 5, new SyncGroupRequestData().setGroupId(group)
                .setMemberId(joined.memberId()).setGenerationId(joined.generationId()).setProtocolType(protocolType)
                .setProtocolName("range").setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                        .setMemberId(joined.memberId()).setAssignment(new byte[] {1}))));
        assertThat(synced.errorCode()).isZero();
        return new Member(joined.memberId(), joined.generationId());
    }

    private short commit(int version, String group, String memberId, int generation, String topic, int partition,
            long offset, String metadata) {
        OffsetCommitResponseData r = call(new OffsetCommitHandler(coordinator), version, new OffsetCommitRequestData()
                .setGroupId(group).setMemberId(memberId).setGenerationIdOrMemberEpoch(generation).setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(partition)
                                        .setCommittedOffset(offset).setCommittedMetadata(metadata))))));
        return r.topics().get(0).partitions().get(0).errorCode();
    }

    private long committed(String group, String topic, int partition) {
        OffsetFetchResponseData r = call(new OffsetFetchHandler(coordinator), 9, new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic).setPartitionIndexes(List.of(partition)))))));
        return r.groups().get(0).topics().get(0).partitions().get(0).committedOffset();
    }

    private DeleteGroupsResponseData deleteGroups(String... ids) {
        return call(new DeleteGroupsHandler(coordinator), 2, new DeleteGroupsRequestData().setGroupsNames(Arrays.asList(ids)));
    }

    private OffsetDeleteResponseData deleteOffsets(String group, String topic, Integer... partitions) {
        return call(new OffsetDeleteHandler(coordinator, null), 0, new OffsetDeleteRequestData().setGroupId(group)
                .setTopics(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(topic).setPartitions(
                        Arrays.stream(partitions).map(p -> new OffsetDeleteRequestData.OffsetDeleteRequestPartition()
                                .setPartitionIndex(p)).toList()))));
    }

    @Test
    void deleteGroupsRemovesOnlyEmptyGroupsThroughTombstones() {
        assertThat(commit(9, "empty", "", -1, "t", 0, 5, "m")).isZero();
        assertThat(commit(9, "empty", "", -1, "t", 1, 6, "")).isZero();
        stableGroup("busy", "consumer", subscription("t"));
        written.clear();

        DeleteGroupsResponseData r = deleteGroups("empty", "busy", "nobody", "", null);
        assertThat(r.results()).extracting(DeleteGroupsResponseData.DeletableGroupResult::errorCode).containsExactly(
                Errors.NONE.code(), Errors.NON_EMPTY_GROUP.code(), Errors.GROUP_ID_NOT_FOUND.code(),
                Errors.GROUP_ID_NOT_FOUND.code(), Errors.INVALID_GROUP_ID.code());
        assertThat(written).containsExactlyInAnyOrder(
                new CoordinatorRecord.OffsetCommit("empty", "t", 0, null),
                new CoordinatorRecord.OffsetCommit("empty", "t", 1, null),
                new CoordinatorRecord.GroupMetadata("empty", null));
        assertThat(committed("empty", "t", 0)).isEqualTo(-1);
        // Deleted means gone: a second delete finds nothing.
        assertThat(deleteGroups("empty").results().get(0).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void deleteGroupsIsRefusedWhenTheLogFails() {
        GroupCoordinator failing = new GroupCoordinator(GroupSettings.defaults(), (g, records) ->
                records.stream().anyMatch(rec -> rec instanceof CoordinatorRecord.GroupMetadata)
                        ? CompletableFuture.failedFuture(new IllegalStateException("disk"))
                        : CompletableFuture.completedFuture(null));
        try {
            OffsetCommitResponseData committed = call(new OffsetCommitHandler(failing), 9, new OffsetCommitRequestData().setGroupId("g").setMemberId("")
                    .setGenerationIdOrMemberEpoch(-1).setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                            .setName("t").setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                    .setPartitionIndex(0).setCommittedOffset(3))))));
            assertThat(committed.topics().get(0).partitions().get(0).errorCode()).isZero();
            DeleteGroupsResponseData r = call(new DeleteGroupsHandler(failing), 0,
                    new DeleteGroupsRequestData().setGroupsNames(List.of("g")));
            assertThat(r.results().get(0).errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
            assertThat(failing.fetchOffsets("g", null).join()).hasSize(1);
        } finally {
            failing.close();
        }
    }

    @Test
    void offsetDeleteFollowsKafkasRules() {
        assertThat(commit(9, "simple", "", -1, "t", 0, 5, "")).isZero();
        written.clear();
        OffsetDeleteResponseData r = deleteOffsets("simple", "t", 0, 1);
        assertThat(r.errorCode()).isZero();
        assertThat(r.topics().get(0).partitions()).extracting(OffsetDeleteResponseData.OffsetDeleteResponsePartition::errorCode)
                .containsExactly((short) 0, (short) 0);
        assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("simple", "t", 0, null));
        assertThat(committed("simple", "t", 0)).isEqualTo(-1);

        // A consumer-protocol group with members: only topics nobody subscribes to may lose offsets.
        Member m = stableGroup("consumers", "consumer", subscription("t"));
        assertThat(commit(9, "consumers", m.memberId(), m.generation(), "t", 0, 9, "")).isZero();
        assertThat(commit(9, "consumers", m.memberId(), m.generation(), "u", 0, 4, "")).isZero();
        assertThat(deleteOffsets("consumers", "t", 0).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
        assertThat(committed("consumers", "t", 0)).isEqualTo(9);
        assertThat(deleteOffsets("consumers", "u", 0).topics().get(0).partitions().get(0).errorCode()).isZero();
        assertThat(committed("consumers", "u", 0)).isEqualTo(-1);

        // Another protocol type with members: the whole group is refused.
        stableGroup("connect", "connect", new byte[] {0, 1});
        assertThat(deleteOffsets("connect", "t", 0).errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code());
        assertThat(deleteOffsets("nobody", "t", 0).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(deleteOffsets("", "t", 0).errorCode()).isEqualTo(Errors.INVALID_GROUP_ID.code());
    }

    @Test
    void unreadableConsumerMetadataCountsAsSubscribed() {
        Member m = stableGroup("odd", "consumer", new byte[] {0, 0, 9});
        assertThat(commit(9, "odd", m.memberId(), m.generation(), "u", 0, 4, "")).isZero();
        assertThat(deleteOffsets("odd", "u", 0).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
        assertThat(committed("odd", "u", 0)).isEqualTo(4);
    }

    @Test
    void offsetCommitChecksAsKafka4() {
        // Unknown group with a generation: GROUP_ID_NOT_FOUND from v9, ILLEGAL_GENERATION before.
        assertThat(commit(9, "none", "m", 1, "t", 0, 1, "")).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(commit(8, "none", "m", 1, "t", 0, 1, "")).isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(coordinator.listGroups().join()).isEmpty();

        Member m = stableGroup("g", "consumer", subscription("t"));
        assertThat(commit(9, "g", m.memberId(), m.generation(), "t", 0, 10, "ok")).isZero();
        // Stale generation, unknown member, simple commit to a group with members: refused, nothing changes.
        assertThat(commit(9, "g", m.memberId(), m.generation() - 1, "t", 0, 99, "")).isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(commit(9, "g", "ghost", m.generation(), "t", 0, 99, "")).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(commit(9, "g", "", -1, "t", 0, 99, "")).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(committed("g", "t", 0)).isEqualTo(10);
        HeartbeatResponseData hb = call(new HeartbeatHandler(coordinator), 4, new HeartbeatRequestData().setGroupId("g")
                .setMemberId(m.memberId()).setGenerationId(m.generation() + 1));
        assertThat(hb.errorCode()).isEqualTo(Errors.ILLEGAL_GENERATION.code());

        // Metadata longer than offset.metadata.max.bytes: that partition only.
        String big = "x".repeat(OffsetCommitHandler.OFFSET_METADATA_MAX_BYTES + 1);
        OffsetCommitResponseData r = call(new OffsetCommitHandler(coordinator), 9, new OffsetCommitRequestData()
                .setGroupId("g").setMemberId(m.memberId()).setGenerationIdOrMemberEpoch(m.generation()).setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                        .setCommittedOffset(11).setCommittedMetadata(big),
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                                        .setCommittedOffset(12).setCommittedMetadata("x".repeat(4096)))))));
        assertThat(r.topics().get(0).partitions()).extracting(OffsetCommitResponseData.OffsetCommitResponsePartition::errorCode)
                .containsExactly(Errors.OFFSET_METADATA_TOO_LARGE.code(), (short) 0);
        assertThat(committed("g", "t", 0)).isEqualTo(10);
        assertThat(committed("g", "t", 1)).isEqualTo(12);

        // A configured offset.metadata.max.bytes (here 3 chars) is the limit instead.
        OffsetCommitResponseData limited = call(new OffsetCommitHandler(coordinator, null, 3), 9, new OffsetCommitRequestData()
                .setGroupId("g").setMemberId(m.memberId()).setGenerationIdOrMemberEpoch(m.generation()).setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                        .setCommittedOffset(13).setCommittedMetadata("abcd"),
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                                        .setCommittedOffset(14).setCommittedMetadata("abc"))))));
        assertThat(limited.topics().get(0).partitions()).extracting(OffsetCommitResponseData.OffsetCommitResponsePartition::errorCode)
                .containsExactly(Errors.OFFSET_METADATA_TOO_LARGE.code(), (short) 0);
        assertThat(committed("g", "t", 0)).isEqualTo(10);
        assertThat(committed("g", "t", 1)).isEqualTo(14);
    }

    @Test
    void versionDifferences() {
        // JoinGroup v0-3: no MEMBER_ID_REQUIRED round, the member is admitted at once.
        JoinGroupResponseData v3 = call(new JoinGroupHandler(coordinator), 3, new JoinGroupRequestData().setGroupId("old")
                .setMemberId("").setSessionTimeoutMs(10000).setRebalanceTimeoutMs(JOIN_WAIT_MS).setProtocolType("consumer")
                .setProtocols(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                        .setMetadata(subscription("t")))));
        assertThat(v3.errorCode()).isZero();
        assertThat(v3.memberId()).isNotEmpty();
        assertThat(v3.leader()).isEqualTo(v3.memberId());

        // LeaveGroup v0-2: one member, its error top-level; v3+: per member, top-level NONE (also for an unknown group).
        LeaveGroupResponseData v2 = call(new LeaveGroupHandler(coordinator), 2,
                new LeaveGroupRequestData().setGroupId("nobody").setMemberId("ghost"));
        assertThat(v2.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        LeaveGroupResponseData v5 = call(new LeaveGroupHandler(coordinator), 5, new LeaveGroupRequestData().setGroupId("nobody")
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("a"),
                        new LeaveGroupRequestData.MemberIdentity().setMemberId("b"))));
        assertThat(v5.errorCode()).isZero();
        assertThat(v5.members()).extracting(LeaveGroupResponseData.MemberResponse::errorCode)
                .containsExactly(Errors.UNKNOWN_MEMBER_ID.code(), Errors.UNKNOWN_MEMBER_ID.code());
        LeaveGroupResponseData left = call(new LeaveGroupHandler(coordinator), 0,
                new LeaveGroupRequestData().setGroupId("old").setMemberId(v3.memberId()));
        assertThat(left.errorCode()).isZero();

        // OffsetFetch v1-7: one group at top level; v8+: groups, each with its own error field.
        assertThat(commit(7, "f", "", -1, "t", 2, 8, "")).isZero();
        OffsetFetchResponseData v7 = call(new OffsetFetchHandler(coordinator), 7, new OffsetFetchRequestData().setGroupId("f")
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("t").setPartitionIndexes(List.of(2)))));
        assertThat(v7.errorCode()).isZero();
        assertThat(v7.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(8);
        OffsetFetchResponseData v8 = call(new OffsetFetchHandler(coordinator), 8, new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("f").setTopics(null),
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("unknown").setTopics(null))));
        assertThat(v8.groups()).extracting(OffsetFetchResponseData.OffsetFetchResponseGroup::groupId).containsExactly("f", "unknown");
        assertThat(v8.groups().get(0).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(8);
        // Kafka answers an unknown group with no offsets, not an error.
        assertThat(v8.groups().get(1).errorCode()).isZero();
        assertThat(v8.groups().get(1).topics()).isEmpty();

        // FindCoordinator v0 has no key type (always a group) and no error message; v1+ carries the key type.
        FindCoordinatorHandler find = new FindCoordinatorHandler(CLUSTER, 1);
        FindCoordinatorResponseData f0 = call(find, 0, new FindCoordinatorRequestData().setKey("g").setKeyType((byte) 1));
        assertThat(f0.errorCode()).isZero();
        assertThat(f0.nodeId()).isEqualTo(1);
        FindCoordinatorResponseData f1 = call(find, 1, new FindCoordinatorRequestData().setKey("g").setKeyType((byte) 1));
        assertThat(f1.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(f1.errorMessage()).isNotEmpty();
        // An empty group key is not refused (Kafka does not validate it; JoinGroup etc. do).
        FindCoordinatorResponseData empty = call(find, 3, new FindCoordinatorRequestData().setKey(""));
        assertThat(empty.errorCode()).isZero();
        assertThat(empty.nodeId()).isEqualTo(1);
    }

    @Test
    void offsetCommitV2ToV4RetentionTimeSetsTheOffsetsOwnExpiryAsKafka4Does() throws Exception {
        long before = System.currentTimeMillis();
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId("simple").setMemberId("")
                .setGenerationIdOrMemberEpoch(-1).setRetentionTimeMs(60_000).setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                        .setCommittedOffset(5).setCommittedMetadata("")))));
        OffsetCommitResponseData v2 = call(new OffsetCommitHandler(coordinator), 2, request);
        assertThat(v2.topics().get(0).partitions().get(0).errorCode()).isZero();
        GroupCoordinator.Committed withRetention = coordinator.fetchOffsets("simple", null)
                .get(5, java.util.concurrent.TimeUnit.SECONDS).get(new GroupCoordinator.OffsetKey("t", 0));
        assertThat(withRetention.expireTimestampMs()).isEqualTo(withRetention.commitTimestampMs() + 60_000);
        assertThat(withRetention.commitTimestampMs()).isGreaterThanOrEqualTo(before);

        // -1 (the default) leaves the broker's retention in charge; v5+ has no such field.
        request.setRetentionTimeMs(-1);
        call(new OffsetCommitHandler(coordinator), 4, request);
        assertThat(coordinator.fetchOffsets("simple", null).get(5, java.util.concurrent.TimeUnit.SECONDS)
                .get(new GroupCoordinator.OffsetKey("t", 0)).expireTimestampMs()).isEqualTo(-1);
    }

    @Test
    void joinGroupV9TellsARejoiningStaticLeaderToSkipTheAssignment() {
        JoinGroupHandler join = new JoinGroupHandler(coordinator);
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId("static").setMemberId("").setGroupInstanceId("i1")
                .setSessionTimeoutMs(10000).setRebalanceTimeoutMs(JOIN_WAIT_MS).setProtocolType("consumer")
                .setProtocols(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                        .setMetadata(subscription("t"))));
        JoinGroupResponseData joined = call(join, 9, request);
        assertThat(joined.errorCode()).isZero();
        assertThat(joined.skipAssignment()).isFalse();
        SyncGroupResponseData synced = call(new SyncGroupHandler(coordinator), 5, new SyncGroupRequestData().setGroupId("static")
                .setMemberId(joined.memberId()).setGroupInstanceId("i1").setGenerationId(joined.generationId())
                .setProtocolType("consumer").setProtocolName("range").setAssignments(List.of(
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(joined.memberId())
                                .setAssignment(new byte[] {7}))));
        assertThat(synced.errorCode()).isZero();

        JoinGroupResponseData rejoined = call(join, 9, request.setMemberId(""));
        assertThat(rejoined.errorCode()).isZero();
        assertThat(rejoined.skipAssignment()).isTrue();
        assertThat(rejoined.leader()).isEqualTo(rejoined.memberId());
        assertThat(rejoined.members()).hasSize(1);
        assertThat(rejoined.generationId()).isEqualTo(joined.generationId());

        // JoinGroup v8: no such field; the old leader id is named and no members are sent.
        JoinGroupResponseData v8 = call(join, 8, request.setMemberId(""));
        assertThat(v8.errorCode()).isZero();
        assertThat(v8.skipAssignment()).isFalse();
        assertThat(v8.leader()).isEqualTo(rejoined.memberId()).isNotEqualTo(v8.memberId());
        assertThat(v8.members()).isEmpty();
    }
}
