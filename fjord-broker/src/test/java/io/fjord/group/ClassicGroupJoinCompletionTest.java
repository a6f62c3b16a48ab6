package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The join phase ends as soon as every member is waiting in a join when there is no initial delay to
 * wait out (Kafka's maybeCompleteJoinElseSchedule), not at the rebalance timeout: a lone first member
 * with {@code group.initial.rebalance.delay.ms=0}, a member joining an Empty group again, and a lone
 * leader rejoining a Stable group. Time never moves in these tests.
 */
class ClassicGroupJoinCompletionTest {
    private static final int SESSION = 10_000;
    private static final int REBALANCE = 300_000;

    private final ManualScheduler clock = new ManualScheduler();
    private final ClassicGroup group =
            new ClassicGroup("g", new GroupSettings(6000, 1_800_000, 0, Integer.MAX_VALUE), clock);

    private static JoinRequest join(String memberId, String metadata) {
        return new JoinRequest(memberId, null, "client", "/127.0.0.1", SESSION, REBALANCE, "consumer",
                List.of(new JoinRequest.Protocol("range", metadata.getBytes(StandardCharsets.UTF_8))), true);
    }

    private String joinAlone(int expectedGeneration) {
        JoinResult first = group.join(join("", "m")).join();
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        CompletableFuture<JoinResult> joined = group.join(join(first.memberId(), "m"));
        assertThat(joined).as("join answered without waiting for the rebalance timeout").isDone();
        JoinResult result = joined.join();
        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(result.generationId()).isEqualTo(expectedGeneration);
        assertThat(result.leaderId()).isEqualTo(result.memberId());
        assertThat(group.state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
        SyncResult sync = group.sync(result.memberId(), null, expectedGeneration, "consumer", "range",
                Map.of(result.memberId(), new byte[] {1})).join();
        assertThat(sync.error()).isEqualTo(Errors.NONE);
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        return result.memberId();
    }

    @Test
    void aLoneFirstMemberJoinsAtOnceWithoutInitialDelay() {
        joinAlone(1);
    }

    @Test
    void aMemberJoiningAnEmptyGroupAgainJoinsAtOnce() {
        String first = joinAlone(1);
        assertThat(group.leave(first, null)).isEqualTo(Errors.NONE);
        assertThat(group.state()).isEqualTo(GroupState.EMPTY);
        assertThat(group.generationId()).isEqualTo(2);
        joinAlone(3);
    }

    @Test
    void aLoneLeaderRejoiningAStableGroupGetsTheNextGenerationAtOnce() {
        String leader = joinAlone(1);
        CompletableFuture<JoinResult> rejoin = group.join(join(leader, "changed subscription"));
        assertThat(rejoin).isDone();
        assertThat(rejoin.join().error()).isEqualTo(Errors.NONE);
        assertThat(rejoin.join().generationId()).isEqualTo(2);
    }

    @Test
    void withAnotherMemberStillToRejoinTheJoinPhaseWaits() {
        JoinResult a1 = group.join(join("", "m")).join();
        CompletableFuture<JoinResult> a = group.join(join(a1.memberId(), "m"));
        assertThat(a).isDone();
        JoinResult b1 = group.join(join("", "m")).join();
        CompletableFuture<JoinResult> b = group.join(join(b1.memberId(), "m"));
        // b's arrival starts generation 2; a has not rejoined yet, so nobody is answered.
        assertThat(group.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(b).isNotDone();
        CompletableFuture<JoinResult> aAgain = group.join(join(a1.memberId(), "m"));
        assertThat(aAgain.join().generationId()).isEqualTo(2);
        assertThat(b.join().generationId()).isEqualTo(2);
    }
}
