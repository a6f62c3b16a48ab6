package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.HeartbeatRequestData;
import io.fjord.protocol.message.HeartbeatResponseData;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import io.fjord.protocol.message.OffsetFetchRequestData;
import io.fjord.protocol.message.OffsetFetchResponseData;
import io.fjord.protocol.message.SyncGroupRequestData;
import io.fjord.protocol.message.SyncGroupResponseData;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.Frames;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupsOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, group administration over real sockets: Kafka's AdminClient (list with a state filter,
 * describe, list/alter/delete offsets, delete groups) and raw requests with bad input.
 */
class GroupAdminTest {
    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void startNode() {
        // group.max.size 1 and a 20 s session ceiling: the config keys reach the groups (see the bad-input test).
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, "1", NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0",
                NodeConfig.GROUP_MAX_SIZE, "1", NodeConfig.GROUP_MAX_SESSION_TIMEOUT_MS, "20000");
        port = TestNodes.port(node);
        KafkaClients.createTopics(port, KafkaClients.topic("admin-t", 2, Map.of()), KafkaClients.topic("admin-u", 1, Map.of()),
                KafkaClients.topic("raw-t", 1, Map.of()));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void alterListDeleteOffsetsAndGroups() throws Exception {
        TopicPartition t0 = new TopicPartition("admin-t", 0);
        TopicPartition t1 = new TopicPartition("admin-t", 1);
        TopicPartition u0 = new TopicPartition("admin-u", 0);
        try (Admin admin = KafkaClients.admin(port)) {
            KafkaClients.get(admin.alterConsumerGroupOffsets("offsets-only", Map.of(
                    t0, new OffsetAndMetadata(3, "three"), t1, new OffsetAndMetadata(4), u0, new OffsetAndMetadata(5))).all());
            Map<TopicPartition, OffsetAndMetadata> listed =
                    KafkaClients.get(admin.listConsumerGroupOffsets("offsets-only").partitionsToOffsetAndMetadata());
            assertThat(listed).containsOnlyKeys(t0, t1, u0);
            assertThat(listed.get(t0).offset()).isEqualTo(3);
            assertThat(listed.get(t0).metadata()).isEqualTo("three");

            // A group with offsets and no members is Empty: the state filter finds it only under Empty.
            assertThat(KafkaClients.get(admin.listConsumerGroups(new ListConsumerGroupsOptions()
                    .inGroupStates(Set.of(GroupState.EMPTY))).all())).extracting(ConsumerGroupListing::groupId).contains("offsets-only");
            assertThat(KafkaClients.get(admin.listConsumerGroups(new ListConsumerGroupsOptions()
                    .inGroupStates(Set.of(GroupState.STABLE))).all())).extracting(ConsumerGroupListing::groupId)
                    .doesNotContain("offsets-only");

            KafkaClients.get(admin.deleteConsumerGroupOffsets("offsets-only", Set.of(t0)).all());
            assertThat(KafkaClients.get(admin.listConsumerGroupOffsets("offsets-only").partitionsToOffsetAndMetadata()))
                    .containsOnlyKeys(t1, u0);

            KafkaClients.get(admin.deleteConsumerGroups(List.of("offsets-only")).all());
            assertThat(KafkaClients.get(admin.listConsumerGroupOffsets("offsets-only").partitionsToOffsetAndMetadata())).isEmpty();
            assertThat(KafkaClients.get(admin.listConsumerGroups().all())).extracting(ConsumerGroupListing::groupId)
                    .doesNotContain("offsets-only");
            assertThat(KafkaClients.failure(admin.deleteConsumerGroups(List.of("offsets-only")).all()))
                    .isInstanceOf(GroupIdNotFoundException.class);
            // An empty group id through AdminClient: looked up like any id, as Kafka does, and not found.
            assertThat(KafkaClients.failure(admin.describeConsumerGroups(List.of("")).all()))
                    .isInstanceOf(GroupIdNotFoundException.class);
            assertThat(KafkaClients.failure(admin.deleteConsumerGroups(List.of("")).all()))
                    .isInstanceOf(GroupIdNotFoundException.class);
        }
    }

    @Test
    void aGroupWithMembersIsProtected() throws Exception {
        TopicPartition t0 = new TopicPartition("admin-t", 0);
        TopicPartition u0 = new TopicPartition("admin-u", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port, "group.id", "busy", "group.protocol", "classic",
                "auto.offset.reset", "earliest", "client.id", "busy-1", "session.timeout.ms", "10000", "heartbeat.interval.ms", "500");
                Admin admin = KafkaClients.admin(port)) {
            KafkaClients.get(admin.alterConsumerGroupOffsets("busy", Map.of(u0, new OffsetAndMetadata(1))).all());
            consumer.subscribe(List.of("admin-t"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && consumer.assignment().size() != 2) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(consumer.assignment()).hasSize(2);
            consumer.commitSync(Map.of(t0, new OffsetAndMetadata(0)));

            ConsumerGroupDescription description = KafkaClients.get(admin.describeConsumerGroups(List.of("busy")).all()).get("busy");
            assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(description.members()).singleElement().satisfies(m -> {
                assertThat(m.clientId()).isEqualTo("busy-1");
                assertThat(m.assignment().topicPartitions()).containsExactlyInAnyOrder(t0, new TopicPartition("admin-t", 1));
            });

            assertThat(KafkaClients.failure(admin.deleteConsumerGroups(List.of("busy")).all()))
                    .isInstanceOf(GroupNotEmptyException.class);
            assertThat(KafkaClients.failure(admin.deleteConsumerGroupOffsets("busy", Set.of(t0)).all()))
                    .isInstanceOf(GroupSubscribedToTopicException.class);
            // Not subscribed to admin-u: its offset may go while the group is active (KIP-496).
            KafkaClients.get(admin.deleteConsumerGroupOffsets("busy", Set.of(u0)).all());
            // An admin commit (no member, no generation) to a group with members: UNKNOWN_MEMBER_ID, nothing written.
            assertThat(KafkaClients.failure(admin.alterConsumerGroupOffsets("busy",
                    Map.of(t0, new OffsetAndMetadata(99))).all())).isInstanceOf(UnknownMemberIdException.class);
            assertThat(KafkaClients.get(admin.listConsumerGroupOffsets("busy").partitionsToOffsetAndMetadata()))
                    .containsOnlyKeys(t0).extractingByKey(t0).extracting(OffsetAndMetadata::offset).isEqualTo(0L);
        }
    }

    private static OffsetCommitRequestData commit(String group, String memberId, int generation, String topic, long offset) {
        return new OffsetCommitRequestData().setGroupId(group).setMemberId(memberId).setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset)))));
    }

    private static long fetched(RawConnection c, String group) throws Exception {
        OffsetFetchResponseData r = c.roundTrip(ApiKey.OFFSET_FETCH, (short) 9, new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("raw-t").setPartitionIndexes(List.of(0)))))));
        return r.groups().get(0).topics().get(0).partitions().get(0).committedOffset();
    }

    private static short commitError(OffsetCommitResponseData r) {
        return r.topics().get(0).partitions().get(0).errorCode();
    }

    @Test
    void badInputGetsKafkasErrorsAndChangesNothing() throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("raw").setMemberId("").setSessionTimeoutMs(10000)
                    .setRebalanceTimeoutMs(100).setProtocolType("consumer").setProtocols(List.of(
                            new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0])));
            JoinGroupResponseData first = c.roundTrip(ApiKey.JOIN_GROUP, (short) 9, join);
            assertThat(first.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
            JoinGroupResponseData joined = c.roundTrip(ApiKey.JOIN_GROUP, (short) 9, join.setMemberId(first.memberId()));
            assertThat(joined.errorCode()).isZero();
            String member = joined.memberId();
            int generation = joined.generationId();
            SyncGroupResponseData synced = c.roundTrip(ApiKey.SYNC_GROUP, (short) 5, new SyncGroupRequestData().setGroupId("raw")
                    .setMemberId(member).setGenerationId(generation).setProtocolType("consumer").setProtocolName("range")
                    .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member)
                            .setAssignment(new byte[0]))));
            assertThat(synced.errorCode()).isZero();
            assertThat(commitError(c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 9, commit("raw", member, generation, "raw-t", 7)))).isZero();

            // Heartbeats: unknown member, stale generation.
            HeartbeatResponseData ghost = c.roundTrip(ApiKey.HEARTBEAT, (short) 4,
                    new HeartbeatRequestData().setGroupId("raw").setMemberId("ghost").setGenerationId(generation));
            assertThat(ghost.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
            HeartbeatResponseData stale = c.roundTrip(ApiKey.HEARTBEAT, (short) 4,
                    new HeartbeatRequestData().setGroupId("raw").setMemberId(member).setGenerationId(generation - 1));
            assertThat(stale.errorCode()).isEqualTo(Errors.ILLEGAL_GENERATION.code());

            // Commits: unknown member, stale generation, simple commit to a group with members, unknown topic,
            // unknown group with a generation (v9 and v8), empty group id. None of them changes the offset.
            assertThat(commitError(c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 9, commit("raw", "ghost", generation, "raw-t", 99))))
                    .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
            assertThat(commitError(c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 9, commit("raw", member, generation - 1, "raw-t", 99))))
                    .isEqualTo(Errors.ILLEGAL_GENERATION.code());
            assertThat(commitError(c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 9, commit("raw", "", -1, "raw-t", 99))))
                    .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
            assertThat(commitError(c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 9, commit("raw", member, generation, "no-such-topic", 99))))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(commitError(c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 9, commit("no-group", "m", 1, "raw-t", 99))))
                    .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
            assertThat(commitError(c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 8, commit("no-group", "m", 1, "raw-t", 99))))
                    .isEqualTo(Errors.ILLEGAL_GENERATION.code());
            assertThat(commitError(c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 9, commit("", "", -1, "raw-t", 99))))
                    .isEqualTo(Errors.INVALID_GROUP_ID.code());
            assertThat(fetched(c, "raw")).isEqualTo(7);
            assertThat(fetched(c, "no-group")).isEqualTo(-1);

            // group.max.size 1: a second member is refused; a session above group.max.session.timeout.ms too.
            JoinGroupRequestData second = new JoinGroupRequestData().setGroupId("raw").setMemberId("").setSessionTimeoutMs(10000)
                    .setRebalanceTimeoutMs(100).setProtocolType("consumer").setProtocols(List.of(
                            new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0])));
            assertThat(((JoinGroupResponseData) c.roundTrip(ApiKey.JOIN_GROUP, (short) 3, second)).errorCode())
                    .isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
            assertThat(((JoinGroupResponseData) c.roundTrip(ApiKey.JOIN_GROUP, (short) 3,
                    second.setGroupId("other").setSessionTimeoutMs(30000))).errorCode())
                    .isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());
            assertThat(((HeartbeatResponseData) c.roundTrip(ApiKey.HEARTBEAT, (short) 4,
                    new HeartbeatRequestData().setGroupId("raw").setMemberId(member).setGenerationId(generation))).errorCode())
                    .isZero(); // the member is still there, alone

            // Empty group id on the membership APIs: INVALID_GROUP_ID.
            assertThat(((JoinGroupResponseData) c.roundTrip(ApiKey.JOIN_GROUP, (short) 9, join.setGroupId(""))).errorCode())
                    .isEqualTo(Errors.INVALID_GROUP_ID.code());
            assertThat(((HeartbeatResponseData) c.roundTrip(ApiKey.HEARTBEAT, (short) 4,
                    new HeartbeatRequestData().setGroupId("").setMemberId(member).setGenerationId(generation))).errorCode())
                    .isEqualTo(Errors.INVALID_GROUP_ID.code());
        }
    }

    @Test
    void aGroupIdLongerThanAProtocolStringClosesTheConnection() throws Exception {
        // 32767 bytes is the longest string the protocol has: such a group id is an ordinary id.
        String longest = "g".repeat(Short.MAX_VALUE);
        try (RawConnection c = new RawConnection(port)) {
            HeartbeatResponseData r = c.roundTrip(ApiKey.HEARTBEAT, (short) 4,
                    new HeartbeatRequestData().setGroupId(longest).setMemberId("m").setGenerationId(1));
            assertThat(r.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        }
        // One more byte (possible in a compact string's varint length) does not parse: like Kafka, the
        // broker closes the connection rather than answer.
        try (RawConnection c = new RawConnection(port)) {
            c.write(Frames.requestWithRawBody(ApiKey.HEARTBEAT, (short) 4, 1, heartbeatBody("g".repeat(Short.MAX_VALUE + 1))));
            assertThat(c.closedByServerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    /** A Heartbeat v4 body (flexible) written by hand, so the group id may exceed what writers allow. */
    private static byte[] heartbeatBody(String groupId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] id = groupId.getBytes(StandardCharsets.UTF_8);
        writeUnsignedVarint(out, id.length + 1);
        out.writeBytes(id);
        out.writeBytes(ByteBuffer.allocate(4).putInt(1).array()); // generation
        writeUnsignedVarint(out, 2); // member id "m"
        out.write('m');
        out.write(0); // group instance id: null
        out.write(0); // no tagged fields
        return out.toByteArray();
    }

    private static void writeUnsignedVarint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7f) != 0) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    @Test
    void offsetCommitAndFetchV10NameTopicsById() throws Exception {
        org.apache.kafka.common.Uuid kafkaId;
        try (Admin admin = KafkaClients.admin(port)) {
            kafkaId = KafkaClients.get(admin.describeTopics(List.of("raw-t")).allTopicNames()).get("raw-t").topicId();
        }
        UUID id = new UUID(kafkaId.getMostSignificantBits(), kafkaId.getLeastSignificantBits());
        UUID unknown = UUID.randomUUID();
        try (RawConnection c = new RawConnection(port)) {
            OffsetCommitResponseData committed = c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 10, new OffsetCommitRequestData()
                    .setGroupId("by-id").setMemberId("").setGenerationIdOrMemberEpoch(-1).setTopics(List.of(
                            new OffsetCommitRequestData.OffsetCommitRequestTopic().setTopicId(id).setPartitions(List.of(
                                    new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(21))),
                            new OffsetCommitRequestData.OffsetCommitRequestTopic().setTopicId(unknown).setPartitions(List.of(
                                    new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(22))))));
            assertThat(committed.topics()).extracting(OffsetCommitResponseData.OffsetCommitResponseTopic::topicId).containsExactly(id, unknown);
            assertThat(committed.topics().get(0).partitions().get(0).errorCode()).isZero();
            assertThat(committed.topics().get(1).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());

            OffsetFetchResponseData fetched = c.roundTrip(ApiKey.OFFSET_FETCH, (short) 10, new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("by-id").setTopics(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopics().setTopicId(id).setPartitionIndexes(List.of(0)),
                            new OffsetFetchRequestData.OffsetFetchRequestTopics().setTopicId(unknown).setPartitionIndexes(List.of(0)))))));
            List<OffsetFetchResponseData.OffsetFetchResponseTopics> topics = fetched.groups().get(0).topics();
            assertThat(topics).extracting(OffsetFetchResponseData.OffsetFetchResponseTopics::topicId).containsExactly(id, unknown);
            assertThat(topics.get(0).partitions().get(0).committedOffset()).isEqualTo(21);
            assertThat(topics.get(1).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
            assertThat(fetched(c, "by-id")).isEqualTo(21); // the same offset by name (v9)

            OffsetFetchResponseData all = c.roundTrip(ApiKey.OFFSET_FETCH, (short) 10, new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("by-id").setTopics(null))));
            assertThat(all.groups().get(0).topics()).singleElement().satisfies(t -> {
                assertThat(t.topicId()).isEqualTo(id);
                assertThat(t.partitions().get(0).committedOffset()).isEqualTo(21);
            });
        }
    }
}
