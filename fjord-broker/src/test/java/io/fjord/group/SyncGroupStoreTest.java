package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's SyncGroup is answered, and followers get their assignment, only once the group metadata
 * record is stored (Kafka's completeClassicGroupSyncGroup). The CoordinatorLog's futures are completed
 * by hand here.
 */
class SyncGroupStoreTest {
    private record Append(List<CoordinatorRecord> records, CompletableFuture<Void> stored) {}

    private final List<Append> appends = new CopyOnWriteArrayList<>();
    private final GroupCoordinator coordinator = new GroupCoordinator(new GroupSettings(6000, 1_800_000, 0, Integer.MAX_VALUE),
            (groupId, records) -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                appends.add(new Append(records, f));
                return f;
            });

    @AfterEach
    void close() {
        coordinator.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private JoinResult joinLeader() throws Exception {
        JoinResult joined = coordinator.join("g", new JoinRequest("", null, "c", "/h", 10_000, 30_000, "consumer",
                List.of(new JoinRequest.Protocol("range", b("sub"))), false)).get(5, TimeUnit.SECONDS);
        assertThat(joined.error()).isEqualTo(Errors.NONE);
        return joined;
    }

    private GroupState state() throws Exception {
        return coordinator.describe("g").get(5, TimeUnit.SECONDS).state();
    }

    @Test
    void leadersSyncWaitsForTheGroupMetadataRecord() throws Exception {
        JoinResult leader = joinLeader();
        CompletableFuture<SyncResult> sync = coordinator.sync("g", leader.memberId(), null, leader.generationId(),
                "consumer", "range", Map.of(leader.memberId(), b("assign")));
        // describe runs after the sync on the coordinator thread: the record is written but not stored.
        assertThat(state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
        assertThat(sync).isNotDone();
        assertThat(appends).hasSize(1);
        GroupSnapshot written = ((CoordinatorRecord.GroupMetadata) appends.get(0).records().get(0)).value();
        assertThat(written.generationId()).isEqualTo(leader.generationId());
        assertThat(written.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(leader.memberId());
            assertThat(m.assignment()).isEqualTo(b("assign"));
            assertThat(m.subscription()).isEqualTo(b("sub"));
        });

        appends.get(0).stored().complete(null);
        SyncResult result = sync.get(5, TimeUnit.SECONDS);
        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(result.assignment()).isEqualTo(b("assign"));
        assertThat(state()).isEqualTo(GroupState.STABLE);
        assertThat(coordinator.heartbeat("g", leader.memberId(), null, leader.generationId()).get(5, TimeUnit.SECONDS))
                .isEqualTo(Errors.NONE);
    }

    @Test
    void aFailedStoreAnswersCoordinatorNotAvailableAndRebalances() throws Exception {
        JoinResult leader = joinLeader();
        CompletableFuture<SyncResult> sync = coordinator.sync("g", leader.memberId(), null, leader.generationId(),
                "consumer", "range", Map.of(leader.memberId(), b("assign")));
        assertThat(state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
        appends.get(0).stored().completeExceptionally(new java.io.IOException("disk full"));
        SyncResult result = sync.get(5, TimeUnit.SECONDS);
        assertThat(result.error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(result.assignment()).isEmpty();
        assertThat(state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(coordinator.heartbeat("g", leader.memberId(), null, leader.generationId()).get(5, TimeUnit.SECONDS))
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        // The member rejoins; the next generation's assignment is stored and answered.
        JoinResult again = coordinator.join("g", new JoinRequest(leader.memberId(), null, "c", "/h", 10_000, 30_000,
                "consumer", List.of(new JoinRequest.Protocol("range", b("sub"))), false)).get(5, TimeUnit.SECONDS);
        assertThat(again.generationId()).isEqualTo(leader.generationId() + 1);
        CompletableFuture<SyncResult> sync2 = coordinator.sync("g", leader.memberId(), null, again.generationId(),
                "consumer", "range", Map.of(leader.memberId(), b("assign-2")));
        assertThat(state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
        appends.get(appends.size() - 1).stored().complete(null);
        assertThat(sync2.get(5, TimeUnit.SECONDS).assignment()).isEqualTo(b("assign-2"));
    }
}
