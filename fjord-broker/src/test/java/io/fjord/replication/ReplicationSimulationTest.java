package io.fjord.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deterministic, seeded simulation of replication, in the style of Kafka's RaftEventSimulationTest:
 * three brokers, crashes, restarts, pauses, lost and reordered messages, metadata that reaches brokers
 * late, and the invariants after every step (see {@link ReplicationSimulation}). A failure names its
 * seed; {@code run(seed, Breakage.NONE, map)} replays it exactly.
 */
class ReplicationSimulationTest {
    private static final int SEEDS = 400;
    private static final int STEPS = 500;

    private Path dataDir;

    /**
     * The replicas' leader-epoch-checkpoint files go to a memory file system when the machine has one: their
     * durability is not what this test is about, and fsyncs to a disk would take most of its time.
     */
    @BeforeEach
    void createDataDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        dataDir = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "replication-sim")
                : Files.createTempDirectory("replication-sim");
    }

    @AfterEach
    void deleteDataDir() throws IOException {
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private long run(long seed, ReplicationSimulation.Breakage breakage, Map<String, Integer> coverage) {
        Path dir = dataDir.resolve("seed-" + seed + "-" + System.nanoTime());
        return new ReplicationSimulation(seed, STEPS, breakage, coverage, dir).run();
    }

    @Test
    void crashesAndLostMessagesLoseNoAcknowledgedRecord() {
        Map<String, Integer> coverage = new TreeMap<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            run(seed, ReplicationSimulation.Breakage.NONE, coverage);
        }
        System.out.println("ReplicationSimulationTest coverage over " + SEEDS + " seeds x " + STEPS + " steps: " + coverage);
        // The walks must keep reaching the states worth checking: a change that stops them fails here.
        assertThat(coverage).as("what the walks reached").containsKeys("acknowledged", "crash", "restart", "pause",
                "crashed broker fenced", "paused broker fenced", "unfenced", "became leader", "leader resigned",
                "diverging epoch answered", "truncated records", "ISR shrink proposed", "ISR expansion proposed",
                "AlterPartition NONE", "AlterPartition INVALID_UPDATE_VERSION", "AlterPartition NOT_LEADER_OR_FOLLOWER",
                "AlterPartition retried", "message lost", "fetch refused: FENCED_LEADER_EPOCH",
                "produce failed: leader gone", "preferred election NONE", "controlled shutdown", "converged");
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
    private String firstFailure(ReplicationSimulation.Breakage breakage) {
        for (long seed = 0; seed < 20; seed++) {
            try {
                run(seed, breakage, new TreeMap<>());
            } catch (AssertionError e) {
                return e.getMessage();
            }
        }
        throw new AssertionError("no seed noticed " + breakage);
    }

    @Test
    void aSeedReplaysExactly() {
        long first = run(42, ReplicationSimulation.Breakage.NONE, new TreeMap<>());
        long second = run(42, ReplicationSimulation.Breakage.NONE, new TreeMap<>());
        assertThat(second).isEqualTo(first);
    }
}
