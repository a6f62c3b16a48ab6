package io.fjord.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pending ISR change ends only with a newer partition state: the same state again (an image that
 * changed something else about the partition) must not end it, or the high watermark would pass a
 * replica the controller then adds. Found by ReplicationSimulationTest (seed 124 before the fix).
 */
class LeaderStatePendingChangeTest {

    private static LeaderState leaderWithPendingExpansion() {
        LeaderState leader = new LeaderState(1, List.of(1, 2, 3), List.of(1, 2), 5, 0);
        leader.onFollowerFetch(2, 10, 10, 0);
        leader.onFollowerFetch(3, 0, 10, 0);
        List<Integer> expanded = leader.expansionFor(3, 0, 0);
        assertThat(expanded).containsExactly(1, 2, 3);
        leader.markPending(expanded);
        return leader;
    }

    @Test
    void theSameStateAgainKeepsThePendingChangeAndItsHoldOnTheHighWatermark() {
        LeaderState leader = leaderWithPendingExpansion();

        assertThat(leader.applyCommitted(List.of(1, 2), 5)).isFalse();

        assertThat(leader.hasPendingIsrChange()).isTrue();
        assertThat(leader.maximalIsr()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(leader.highWatermarkBound(10)).isZero();
    }

    @Test
    void aNewerStateEndsThePendingChange() {
        LeaderState leader = leaderWithPendingExpansion();

        assertThat(leader.applyCommitted(List.of(1, 2, 3), 6)).isTrue();

        assertThat(leader.hasPendingIsrChange()).isFalse();
        assertThat(leader.isr()).containsExactly(1, 2, 3);
        assertThat(leader.partitionEpoch()).isEqualTo(6);
    }

    @Test
    void anOlderStateIsIgnored() {
        LeaderState leader = leaderWithPendingExpansion();

        assertThat(leader.applyCommitted(List.of(1), 4)).isFalse();

        assertThat(leader.hasPendingIsrChange()).isTrue();
        assertThat(leader.isr()).containsExactly(1, 2);
    }

    @Test
    void theControllerAnsweringThatThePendingIsrIsAlreadyInForceEndsIt() {
        LeaderState leader = new LeaderState(1, List.of(1, 2, 3), List.of(1, 2), 5, 0);
        leader.markPending(List.of(1, 2));

        assertThat(leader.applyCommitted(List.of(1, 2), 5)).isTrue();

        assertThat(leader.hasPendingIsrChange()).isFalse();
    }
}
