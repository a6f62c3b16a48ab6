package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.group.consumer.Assignment;
import io.fjord.group.consumer.ConsumerGroup;
import io.fjord.group.consumer.HeartbeatRequest;
import io.fjord.group.consumer.HeartbeatResult;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KIP-211 retention, driven with explicit clock values. */
class OffsetRetentionTest {
    private static final long RETENTION = 60_000;
    private final List<CoordinatorRecord> written = new ArrayList<>();
    private final GroupCoordinator coordinator = new GroupCoordinator(GroupSettings.defaults(), (groupId, records) -> {
        synchronized (written) {
            written.addAll(records);
        }
        return CompletableFuture.completedFuture(null);
    });

    @AfterEach
    void close() {
        coordinator.close();
    }

    private void load(OffsetsPartitionState state) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        coordinator.execute(() -> {
            coordinator.loadPartition(state);
            done.countDown();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }

    private int expire(long now) throws Exception {
        return coordinator.expireOffsetsAsync(now, RETENTION).get(5, TimeUnit.SECONDS);
    }

    private static GroupCoordinator.OffsetKey key(int partition) {
        return new GroupCoordinator.OffsetKey("t", partition);
    }

    @Test
    void standaloneOffsetsExpireOneByOneFromTheirCommitTime() throws Exception {
        coordinator.commit("simple", "", null, -1, Map.of(key(0), new GroupCoordinator.Committed(1, -1, "", 1_000)))
                .get(5, TimeUnit.SECONDS);
        coordinator.commit("simple", "", null, -1, Map.of(key(1), new GroupCoordinator.Committed(2, -1, "", 5_000)))
                .get(5, TimeUnit.SECONDS);
        written.clear();

        assertThat(expire(1_000 + RETENTION - 1)).isZero();
        assertThat(expire(1_000 + RETENTION)).isEqualTo(1);
        assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("simple", "t", 0, null));
        assertThat(coordinator.fetchOffsets("simple", null).get(5, TimeUnit.SECONDS)).containsOnlyKeys(key(1));

        written.clear();
        assertThat(expire(5_000 + RETENTION)).isEqualTo(1);
        // The last offset gone, the empty group goes too.
        assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("simple", "t", 1, null),
                new CoordinatorRecord.GroupMetadata("simple", null));
        assertThat(coordinator.listGroups().get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aGroupsOffsetsExpireTogetherOnceItHasBeenEmptyForTheRetention() throws Exception {
        long emptySince = 100_000;
        OffsetsPartitionState state = new OffsetsPartitionState();
        state.apply(new CoordinatorRecord.GroupMetadata("g", new GroupSnapshot("classic", "consumer", 4, null, null, emptySince)));
        // Committed long before the group became empty: the commit time does not count, the emptiness does.
        state.apply(new CoordinatorRecord.OffsetCommit("g", "t", 0, new GroupCoordinator.Committed(10, -1, "", 1)));
        state.apply(new CoordinatorRecord.OffsetCommit("g", "t", 1, new GroupCoordinator.Committed(20, -1, "", 2)));
        load(state);

        assertThat(expire(emptySince + RETENTION - 1)).isZero();
        assertThat(written).isEmpty();
        assertThat(expire(emptySince + RETENTION)).isEqualTo(2);
        assertThat(written).containsExactlyInAnyOrder(new CoordinatorRecord.OffsetCommit("g", "t", 0, null),
                new CoordinatorRecord.OffsetCommit("g", "t", 1, null), new CoordinatorRecord.GroupMetadata("g", null));
        assertThat(coordinator.describe("g").get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void loadedGroupsComeBackEmptyWithTheirGenerationAndConsumerGroupsEmptyAtTheirEpoch() throws Exception {
        OffsetsPartitionState state = new OffsetsPartitionState();
        state.apply(new CoordinatorRecord.GroupMetadata("g", new GroupSnapshot("classic", "consumer", 7, "range", "m1", 5)));
        state.apply(new CoordinatorRecord.GroupMetadata("cg", new GroupSnapshot("consumer", "consumer", 3, null, null, -1)));
        state.apply(new CoordinatorRecord.OffsetCommit("g", "t", 0, new GroupCoordinator.Committed(10, -1, "", 1)));
        load(state);

        GroupCoordinator.GroupDescription g = coordinator.describe("g").get(5, TimeUnit.SECONDS);
        assertThat(g.state()).isEqualTo(GroupState.EMPTY);
        assertThat(g.protocolType()).isEqualTo("consumer");
        assertThat(coordinator.fetchOffsets("g", null).get(5, TimeUnit.SECONDS)).containsOnlyKeys(key(0));
        ConsumerGroup.Description cg = coordinator.describeConsumerGroups(List.of("cg")).get(5, TimeUnit.SECONDS).get("cg");
        assertThat(cg.groupEpoch()).isEqualTo(3);
        assertThat(cg.members()).isEmpty();
        assertThat(coordinator.describe("cg").get(5, TimeUnit.SECONDS)).as("not a classic group").isNull();
    }

    private HeartbeatResult consumerHeartbeat(String member, int epoch, List<String> topics) throws Exception {
        return coordinator.consumerGroupHeartbeat("cg", new HeartbeatRequest(member, epoch, null, null, 30_000, topics, null,
                null, epoch == 0 ? Assignment.EMPTY : null, "client", "/127.0.0.1")).get(5, TimeUnit.SECONDS);
    }

    private static GroupCoordinator.OffsetKey key(String topic, int partition) {
        return new GroupCoordinator.OffsetKey(topic, partition);
    }

    @Test
    void consumerGroupOffsetsOfUnsubscribedTopicsExpireFromTheirCommitTimeAndTheEmptyGroupGoesWithTheLast() throws Exception {
        HeartbeatResult joined = consumerHeartbeat("m1", 0, List.of("t"));
        assertThat(joined.error()).isEqualTo(Errors.NONE);
        int epoch = joined.memberEpoch();
        assertThat(coordinator.commit("cg", "m1", null, epoch, Map.of(key("t", 0), new GroupCoordinator.Committed(1, -1, "", 1_000)))
                .get(5, TimeUnit.SECONDS)).isEqualTo(Errors.NONE);
        assertThat(coordinator.commit("cg", "m1", null, epoch, Map.of(key("u", 0), new GroupCoordinator.Committed(2, -1, "", 2_000)))
                .get(5, TimeUnit.SECONDS)).isEqualTo(Errors.NONE);
        written.clear();

        // m1 subscribes to t: only u's offset may expire, RETENTION after its commit.
        assertThat(expire(2_000 + RETENTION - 1)).isZero();
        assertThat(written).isEmpty();
        assertThat(expire(2_000 + RETENTION + 50_000)).isEqualTo(1);
        assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("cg", "u", 0, null));
        assertThat(coordinator.fetchOffsets("cg", null).get(5, TimeUnit.SECONDS)).containsOnlyKeys(key("t", 0));

        // Once the group is empty, t's offset counts from its commit (not from when the group emptied).
        assertThat(consumerHeartbeat("m1", ConsumerGroup.LEAVE_GROUP_MEMBER_EPOCH, null).error()).isEqualTo(Errors.NONE);
        written.clear();
        assertThat(expire(1_000 + RETENTION - 1)).isZero();
        assertThat(written).isEmpty();
        assertThat(expire(1_000 + RETENTION)).isEqualTo(1);
        assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("cg", "t", 0, null),
                new CoordinatorRecord.GroupMetadata("cg", null));
        assertThat(coordinator.describeConsumerGroups(List.of("cg")).get(5, TimeUnit.SECONDS).get("cg")).isNull();
        assertThat(coordinator.fetchOffsets("cg", null).get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aConsumerGroupWithMembersIsKeptWhenAllItsOffsetsExpireAndAnEmptyOneWithoutOffsetsIsRemoved() throws Exception {
        HeartbeatResult joined = consumerHeartbeat("m1", 0, List.of("t"));
        coordinator.commit("cg", "m1", null, joined.memberEpoch(),
                Map.of(key("u", 0), new GroupCoordinator.Committed(2, -1, "", 0))).get(5, TimeUnit.SECONDS);
        written.clear();
        assertThat(expire(RETENTION)).isEqualTo(1);
        assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("cg", "u", 0, null));
        assertThat(coordinator.describeConsumerGroups(List.of("cg")).get(5, TimeUnit.SECONDS).get("cg").members()).hasSize(1);

        consumerHeartbeat("m1", ConsumerGroup.LEAVE_GROUP_MEMBER_EPOCH, null);
        written.clear();
        // No offsets at all: Kafka deletes the empty group at the next check, whatever the clock says.
        assertThat(expire(RETENTION + 1)).isZero();
        assertThat(written).containsExactly(new CoordinatorRecord.GroupMetadata("cg", null));
        assertThat(coordinator.describeConsumerGroups(List.of("cg")).get(5, TimeUnit.SECONDS).get("cg")).isNull();
    }

    @Test
    void aRestoredConsumerGroupsOffsetsExpireFromTheirCommitTime() throws Exception {
        OffsetsPartitionState state = new OffsetsPartitionState();
        state.apply(new CoordinatorRecord.GroupMetadata("cg", new GroupSnapshot("consumer", "consumer", 3, null, null, 500_000)));
        state.apply(new CoordinatorRecord.OffsetCommit("cg", "t", 0, new GroupCoordinator.Committed(10, -1, "", 1_000)));
        state.apply(new CoordinatorRecord.OffsetCommit("cg", "t", 1, new GroupCoordinator.Committed(20, -1, "", 9_000)));
        load(state);

        assertThat(expire(1_000 + RETENTION)).isEqualTo(1);
        assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("cg", "t", 0, null));
        assertThat(coordinator.describeConsumerGroups(List.of("cg")).get(5, TimeUnit.SECONDS).get("cg")).isNotNull();
        written.clear();
        assertThat(expire(9_000 + RETENTION)).isEqualTo(1);
        assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("cg", "t", 1, null),
                new CoordinatorRecord.GroupMetadata("cg", null));
    }

    @Test
    void anOffsetCommittedWithItsOwnRetentionExpiresAtThatTimeInsteadOfTheGroupsBase() throws Exception {
        // OffsetCommit v2-4 retention_time_ms: expire timestamp 10 000, far before commit + RETENTION.
        coordinator.commit("simple", "", null, -1, Map.of(key(0), new GroupCoordinator.Committed(1, -1, "", 1_000, 10_000)))
                .get(5, TimeUnit.SECONDS);
        coordinator.commit("simple", "", null, -1, Map.of(key(1), new GroupCoordinator.Committed(2, -1, "", 1_000)))
                .get(5, TimeUnit.SECONDS);
        written.clear();
        assertThat(expire(9_999)).isZero();
        assertThat(expire(10_000)).isEqualTo(1);
        assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("simple", "t", 0, null));
        assertThat(coordinator.fetchOffsets("simple", null).get(5, TimeUnit.SECONDS)).containsOnlyKeys(key(1));
    }

    private static byte[] subscription(String... topics) {
        var s = new io.fjord.protocol.message.ConsumerProtocolSubscription().setTopics(List.of(topics));
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(2 + s.size((short) 1));
        buffer.putShort((short) 1);
        s.write(new io.fjord.protocol.ByteBufferAccessor(buffer), (short) 1);
        return buffer.array();
    }

    @Test
    void aStableClassicConsumerGroupLosesOnlyOffsetsOfTopicsNoMemberSubscribesTo() throws Exception {
        try (GroupCoordinator classic = new GroupCoordinator(new GroupSettings(6000, 1_800_000, 0, Integer.MAX_VALUE),
                (groupId, records) -> {
                    synchronized (written) {
                        written.addAll(records);
                    }
                    return CompletableFuture.completedFuture(null);
                })) {
            JoinResult joined = classic.join("cl", new JoinRequest("", null, "client", "/127.0.0.1", 10_000, 10_000, "consumer",
                    List.of(new JoinRequest.Protocol("range", subscription("t"))), false)).get(5, TimeUnit.SECONDS);
            assertThat(joined.error()).isEqualTo(Errors.NONE);
            assertThat(classic.sync("cl", joined.memberId(), null, joined.generationId(), "consumer", "range",
                    Map.of(joined.memberId(), new byte[0])).get(5, TimeUnit.SECONDS).error()).isEqualTo(Errors.NONE);
            classic.commit("cl", joined.memberId(), null, joined.generationId(), Map.of(
                    key("t", 0), new GroupCoordinator.Committed(1, -1, "", 1_000),
                    key("u", 0), new GroupCoordinator.Committed(2, -1, "", 1_000))).get(5, TimeUnit.SECONDS);
            written.clear();

            assertThat(classic.expireOffsetsAsync(1_000 + RETENTION - 1, RETENTION).get(5, TimeUnit.SECONDS)).isZero();
            assertThat(classic.expireOffsetsAsync(1_000 + RETENTION, RETENTION).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(written).containsExactly(new CoordinatorRecord.OffsetCommit("cl", "u", 0, null));
            assertThat(classic.fetchOffsets("cl", null).get(5, TimeUnit.SECONDS)).containsOnlyKeys(key("t", 0));
            assertThat(classic.describe("cl").get(5, TimeUnit.SECONDS).state()).isEqualTo(GroupState.STABLE);
        }
    }
}
