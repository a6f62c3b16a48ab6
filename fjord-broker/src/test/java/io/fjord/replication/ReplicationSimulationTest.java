package io.fjord.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A deterministic, seeded simulation of replication, in the style of Kafka's RaftEventSimulationTest:
 * three brokers, crashes, restarts, pauses, lost and reordered messages, metadata that reaches brokers
 * late, and the invariants after every step (see {@link ReplicationSimulation}). A failure names its
 * seed; {@code new ReplicationSimulation(seed, STEPS, Breakage.NONE, map).run()} replays it exactly.
 */
class ReplicationSimulationTest {
    private static final int SEEDS = 150;
    private static final int STEPS = 400;

    @Test
    void crashesAndLostMessagesLoseNoAcknowledgedRecord() {
        Map<String, Integer> coverage = new TreeMap<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            new ReplicationSimulation(seed, STEPS, ReplicationSimulation.Breakage.NONE, coverage).run();
        }
        System.out.println("ReplicationSimulationTest coverage over " + SEEDS + " seeds x " + STEPS + " steps: " + coverage);
        // The walks must keep reaching the states worth checking: a change that stops them fails here.
        assertThat(coverage).as("what the walks reached").containsKeys("acknowledged", "crash", "restart", "pause",
                "crashed broker fenced", "paused broker fenced", "unfenced", "became leader", "leader resigned",
                "diverging epoch answered", "truncated records", "ISR shrink proposed", "ISR expansion proposed",
                "AlterPartition NONE", "AlterPartition INVALID_UPDATE_VERSION", "AlterPartition NOT_LEADER_OR_FOLLOWER",
                "AlterPartition retried", "message lost", "fetch refused: FENCED_LEADER_EPOCH",
                "produce failed: leader gone", "converged");
        assertThat(coverage.get("converged")).isEqualTo(SEEDS);
        assertThat(coverage.get("acknowledged")).isGreaterThan(SEEDS * 10);
        assertThat(coverage.get("truncated records")).isGreaterThan(SEEDS / 5);
    }

    @Test
    void aHighWatermarkPastTheIsrIsCaught() {
        assertThat(firstFailure(new ReplicationSimulation.Breakage(true, false))).contains("high watermark");
    }

    @Test
    void followersThatNeverTruncateAreCaught() {
        assertThat(firstFailure(new ReplicationSimulation.Breakage(false, true))).containsAnyOf(
                "logs differ below the high watermark", "acknowledged");
    }

    /** The first failure over the seeds with a rule broken on purpose: the simulation must notice within a few. */
    private static String firstFailure(ReplicationSimulation.Breakage breakage) {
        for (long seed = 0; seed < 20; seed++) {
            try {
                new ReplicationSimulation(seed, STEPS, breakage, new TreeMap<>()).run();
            } catch (AssertionError e) {
                return e.getMessage();
            }
        }
        throw new AssertionError("no seed noticed " + breakage);
    }

    @Test
    void aSeedReplaysExactly() {
        long first = new ReplicationSimulation(42, STEPS, ReplicationSimulation.Breakage.NONE, new TreeMap<>()).run();
        long second = new ReplicationSimulation(42, STEPS, ReplicationSimulation.Breakage.NONE, new TreeMap<>()).run();
        assertThat(second).isEqualTo(first);
    }
}
