package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ClassicGroupTest {
    private static final int SESSION = 10_000;
    private static final int REBALANCE = 30_000;
    private static final int DELAY = 3000;

    private final ManualScheduler clock = new ManualScheduler();
    private ClassicGroup group = new ClassicGroup("g", new GroupSettings(6000, 1_800_000, DELAY, Integer.MAX_VALUE), clock);

    private static JoinRequest join(String memberId, String instanceId, String... protocols) {
        List<JoinRequest.Protocol> list = java.util.Arrays.stream(protocols.length == 0 ? new String[] {"range"} : protocols)
                .map(p -> new JoinRequest.Protocol(p, (p + "-meta").getBytes(StandardCharsets.UTF_8)))
                .toList();
        return new JoinRequest(memberId, instanceId, "client", "/127.0.0.1", SESSION, REBALANCE, "consumer", list, true);
    }

    /** A dynamic member's first join: MEMBER_ID_REQUIRED, then the join with that id. */
    private CompletableFuture<JoinResult> joinNew() {
        JoinResult first = group.join(join("", null)).join();
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("client-");
        return group.join(join(first.memberId(), null));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void firstJoinNeedsAMemberIdThenWaitsForTheInitialDelay() {
        CompletableFuture<JoinResult> a = joinNew();
        assertThat(group.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(a).isNotDone();
        clock.advance(DELAY - 1);
        assertThat(a).isNotDone();
        clock.advance(1);
        JoinResult result = a.join();
        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(result.generationId()).isEqualTo(1);
        assertThat(result.leaderId()).isEqualTo(result.memberId());
        assertThat(result.protocolName()).isEqualTo("range");
        assertThat(result.members()).hasSize(1);
        assertThat(group.state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
    }

    @Test
    void initialDelayExtendsWhileMembersArriveAndBothJoinOneGeneration() {
        CompletableFuture<JoinResult> a = joinNew();
        clock.advance(2000);
        CompletableFuture<JoinResult> b = joinNew();
        clock.advance(1000); // first delay over, but a member arrived: extended by another delay
        assertThat(a).isNotDone();
        clock.advance(DELAY);
        assertThat(a.join().generationId()).isEqualTo(1);
        assertThat(b.join().generationId()).isEqualTo(1);
        assertThat(a.join().leaderId()).isEqualTo(a.join().memberId());
        assertThat(a.join().members()).hasSize(2);
        assertThat(b.join().members()).isEmpty();
    }

    private String[] stableGroupOfTwo() {
        CompletableFuture<JoinResult> a = joinNew();
        CompletableFuture<JoinResult> b = joinNew();
        clock.advance(2 * DELAY);
        String leader = a.join().memberId();
        String follower = b.join().memberId();
        CompletableFuture<SyncResult> followerSync = group.sync(follower, null, 1, "consumer", "range", Map.of());
        assertThat(followerSync).isNotDone();
        SyncResult leaderSync = group.sync(leader, null, 1, "consumer", "range",
                Map.of(leader, bytes("p0"), follower, bytes("p1"))).join();
        assertThat(leaderSync.error()).isEqualTo(Errors.NONE);
        assertThat(leaderSync.assignment()).isEqualTo(bytes("p0"));
        assertThat(followerSync.join().assignment()).isEqualTo(bytes("p1"));
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        return new String[] {leader, follower};
    }

    @Test
    void leaderAssignmentReachesEveryMember() {
        stableGroupOfTwo();
    }

    @Test
    void heartbeatsChecked() {
        String[] ids = stableGroupOfTwo();
        assertThat(group.heartbeat(ids[0], null, 1)).isEqualTo(Errors.NONE);
        assertThat(group.heartbeat(ids[0], null, 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(group.heartbeat("nobody", null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.sync("nobody", null, 1, "consumer", "range", Map.of()).join().error())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void aNewMemberRebalancesAndOldMembersLearnByHeartbeat() {
        String[] ids = stableGroupOfTwo();
        CompletableFuture<JoinResult> c = joinNew();
        assertThat(group.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(group.heartbeat(ids[1], null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        CompletableFuture<JoinResult> a = group.join(join(ids[0], null));
        assertThat(c).isNotDone();
        CompletableFuture<JoinResult> b = group.join(join(ids[1], null));
        // Everyone rejoined: no need to wait for the rebalance timeout.
        assertThat(a.join().generationId()).isEqualTo(2);
        assertThat(b.join().generationId()).isEqualTo(2);
        assertThat(c.join().generationId()).isEqualTo(2);
        assertThat(a.join().members()).hasSize(3);
    }

    @Test
    void membersThatDoNotRejoinAreDroppedAfterTheRebalanceTimeout() {
        String[] ids = stableGroupOfTwo();
        assertThat(group.leave(ids[1], null)).isEqualTo(Errors.NONE);
        assertThat(group.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        // The leader keeps heartbeating but never rejoins.
        for (int t = 0; t < REBALANCE; t += 3000) {
            group.heartbeat(ids[0], null, 1);
            clock.advance(3000);
        }
        assertThat(group.state()).isEqualTo(GroupState.EMPTY);
        assertThat(group.generationId()).isEqualTo(2);
        assertThat(group.size()).isZero();
    }

    @Test
    void sessionExpiryRemovesAMemberAndRebalances() {
        String[] ids = stableGroupOfTwo();
        for (int t = 0; t < SESSION + 1000; t += 2000) {
            group.heartbeat(ids[0], null, 1);
            clock.advance(2000);
        }
        assertThat(group.hasMember(ids[1])).isFalse();
        assertThat(group.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        JoinResult a = group.join(join(ids[0], null)).join();
        assertThat(a.generationId()).isEqualTo(2);
        assertThat(a.members()).hasSize(1);
    }

    @Test
    void syncBeforeJoinCompletesIsRefused() {
        String[] ids = stableGroupOfTwo();
        joinNew();
        assertThat(group.sync(ids[0], null, 1, "consumer", "range", Map.of()).join().error())
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void leaderThatNeverSyncsIsRemoved() {
        CompletableFuture<JoinResult> a = joinNew();
        CompletableFuture<JoinResult> b = joinNew();
        clock.advance(2 * DELAY);
        String follower = b.join().memberId();
        CompletableFuture<SyncResult> followerSync = group.sync(follower, null, 1, "consumer", "range", Map.of());
        clock.advance(REBALANCE);
        assertThat(group.hasMember(a.join().memberId())).isFalse();
        assertThat(followerSync.join().error()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void unknownMemberAndInconsistentProtocols() {
        joinNew();
        assertThat(group.join(join("ghost", null)).join().error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.join(join("", null, "roundrobin")).join().error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        JoinRequest tooShort = new JoinRequest("", null, "c", "h", 1000, REBALANCE, "consumer",
                List.of(new JoinRequest.Protocol("range", new byte[0])), true);
        assertThat(group.join(tooShort).join().error()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void protocolChosenByVote() {
        JoinResult first = group.join(join("", null, "range", "roundrobin")).join();
        CompletableFuture<JoinResult> a = group.join(join(first.memberId(), null, "range", "roundrobin"));
        JoinResult second = group.join(join("", null, "roundrobin", "range")).join();
        group.join(join(second.memberId(), null, "roundrobin", "range"));
        JoinResult third = group.join(join("", null, "roundrobin")).join();
        group.join(join(third.memberId(), null, "roundrobin"));
        clock.advance(3 * DELAY);
        assertThat(a.join().protocolName()).isEqualTo("roundrobin");
    }

    @Test
    void staticMemberRestartKeepsItsAssignmentAndFencesTheOldId() {
        CompletableFuture<JoinResult> a = group.join(join("", "instance-a"));
        clock.advance(DELAY);
        String oldId = a.join().memberId();
        group.sync(oldId, "instance-a", 1, "consumer", "range", Map.of(oldId, bytes("p0"))).join();
        assertThat(group.state()).isEqualTo(GroupState.STABLE);

        // The same instance comes back without its member id (a restart): no rebalance.
        JoinResult again = group.join(join("", "instance-a")).join();
        assertThat(again.error()).isEqualTo(Errors.NONE);
        assertThat(again.generationId()).isEqualTo(1);
        assertThat(again.memberId()).isNotEqualTo(oldId);
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        assertThat(group.sync(again.memberId(), "instance-a", 1, "consumer", "range", Map.of()).join().assignment())
                .isEqualTo(bytes("p0"));
        assertThat(group.heartbeat(oldId, "instance-a", 1)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(group.join(join(oldId, "instance-a")).join().error()).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(group.leave(oldId, "instance-a")).isEqualTo(Errors.FENCED_INSTANCE_ID);
        // The last member leaving empties the group at once, in a new generation.
        assertThat(group.leave("", "instance-a")).isEqualTo(Errors.NONE);
        assertThat(group.state()).isEqualTo(GroupState.EMPTY);
        assertThat(group.generationId()).isEqualTo(2);
    }

    @Test
    void pendingMemberIdsExpire() {
        JoinResult first = group.join(join("", null)).join();
        clock.advance(SESSION);
        assertThat(group.join(join(first.memberId(), null)).join().error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void deadGroupRefusesEverything() {
        CompletableFuture<JoinResult> a = joinNew();
        group.markDead();
        assertThat(a.join().error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.join(join("", null)).join().error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
    }

    private static JoinRequest joinV9(String instanceId, String protocol, String metadata) {
        return new JoinRequest("", instanceId, "client", "/127.0.0.1", SESSION, REBALANCE, "consumer",
                List.of(new JoinRequest.Protocol(protocol, bytes(metadata))), true, true);
    }

    /** Static members a (leader, assigned p0) and b (p1), Stable at generation 1. */
    private String[] stableStaticPair() {
        CompletableFuture<JoinResult> a = group.join(join("", "instance-a"));
        CompletableFuture<JoinResult> b = group.join(join("", "instance-b"));
        clock.advance(2 * DELAY);
        String leader = a.join().memberId();
        String follower = b.join().memberId();
        assertThat(a.join().leaderId()).isEqualTo(leader);
        CompletableFuture<SyncResult> followerSync = group.sync(follower, "instance-b", 1, "consumer", "range", Map.of());
        group.sync(leader, "instance-a", 1, "consumer", "range", Map.of(leader, bytes("p0"), follower, bytes("p1"))).join();
        assertThat(followerSync.join().assignment()).isEqualTo(bytes("p1"));
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        return new String[] {leader, follower};
    }

    @Test
    void aStaticLeaderRejoiningAStableGroupGetsTheMembersWithSkipAssignmentFromV9() {
        String[] ids = stableStaticPair();
        // Other metadata, same protocol: as Kafka, the selected protocol does not change, so no rebalance.
        JoinResult again = group.join(joinV9("instance-a", "range", "new-subscription")).join();
        assertThat(again.error()).isEqualTo(Errors.NONE);
        assertThat(again.skipAssignment()).isTrue();
        assertThat(again.leaderId()).isEqualTo(again.memberId()).isNotEqualTo(ids[0]);
        assertThat(again.generationId()).isEqualTo(1);
        assertThat(again.members()).extracting(JoinResult.MemberMetadata::groupInstanceId)
                .containsExactlyInAnyOrder("instance-a", "instance-b");
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        // Its SyncGroup (no assignments: it skipped them) gets the assignment it had.
        assertThat(group.sync(again.memberId(), "instance-a", 1, "consumer", "range", Map.of()).join().assignment())
                .isEqualTo(bytes("p0"));
        assertThat(group.heartbeat(ids[1], "instance-b", 1)).isEqualTo(Errors.NONE);

        // A static follower that rejoins is told nothing to do either way.
        JoinResult follower = group.join(joinV9("instance-b", "range", "range-meta")).join();
        assertThat(follower.skipAssignment()).isFalse();
        assertThat(follower.members()).isEmpty();
        assertThat(follower.leaderId()).isEqualTo(again.memberId());
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void belowV9AStaticLeaderRejoiningIsToldTheOldLeaderAndNoMembersSoItAssignsNothing() {
        String[] ids = stableStaticPair();
        JoinResult again = group.join(join("", "instance-a")).join();
        assertThat(again.error()).isEqualTo(Errors.NONE);
        assertThat(again.skipAssignment()).isFalse();
        assertThat(again.members()).isEmpty();
        assertThat(again.leaderId()).isEqualTo(ids[0]).isNotEqualTo(again.memberId());
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        assertThat(group.sync(again.memberId(), "instance-a", 1, "consumer", "range", Map.of()).join().assignment())
                .isEqualTo(bytes("p0"));
    }

    @Test
    void aStaticLeaderRejoiningWithAnotherProtocolStartsARebalance() {
        CompletableFuture<JoinResult> a = group.join(join("", "instance-a"));
        clock.advance(DELAY);
        group.sync(a.join().memberId(), "instance-a", 1, "consumer", "range", Map.of(a.join().memberId(), bytes("p0"))).join();
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        // Its only member now prefers roundrobin: the next generation's protocol changes, so a rebalance runs.
        CompletableFuture<JoinResult> again = group.join(new JoinRequest("", "instance-a", "client", "/127.0.0.1", SESSION,
                REBALANCE, "consumer", List.of(new JoinRequest.Protocol("roundrobin", bytes("rr-meta")),
                        new JoinRequest.Protocol("range", bytes("range-meta"))), true, true));
        // (Its only member has rejoined, so the join phase of generation 2 ends at once.)
        assertThat(group.state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
        assertThat(again.join().skipAssignment()).isFalse();
        assertThat(again.join().protocolName()).isEqualTo("roundrobin");
        assertThat(again.join().generationId()).isEqualTo(2);
        assertThat(again.join().members()).hasSize(1);
    }
}
