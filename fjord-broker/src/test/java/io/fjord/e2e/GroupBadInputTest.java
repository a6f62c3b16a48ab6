package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeGroupsRequestData;
import io.fjord.protocol.message.DescribeGroupsResponseData;
import io.fjord.protocol.message.HeartbeatRequestData;
import io.fjord.protocol.message.HeartbeatResponseData;
import io.fjord.protocol.message.FindCoordinatorRequestData;
import io.fjord.protocol.message.FindCoordinatorResponseData;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.LeaveGroupRequestData;
import io.fjord.protocol.message.LeaveGroupResponseData;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import io.fjord.protocol.message.OffsetFetchRequestData;
import io.fjord.protocol.message.OffsetFetchResponseData;
import io.fjord.protocol.message.SyncGroupRequestData;
import io.fjord.protocol.message.SyncGroupResponseData;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, "bad input" for classic groups, over a real socket: Heartbeat and OffsetCommit from a member
 * the group does not know, or with a generation that is not the group's, get Kafka 4.x's errors
 * (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION; see ClassicGroup.validateOffsetCommit and
 * GroupMetadataManager's heartbeat validation in Kafka's group coordinator) and change nothing: the
 * committed offsets (OffsetFetch), the group's state, member and assignment (DescribeGroups) and its
 * generation (the member's own heartbeat still succeeds) stay as they were, and the node goes on
 * serving the same connection. The same once the group is Empty.
 */
class GroupBadInputTest {
    private static final String TOPIC = "group-bad-input";
    private static final String GROUP = "bad-input-group";
    private static final byte[] ASSIGNMENT = "partitions 0 and 1".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void startNode() {
        node = TestNodes.start(dataDir, NodeConfig.AUTO_CREATE_TOPICS_ENABLE, "false",
                NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        port = TestNodes.port(node);
        KafkaClients.createTopics(port, KafkaClients.topic(TOPIC, 2, Map.of()));
        // As a client does first: find the coordinator, which creates and loads __consumer_offsets.
        try (RawConnection c = new RawConnection(port)) {
            FindCoordinatorResponseData found = c.roundTrip(ApiKey.FIND_COORDINATOR, (short) 3,
                    new FindCoordinatorRequestData().setKey(GROUP));
            assertThat(Errors.forCode(found.errorCode())).isEqualTo(Errors.NONE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static JoinGroupResponseData join(RawConnection c, String memberId) throws IOException {
        return c.roundTrip(ApiKey.JOIN_GROUP, (short) 9, new JoinGroupRequestData().setGroupId(GROUP)
                .setMemberId(memberId).setSessionTimeoutMs(30_000).setRebalanceTimeoutMs(10_000)
                .setProtocolType("consumer").setProtocols(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("range").setMetadata("subscription".getBytes(StandardCharsets.UTF_8)))));
    }

    private static SyncGroupResponseData sync(RawConnection c, String memberId, int generation) throws IOException {
        return c.roundTrip(ApiKey.SYNC_GROUP, (short) 5, new SyncGroupRequestData().setGroupId(GROUP)
                .setMemberId(memberId).setGenerationId(generation).setProtocolType("consumer").setProtocolName("range")
                .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                        .setMemberId(memberId).setAssignment(ASSIGNMENT))));
    }

    private static Errors heartbeat(RawConnection c, int version, String group, String memberId, int generation)
            throws IOException {
        HeartbeatResponseData r = c.roundTrip(ApiKey.HEARTBEAT, (short) version,
                new HeartbeatRequestData().setGroupId(group).setMemberId(memberId).setGenerationId(generation));
        return Errors.forCode(r.errorCode());
    }

    /** The error of each partition committed, in partition order. */
    private static List<Errors> commit(RawConnection c, int version, String memberId, int generation,
            Map<Integer, Long> offsets) throws IOException {
        List<OffsetCommitRequestData.OffsetCommitRequestPartition> partitions = new ArrayList<>();
        offsets.forEach((p, o) -> partitions.add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                .setPartitionIndex(p).setCommittedOffset(o)));
        OffsetCommitResponseData r = c.roundTrip(ApiKey.OFFSET_COMMIT, (short) version, new OffsetCommitRequestData()
                .setGroupId(GROUP).setMemberId(memberId).setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC)
                        .setPartitions(partitions))));
        assertThat(r.topics()).hasSize(1);
        return r.topics().get(0).partitions().stream().map(p -> Errors.forCode(p.errorCode())).toList();
    }

    /** Committed offsets of both partitions (-1: none), by OffsetFetch v7. */
    private static Map<Integer, Long> committed(RawConnection c) throws IOException {
        OffsetFetchResponseData r = c.roundTrip(ApiKey.OFFSET_FETCH, (short) 7, new OffsetFetchRequestData()
                .setGroupId(GROUP).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName(TOPIC).setPartitionIndexes(List.of(0, 1)))));
        assertThat(r.errorCode()).isZero();
        Map<Integer, Long> offsets = new TreeMap<>();
        for (OffsetFetchResponseData.OffsetFetchResponsePartition p : r.topics().get(0).partitions()) {
            assertThat(p.errorCode()).isZero();
            offsets.put(p.partitionIndex(), p.committedOffset());
        }
        return offsets;
    }

    /** What DescribeGroups v5 shows of a group, in a form that compares by value. */
    record Described(short error, String state, String protocolType, String protocol, List<String> members) {
    }

    private static Described describe(RawConnection c, String group) throws IOException {
        DescribeGroupsResponseData r = c.roundTrip(ApiKey.DESCRIBE_GROUPS, (short) 5,
                new DescribeGroupsRequestData().setGroups(List.of(group)));
        DescribeGroupsResponseData.DescribedGroup g = r.groups().get(0);
        List<String> members = g.members().stream().map(m -> m.memberId() + " assigned "
                + new String(m.memberAssignment(), StandardCharsets.UTF_8)).toList();
        return new Described(g.errorCode(), g.groupState(), g.protocolType(), g.protocolData(), members);
    }

    @Test
    void heartbeatsAndCommitsFromStrangersOrOtherGenerationsAreRefusedAndChangeNothing() throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            // A one-member group in generation 2 (the member joins, syncs, rejoins, syncs) with commits.
            JoinGroupResponseData first = join(c, "");
            assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
            String member = first.memberId();
            JoinGroupResponseData joined = join(c, member);
            assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
            assertThat(joined.generationId()).isEqualTo(1);
            assertThat(joined.leader()).isEqualTo(member);
            assertThat(Errors.forCode(sync(c, member, 1).errorCode())).isEqualTo(Errors.NONE);
            JoinGroupResponseData rejoined = join(c, member);
            assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
            assertThat(rejoined.generationId()).isEqualTo(2);
            SyncGroupResponseData synced = sync(c, member, 2);
            assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
            assertThat(synced.assignment()).isEqualTo(ASSIGNMENT);
            assertThat(commit(c, 9, member, 2, Map.of(0, 5L, 1, 7L))).containsOnly(Errors.NONE);

            Map<Integer, Long> offsets = Map.of(0, 5L, 1, 7L);
            Described stable = new Described((short) 0, "Stable", "consumer", "range",
                    List.of(member + " assigned partitions 0 and 1"));
            assertThat(committed(c)).isEqualTo(offsets);
            assertThat(describe(c, GROUP)).isEqualTo(stable);

            // Heartbeats: unknown member (flexible v4 and the first version), stale and future
            // generations, and a group that does not exist (Kafka: UNKNOWN_MEMBER_ID as well).
            assertThat(heartbeat(c, 4, GROUP, "nobody", 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(heartbeat(c, 0, GROUP, "nobody", 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(heartbeat(c, 4, GROUP, member, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(heartbeat(c, 0, GROUP, member, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(heartbeat(c, 4, GROUP, member, 3)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(heartbeat(c, 4, "no-such-group", member, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

            // Commits: the same, each partition answered with the error; and a commit with neither
            // member nor generation (a "simple" commit) into a group that has members.
            Map<Integer, Long> bad = Map.of(0, 100L, 1, 100L);
            assertThat(commit(c, 9, "nobody", 2, bad)).containsExactly(Errors.UNKNOWN_MEMBER_ID, Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(c, 2, "nobody", 2, bad)).containsExactly(Errors.UNKNOWN_MEMBER_ID, Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(c, 9, member, 1, bad)).containsExactly(Errors.ILLEGAL_GENERATION, Errors.ILLEGAL_GENERATION);
            assertThat(commit(c, 2, member, 1, bad)).containsExactly(Errors.ILLEGAL_GENERATION, Errors.ILLEGAL_GENERATION);
            assertThat(commit(c, 9, member, 3, bad)).containsExactly(Errors.ILLEGAL_GENERATION, Errors.ILLEGAL_GENERATION);
            assertThat(commit(c, 9, "", -1, bad)).containsExactly(Errors.UNKNOWN_MEMBER_ID, Errors.UNKNOWN_MEMBER_ID);

            // Nothing changed: offsets, group, member, assignment; the generation is still 2 (the
            // member's heartbeat with it succeeds); no group was made up for the unknown one.
            assertThat(committed(c)).isEqualTo(offsets);
            assertThat(describe(c, GROUP)).isEqualTo(stable);
            assertThat(heartbeat(c, 4, GROUP, member, 2)).isEqualTo(Errors.NONE);
            assertThat(describe(c, "no-such-group").state()).isEqualTo("Dead");

            // The member still commits, on this connection and on another.
            assertThat(commit(c, 9, member, 2, Map.of(0, 6L))).containsOnly(Errors.NONE);
            try (RawConnection other = new RawConnection(port)) {
                assertThat(commit(other, 2, member, 2, Map.of(1, 8L))).containsOnly(Errors.NONE);
                assertThat(committed(other)).isEqualTo(Map.of(0, 6L, 1, 8L));
            }

            // Once the member has left, the group is Empty (generation 3) and knows no member: its
            // former member id is unknown whatever the generation (Kafka checks the member first).
            LeaveGroupResponseData left = c.roundTrip(ApiKey.LEAVE_GROUP, (short) 5, new LeaveGroupRequestData()
                    .setGroupId(GROUP).setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(member))));
            assertThat(left.errorCode()).isZero();
            assertThat(left.members()).allMatch(m -> m.errorCode() == 0);
            Described empty = new Described((short) 0, "Empty", "consumer", "", List.of());
            assertThat(describe(c, GROUP)).isEqualTo(empty);
            assertThat(heartbeat(c, 4, GROUP, member, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(heartbeat(c, 4, GROUP, member, 3)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(c, 9, member, 2, bad)).containsExactly(Errors.UNKNOWN_MEMBER_ID, Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(c, 9, member, 3, bad)).containsExactly(Errors.UNKNOWN_MEMBER_ID, Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(c, 9, "nobody", 3, bad)).containsExactly(Errors.UNKNOWN_MEMBER_ID, Errors.UNKNOWN_MEMBER_ID);
            assertThat(committed(c)).isEqualTo(Map.of(0, 6L, 1, 8L));
            assertThat(describe(c, GROUP)).isEqualTo(empty);

            // An Empty group takes commits without a generation (admin tools, manual assignment).
            assertThat(commit(c, 9, "", -1, Map.of(0, 9L))).containsOnly(Errors.NONE);
            assertThat(committed(c)).isEqualTo(Map.of(0, 9L, 1, 8L));
        }
    }
}
