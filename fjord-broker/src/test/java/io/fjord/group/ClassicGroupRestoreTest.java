package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A classic group brought back from its metadata record (members, generation, assignments) as Kafka loads it. */
class ClassicGroupRestoreTest {
    private static final int SESSION = 10_000;
    private static final int REBALANCE = 30_000;

    private final ManualScheduler clock = new ManualScheduler();
    private final ClassicGroup group = new ClassicGroup("g", new GroupSettings(6000, 1_800_000, 0, Integer.MAX_VALUE), clock);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static GroupSnapshot stableSnapshot() {
        return new GroupSnapshot("classic", "consumer", 5, "range", "m1", 100, List.of(
                new GroupSnapshot.Member("m1", null, "c1", "/h1", REBALANCE, SESSION, b("sub-1"), b("assign-1")),
                new GroupSnapshot.Member("m2", "i2", "c2", "/h2", REBALANCE, SESSION, b("sub-2"), b("assign-2"))));
    }

    private static JoinRequest join(String memberId, String instanceId, byte[] subscription) {
        return new JoinRequest(memberId, instanceId, "c2", "/h2", SESSION, REBALANCE, "consumer",
                List.of(new JoinRequest.Protocol("range", subscription)), true);
    }

    @Test
    void restoredGroupIsStableAndItsMembersKeepGoingWithoutARebalance() {
        group.restore(stableSnapshot());
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        assertThat(group.generationId()).isEqualTo(5);
        assertThat(group.protocolName()).isEqualTo("range");
        assertThat(group.leaderId()).isEqualTo("m1");
        assertThat(group.describeMembers()).extracting(ClassicGroup.MemberView::memberId).containsExactly("m1", "m2");
        assertThat(group.describeMembers().get(0).assignment()).isEqualTo(b("assign-1"));
        assertThat(group.describeMembers().get(0).metadata()).isEqualTo(b("sub-1"));
        // Heartbeats and commits with the stored generation go on; every heartbeat keeps its member alive.
        for (int i = 0; i < 5; i++) {
            clock.advance(SESSION / 2);
            assertThat(group.heartbeat("m1", null, 5)).isEqualTo(Errors.NONE);
            assertThat(group.heartbeat("m2", "i2", 5)).isEqualTo(Errors.NONE);
        }
        assertThat(group.validateOffsetCommit("m1", null, 5)).isEqualTo(Errors.NONE);
        assertThat(group.heartbeat("m1", null, 4)).isEqualTo(Errors.ILLEGAL_GENERATION);
        // A SyncGroup retried after the move gets the stored assignment.
        SyncResult sync = group.sync("m2", "i2", 5, "consumer", "range", Map.of()).join();
        assertThat(sync.error()).isEqualTo(Errors.NONE);
        assertThat(sync.assignment()).isEqualTo(b("assign-2"));
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        assertThat(group.generationId()).isEqualTo(5);
    }

    @Test
    void membersThatNeverComeBackExpireAndTriggerARebalance() {
        group.restore(stableSnapshot());
        clock.advance(SESSION / 2);
        assertThat(group.heartbeat("m1", null, 5)).isEqualTo(Errors.NONE);
        clock.advance(SESSION / 2);
        // m2's session, started at load, is over: it is removed and the group rebalances.
        assertThat(group.hasMember("m2")).isFalse();
        assertThat(group.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(group.heartbeat("m1", null, 5)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinResult rejoined = group.join(new JoinRequest("m1", null, "c1", "/h1", SESSION, REBALANCE, "consumer",
                List.of(new JoinRequest.Protocol("range", b("sub-1"))), true)).join();
        assertThat(rejoined.error()).isEqualTo(Errors.NONE);
        assertThat(rejoined.generationId()).isEqualTo(6);
        assertThat(rejoined.members()).extracting(JoinResult.MemberMetadata::memberId).containsExactly("m1");
    }

    @Test
    void nobodyComingBackLeavesTheGroupEmptyAtTheNextGeneration() {
        group.restore(stableSnapshot());
        clock.advance(SESSION);
        clock.advance(REBALANCE);
        assertThat(group.state()).isEqualTo(GroupState.EMPTY);
        assertThat(group.generationId()).isEqualTo(6);
        assertThat(group.size()).isZero();
    }

    @Test
    void staticMemberIsMappedAgainAndARestartedOneGetsItsAssignmentBack() {
        group.restore(stableSnapshot());
        assertThat(group.heartbeat("m2", "i2", 5)).isEqualTo(Errors.NONE);
        assertThat(group.heartbeat("other", "i2", 5)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        // The static member restarts (no member id) with the same subscription: same assignment, no rebalance.
        JoinResult rejoin = group.join(join("", "i2", b("sub-2"))).join();
        assertThat(rejoin.error()).isEqualTo(Errors.NONE);
        assertThat(rejoin.generationId()).isEqualTo(5);
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        String newId = rejoin.memberId();
        assertThat(newId).isNotEqualTo("m2");
        assertThat(group.heartbeat("m2", "i2", 5)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(group.sync(newId, "i2", 5, "consumer", "range", Map.of()).join().assignment()).isEqualTo(b("assign-2"));
    }

    @Test
    void aSnapshotWithoutMembersComesBackEmpty() {
        group.restore(new GroupSnapshot("classic", "consumer", 7, "range", "m1", 100));
        assertThat(group.state()).isEqualTo(GroupState.EMPTY);
        assertThat(group.generationId()).isEqualTo(7);
        assertThat(group.protocolType()).isEqualTo("consumer");
        assertThat(group.size()).isZero();
    }

    @Test
    void storedMembersAreWhatTheLeaderAssigned() {
        CompletableFuture<Void> store = new CompletableFuture<>();
        List<List<GroupSnapshot.Member>> written = new java.util.ArrayList<>();
        group.setMetadataStore(g -> {
            written.add(g.storedMembers());
            return g.state() == GroupState.EMPTY ? CompletableFuture.completedFuture(null) : store;
        });
        JoinResult first = group.join(join("", null, b("sub-a"))).join();
        JoinResult leader = group.join(join(first.memberId(), null, b("sub-a"))).join();
        CompletableFuture<SyncResult> sync = group.sync(leader.memberId(), null, leader.generationId(), "consumer", "range",
                Map.of(leader.memberId(), b("assign-a")));
        assertThat(written).hasSize(1);
        assertThat(written.get(0)).containsExactly(new GroupSnapshot.Member(leader.memberId(), null, "c2", "/h2",
                REBALANCE, SESSION, b("sub-a"), b("assign-a")));
        assertThat(sync).isNotDone();
        store.complete(null);
        assertThat(sync.join().assignment()).isEqualTo(b("assign-a"));
        // Restoring what was written gives the same group back.
        ClassicGroup restored = new ClassicGroup("g", new GroupSettings(6000, 1_800_000, 0, Integer.MAX_VALUE), clock);
        restored.restore(new GroupSnapshot("classic", "consumer", group.generationId(), "range", group.leaderId(), 1, written.get(0)));
        assertThat(restored.state()).isEqualTo(GroupState.STABLE);
        assertThat(restored.heartbeat(leader.memberId(), null, leader.generationId())).isEqualTo(Errors.NONE);
    }
}
