package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.ApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.group.consumer.ConsumerGroupDescribeHandler;
import io.fjord.group.consumer.ConsumerGroupHeartbeatHandler;
import io.fjord.group.consumer.ConsumerGroupSettings;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicRegistry;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ConsumerGroupDescribeRequestData;
import io.fjord.protocol.message.ConsumerGroupDescribeResponseData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.fjord.protocol.message.DescribeGroupsRequestData;
import io.fjord.protocol.message.DescribeGroupsResponseData;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.ListGroupsRequestData;
import io.fjord.protocol.message.ListGroupsResponseData;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import io.fjord.protocol.message.OffsetFetchRequestData;
import io.fjord.protocol.message.OffsetFetchResponseData;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The KIP-848 handlers over a real coordinator (its own thread), without sockets, and how they meet classic groups. */
class ConsumerProtocolHandlersTest {
    private static final UUID T = UUID.randomUUID();
    private static final TopicInfo TOPIC = new TopicInfo("t", T, false, IntStream.range(0, 4)
            .mapToObj(p -> new PartitionInfo(p, 1, 0, List.of(1), List.of(1), List.of())).toList());
    private static final TopicRegistry TOPICS = new TopicRegistry() {
        @Override
        public Collection<TopicInfo> topics() {
            return List.of(TOPIC);
        }

        @Override
        public TopicInfo topic(String name) {
            return name.equals("t") ? TOPIC : null;
        }

        @Override
        public TopicInfo topic(UUID topicId) {
            return topicId.equals(T) ? TOPIC : null;
        }
    };

    private final GroupCoordinator coordinator = new GroupCoordinator(new GroupSettings(6000, 1_800_000, 0, Integer.MAX_VALUE));
    private final ConsumerGroupHeartbeatHandler heartbeat;
    private final ConsumerGroupDescribeHandler describe;

    ConsumerProtocolHandlersTest() {
        coordinator.configureConsumerGroups(ConsumerGroupSettings.defaults(), () -> TOPICS);
        heartbeat = new ConsumerGroupHeartbeatHandler(coordinator);
        describe = new ConsumerGroupDescribeHandler(coordinator, () -> TOPICS);
    }

    @AfterEach
    void close() {
        coordinator.close();
    }

    @SuppressWarnings("unchecked")
    private static <T extends ApiMessage> T call(ApiHandler handler, int version, ApiMessage request) {
        RequestContext context = new RequestContext(handler.apiKey(), (short) version, (short) 2, 1, "client", "PLAINTEXT", null);
        return (T) handler.handle(context, request).join();
    }

    private static ConsumerGroupHeartbeatRequestData join(String group, String member) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(0)
                .setRebalanceTimeoutMs(30000).setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of());
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(int version, ConsumerGroupHeartbeatRequestData request) {
        return call(heartbeat, version, request);
    }

    @Test
    void badRequestsGetKafkasErrorsAndMessages() {
        assertThat(heartbeat(1, join("g", "")).errorMessage()).isEqualTo("MemberId can't be empty.");
        assertThat(heartbeat(1, join("g", "")).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(heartbeat(0, join("g", "")).errorCode()).as("v0: the coordinator names the member").isZero();
        assertThat(heartbeat(1, join(" ", "m")).errorMessage()).isEqualTo("GroupId can't be empty.");
        assertThat(heartbeat(1, join("", "m")).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(heartbeat(0, join("", "m")).errorMessage()).as("v0 too").isEqualTo("GroupId can't be empty.");
        assertThat(heartbeat(1, join("g", "m").setRebalanceTimeoutMs(-1)).errorMessage())
                .isEqualTo("RebalanceTimeoutMs must be provided in first request.");
        assertThat(heartbeat(1, join("g", "m").setTopicPartitions(null)).errorMessage())
                .isEqualTo("TopicPartitions must be empty when (re-)joining.");
        assertThat(heartbeat(1, join("g", "m").setSubscribedTopicNames(null)).errorMessage())
                .isEqualTo("Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
        assertThat(heartbeat(1, join("g", "m").setMemberEpoch(-2)).errorMessage()).isEqualTo("InstanceId can't be null.");
        assertThat(heartbeat(1, join("g", "m").setMemberEpoch(-3)).errorMessage()).isEqualTo("MemberEpoch is invalid.");
        ConsumerGroupHeartbeatResponseData assignor = heartbeat(1, join("g", "m").setServerAssignor("sticky"));
        assertThat(assignor.errorCode()).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
        assertThat(assignor.errorMessage()).isEqualTo("ServerAssignor sticky is not supported. Supported assignors: uniform, range.");
        assertThat(heartbeat(1, join("g", "m").setSubscribedTopicNames(null).setSubscribedTopicRegex("[")).errorCode())
                .isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
        assertThat(heartbeat(1, join("none", "m").setMemberEpoch(3)).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void aJoinIsAnsweredWithTopicIdsAndTheGroupIsDescribedAndListed() {
        ConsumerGroupHeartbeatResponseData joined = heartbeat(1, join("g", "m1"));
        assertThat(joined.errorCode()).isZero();
        assertThat(joined.memberId()).isEqualTo("m1");
        assertThat(joined.memberEpoch()).isEqualTo(1);
        assertThat(joined.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(joined.assignment().topicPartitions()).singleElement().satisfies(tp -> {
            assertThat(tp.topicId()).isEqualTo(T);
            assertThat(tp.partitions()).containsExactly(0, 1, 2, 3);
        });

        ConsumerGroupDescribeResponseData described = call(describe, 1, new ConsumerGroupDescribeRequestData()
                .setGroupIds(List.of("g", "missing")).setIncludeAuthorizedOperations(true));
        ConsumerGroupDescribeResponseData.DescribedGroup g = described.groups().get(0);
        assertThat(g.errorCode()).isZero();
        assertThat(g.groupState()).isEqualTo("Stable");
        assertThat(g.groupEpoch()).isEqualTo(1);
        assertThat(g.assignmentEpoch()).isEqualTo(1);
        assertThat(g.assignorName()).isEqualTo("uniform");
        assertThat(g.authorizedOperations()).isNotEqualTo(Integer.MIN_VALUE);
        assertThat(g.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo("m1");
            assertThat(m.clientId()).isEqualTo("client");
            assertThat(m.memberType()).isEqualTo((byte) 1);
            assertThat(m.subscribedTopicNames()).containsExactly("t");
            assertThat(m.assignment().topicPartitions()).singleElement()
                    .satisfies(tp -> assertThat(tp.topicName()).isEqualTo("t"));
        });
        assertThat(described.groups().get(1).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(described.groups().get(1).errorMessage()).isEqualTo("Group missing not found.");

        ListGroupsResponseData consumers = call(new ListGroupsHandler(coordinator), 5,
                new ListGroupsRequestData().setTypesFilter(List.of("consumer")));
        assertThat(consumers.groups()).singleElement().satisfies(l -> {
            assertThat(l.groupId()).isEqualTo("g");
            assertThat(l.groupType()).isEqualTo("consumer");
            assertThat(l.protocolType()).isEqualTo("consumer");
            assertThat(l.groupState()).isEqualTo("Stable");
        });
        ListGroupsResponseData classic = call(new ListGroupsHandler(coordinator), 5,
                new ListGroupsRequestData().setTypesFilter(List.of("classic")));
        assertThat(classic.groups()).isEmpty();
        ListGroupsResponseData empty = call(new ListGroupsHandler(coordinator), 5,
                new ListGroupsRequestData().setStatesFilter(List.of("Empty")));
        assertThat(empty.groups()).isEmpty();

        // DescribeGroups knows classic groups only, as Kafka's: a consumer group is not found there.
        DescribeGroupsResponseData old = call(new DescribeGroupsHandler(coordinator), 6,
                new DescribeGroupsRequestData().setGroups(List.of("g")));
        assertThat(old.groups()).singleElement().satisfies(d -> {
            assertThat(d.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
            assertThat(d.groupState()).isEqualTo("Dead");
        });
    }

    @Test
    void classicAndConsumerGroupsShareOneNamespace() {
        JoinGroupResponseData classicJoin = call(new JoinGroupHandler(coordinator), 3, new JoinGroupRequestData()
                .setGroupId("c").setMemberId("").setSessionTimeoutMs(10000).setRebalanceTimeoutMs(10000)
                .setProtocolType("consumer").setProtocols(List.of(
                        new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]))));
        assertThat(classicJoin.errorCode()).isZero();
        assertThat(heartbeat(1, join("c", "m")).errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
        assertThat(heartbeat(1, join("c", "m").setMemberEpoch(1)).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        ConsumerGroupDescribeResponseData described = call(describe, 0, new ConsumerGroupDescribeRequestData().setGroupIds(List.of("c")));
        assertThat(described.groups().get(0).errorMessage()).isEqualTo("Group c is not a consumer group.");

        heartbeat(1, join("k", "m"));
        JoinGroupResponseData intoConsumerGroup = call(new JoinGroupHandler(coordinator), 3, new JoinGroupRequestData()
                .setGroupId("k").setMemberId("").setSessionTimeoutMs(10000).setRebalanceTimeoutMs(10000)
                .setProtocolType("consumer").setProtocols(List.of(
                        new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]))));
        assertThat(intoConsumerGroup.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
    }

    @Test
    void commitsAndFetchesOfMembersCarryTheirEpoch() {
        heartbeat(1, join("g", "m1"));
        OffsetCommitResponseData ok = call(new OffsetCommitHandler(coordinator), 9, commit("m1", 1));
        assertThat(ok.topics().get(0).partitions().get(0).errorCode()).isZero();
        OffsetCommitResponseData stale = call(new OffsetCommitHandler(coordinator), 9, commit("m1", 0));
        assertThat(stale.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.STALE_MEMBER_EPOCH.code());
        OffsetCommitResponseData unknown = call(new OffsetCommitHandler(coordinator), 9, commit("x", 1));
        assertThat(unknown.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());

        OffsetFetchResponseData fetched = call(new OffsetFetchHandler(coordinator), 9, fetch("m1", 1));
        assertThat(fetched.groups().get(0).errorCode()).isZero();
        assertThat(fetched.groups().get(0).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(5);
        OffsetFetchResponseData staleFetch = call(new OffsetFetchHandler(coordinator), 9, fetch("m1", 7));
        assertThat(staleFetch.groups().get(0).errorCode()).isEqualTo(Errors.STALE_MEMBER_EPOCH.code());
        OffsetFetchResponseData unknownFetch = call(new OffsetFetchHandler(coordinator), 9, fetch("x", 1));
        assertThat(unknownFetch.groups().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        OffsetFetchResponseData admin = call(new OffsetFetchHandler(coordinator), 9, fetch(null, -1));
        assertThat(admin.groups().get(0).errorCode()).isZero();
    }

    private static OffsetCommitRequestData commit(String member, int epoch) {
        return new OffsetCommitRequestData().setGroupId("g").setMemberId(member).setGenerationIdOrMemberEpoch(epoch)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5)))));
    }

    private static OffsetFetchRequestData fetch(String member, int epoch) {
        return new OffsetFetchRequestData().setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId("g").setMemberId(member).setMemberEpoch(epoch).setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("t").setPartitionIndexes(List.of(0))))));
    }

    @Test
    void membersMustCommitWithV9AndAnEmptyGroupTakesAdminCommitsAtAnyVersion() {
        // Empty consumer group (restored, no members): a generation -1 commit is fine below v9 too.
        heartbeat(1, join("g", "m1"));
        heartbeat(1, new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("m1").setMemberEpoch(-1));
        OffsetCommitResponseData admin = call(new OffsetCommitHandler(coordinator), 8, commit("", -1));
        assertThat(admin.topics().get(0).partitions().get(0).errorCode()).isZero();

        // A member of a KIP-848 group below v9: Kafka's UNSUPPORTED_VERSION on every partition; an unknown member
        // is still UNKNOWN_MEMBER_ID (checked first, as Kafka does).
        ConsumerGroupHeartbeatResponseData joined = heartbeat(1, join("g", "m2"));
        assertThat(joined.errorCode()).isZero();
        OffsetCommitResponseData v8 = call(new OffsetCommitHandler(coordinator), 8, commit("m2", joined.memberEpoch()));
        assertThat(v8.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        OffsetCommitResponseData unknown = call(new OffsetCommitHandler(coordinator), 8, commit("x", joined.memberEpoch()));
        assertThat(unknown.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        OffsetCommitResponseData v9 = call(new OffsetCommitHandler(coordinator), 9, commit("m2", joined.memberEpoch()));
        assertThat(v9.topics().get(0).partitions().get(0).errorCode()).isZero();
    }

    @Test
    void describeGroupsOfAConsumerGroupSaysItIsNotAClassicGroup() {
        heartbeat(1, join("g", "m1"));
        DescribeGroupsResponseData v6 = call(new DescribeGroupsHandler(coordinator), 6,
                new DescribeGroupsRequestData().setGroups(List.of("g", "nothing")));
        assertThat(v6.groups().get(0).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(v6.groups().get(0).errorMessage()).isEqualTo("Group g is not a classic group.");
        assertThat(v6.groups().get(1).errorMessage()).isEqualTo("Group nothing not found.");
        // Below v6 Kafka shows it Dead without an error.
        DescribeGroupsResponseData v5 = call(new DescribeGroupsHandler(coordinator), 5,
                new DescribeGroupsRequestData().setGroups(List.of("g")));
        assertThat(v5.groups().get(0).errorCode()).isZero();
        assertThat(v5.groups().get(0).groupState()).isEqualTo("Dead");
    }
}
