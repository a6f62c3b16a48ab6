package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.group.consumer.Assignment;
import io.fjord.group.consumer.HeartbeatRequest;
import io.fjord.group.consumer.HeartbeatResult;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Memory follows the log: what a change leaves in the coordinator is what replaying its records gives,
 * also when writes complete late, when requests fail, and while a partition is loading.
 */
class CoordinatorConsistencyTest {
    /** A log whose appends complete only when the test says so, in order. */
    private final List<CompletableFuture<Void>> pendingWrites = new ArrayList<>();
    private final List<List<CoordinatorRecord>> written = new ArrayList<>();
    private volatile boolean manual;
    private final CoordinatorLog log = (groupId, records) -> {
        synchronized (pendingWrites) {
            written.add(records);
            if (!manual) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            pendingWrites.add(f);
            return f;
        }
    };
    private final GroupCoordinator coordinator = new GroupCoordinator(GroupSettings.defaults(), log);

    @AfterEach
    void close() {
        coordinator.close();
    }

    private static GroupCoordinator.OffsetKey key(int p) {
        return new GroupCoordinator.OffsetKey("t", p);
    }

    private static Map<GroupCoordinator.OffsetKey, GroupCoordinator.Committed> commit(int p, long offset) {
        return Map.of(key(p), new GroupCoordinator.Committed(offset, -1, "", 1));
    }

    private void awaitWrites(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            synchronized (pendingWrites) {
                if (pendingWrites.size() >= n) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("expected " + n + " pending writes");
    }

    @Test
    void anOffsetCommittedWhileItsGroupIsDeletedOutlivesTheDeletionAsInTheLog() throws Exception {
        coordinator.commit("g", "", null, -1, commit(0, 5)).get(5, TimeUnit.SECONDS);
        manual = true;
        CompletableFuture<Errors> late = coordinator.commit("g", "", null, -1, commit(1, 7));
        awaitWrites(1);
        CompletableFuture<Map<String, Errors>> deleted = coordinator.deleteGroups(List.of("g"));
        awaitWrites(2);
        // The deletion's tombstones cover only what was applied when it ran: t-0 and the group.
        assertThat(written.get(2)).containsExactly(new CoordinatorRecord.OffsetCommit("g", "t", 0, null),
                new CoordinatorRecord.GroupMetadata("g", null));
        pendingWrites.get(0).complete(null);
        pendingWrites.get(1).complete(null);
        assertThat(late.get(5, TimeUnit.SECONDS)).isEqualTo(Errors.NONE);
        assertThat(deleted.get(5, TimeUnit.SECONDS)).containsEntry("g", Errors.NONE);
        // The log still holds t-1 = 7 (committed, never tombstoned): so must memory.
        assertThat(coordinator.fetchOffsets("g", null).get(5, TimeUnit.SECONDS)).containsOnlyKeys(key(1));
    }

    @Test
    void aTooLargeCommitIsTheClientsFaultNotARetriableOne() throws Exception {
        GroupCoordinator tooLarge = new GroupCoordinator(GroupSettings.defaults(), (groupId, records) ->
                CompletableFuture.failedFuture(new io.fjord.log.RecordsTooLargeException("too large")));
        try {
            assertThat(tooLarge.commit("g", "", null, -1, commit(0, 5)).get(5, TimeUnit.SECONDS))
                    .isEqualTo(Errors.INVALID_COMMIT_OFFSET_SIZE);
            assertThat(tooLarge.fetchOffsets("g", null).get(5, TimeUnit.SECONDS)).isEmpty();
        } finally {
            tooLarge.close();
        }
    }

    private static HeartbeatRequest join(String member, String regex) {
        return new HeartbeatRequest(member, 0, null, null, 30_000, regex == null ? List.of("t") : null, regex, null,
                Assignment.EMPTY, "client", "/127.0.0.1");
    }

    @Test
    void aRefusedConsumerProtocolJoinLeavesNoGroupBehind() throws Exception {
        HeartbeatResult refused = coordinator.consumerGroupHeartbeat("x", join("m1", "(")).get(5, TimeUnit.SECONDS);
        assertThat(refused.error()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION);
        assertThat(coordinator.listConsumerGroups().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(written).isEmpty();

        // An empty classic group with offsets stays a classic group when the join is refused.
        coordinator.commit("c", "", null, -1, commit(0, 3)).get(5, TimeUnit.SECONDS);
        assertThat(coordinator.consumerGroupHeartbeat("c", join("m1", "(")).get(5, TimeUnit.SECONDS).error())
                .isEqualTo(Errors.INVALID_REGULAR_EXPRESSION);
        assertThat(coordinator.isClassicGroup("c").get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(coordinator.describe("c").get(5, TimeUnit.SECONDS).state()).isEqualTo(GroupState.EMPTY);

        // A good join converts it, and the offsets stay with the group.
        assertThat(coordinator.consumerGroupHeartbeat("c", join("m1", null)).get(5, TimeUnit.SECONDS).error())
                .isEqualTo(Errors.NONE);
        assertThat(coordinator.isClassicGroup("c").get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(coordinator.fetchOffsets("c", null).get(5, TimeUnit.SECONDS)).containsOnlyKeys(key(0));
    }

    @Test
    void everyGroupApiWaitsForTheGroupsPartitionToLoad() throws Exception {
        coordinator.setAvailability(groupId -> Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(coordinator.consumerGroupHeartbeat("g", join("m1", null)).get(5, TimeUnit.SECONDS).error())
                .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(coordinator.deleteGroups(List.of("g")).get(5, TimeUnit.SECONDS))
                .containsEntry("g", Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(coordinator.deleteOffsets("g", Map.of("t", List.of(0))).get(5, TimeUnit.SECONDS).error())
                .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(coordinator.commit("g", "", null, -1, commit(0, 1)).get(5, TimeUnit.SECONDS))
                .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(written).isEmpty();
    }
}
