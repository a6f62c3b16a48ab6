package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * With group.initial.rebalance.delay.ms 0, a join phase in which every member is already waiting
 * ends at once, as Kafka's delayed join completes when tried: a lone consumer must not wait its
 * whole rebalance timeout (max.poll.interval.ms, 5 minutes by default) for a first assignment.
 */
class ClassicGroupJoinWithoutDelayTest {
    private static final int REBALANCE = 300_000;

    private final ManualScheduler clock = new ManualScheduler();
    private final ClassicGroup group = new ClassicGroup("g", new GroupSettings(6000, 1_800_000, 0, Integer.MAX_VALUE), clock);

    private static JoinRequest join(String memberId) {
        return new JoinRequest(memberId, null, "client", "/127.0.0.1", 10_000, REBALANCE, "consumer",
                List.of(new JoinRequest.Protocol("range", new byte[0])), true);
    }

    private CompletableFuture<JoinResult> joinNew() {
        JoinResult first = group.join(join("")).join();
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        return group.join(join(first.memberId()));
    }

    @Test
    void aLoneMemberIsAdmittedWithoutWaiting() {
        CompletableFuture<JoinResult> a = joinNew();
        assertThat(a).isDone();
        assertThat(a.join().generationId()).isEqualTo(1);
        assertThat(group.state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
    }

    @Test
    void aRebalanceStillWaitsForMembersThatHaveNotRejoined() {
        String a = joinNew().join().memberId();
        assertThat(group.sync(a, null, 1, "consumer", "range", java.util.Map.of(a, new byte[] {1})).join().error())
                .isEqualTo(Errors.NONE);
        CompletableFuture<JoinResult> b = joinNew();
        assertThat(b).isNotDone(); // a has not rejoined yet
        assertThat(group.heartbeat(a, null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        CompletableFuture<JoinResult> again = group.join(join(a));
        assertThat(again.join().generationId()).isEqualTo(2);
        assertThat(b.join().generationId()).isEqualTo(2);
    }
}
