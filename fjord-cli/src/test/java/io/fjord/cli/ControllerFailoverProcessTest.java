package io.fjord.cli;

import static io.fjord.cli.ClusterClients.brokerIds;
import static io.fjord.cli.ClusterClients.leader;
import static io.fjord.cli.ClusterClients.partitions;
import static io.fjord.cli.ClusterClients.voterLogEndOffset;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGKILL to the active controller of a 3-controller + 2-broker cluster: the other two elect a
 * leader, the cluster keeps taking metadata changes, and the killed node catches up when restarted.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ControllerFailoverProcessTest extends ClusterProcessTest {
    /**
     * Upper bound from the kill to a new leader seen by a client. The issue asks for an election
     * within 2 s of detection (Ratis detects a dead leader after controller.quorum.election.timeout.ms,
     * 1 s by default); the rest is slack for a loaded 2-core CI machine. The measured time is printed.
     */
    private static final Duration NEW_LEADER_WITHIN = Duration.ofSeconds(10);

    @Test
    void killingTheActiveControllerElectsAnotherAndTheRestartedNodeCatchesUp() throws Exception {
        cluster = ClusterFixture.split("controller-failover", 3, 2, dataRoot);
        cluster.startAll();

        try (Admin admin = cluster.admin()) {
            cluster.await("brokers 4 and 5 registered and unfenced", Duration.ofSeconds(60),
                    () -> brokerIds(admin), ids -> ids.equals(Set.of(4, 5)));
            ClusterClients.createTopic(admin, "before-failover", 2, 2, Duration.ofSeconds(30));
            int oldLeader = cluster.await("a quorum leader", Duration.ofSeconds(30),
                    () -> ClusterClients.quorum(admin), q -> List.of(1, 2, 3).contains(q.leaderId())).leaderId();

            long killedAt = System.nanoTime();
            // Wall clock too, to line the kill up with the nodes' logs (target/cluster-test-logs/).
            Instant killedAtClock = Instant.now();
            cluster.kill(oldLeader);
            QuorumInfo after = cluster.await("a new quorum leader other than " + oldLeader, NEW_LEADER_WITHIN,
                    () -> ClusterClients.quorum(admin, 1000), q -> q.leaderId() >= 0 && q.leaderId() != oldLeader);
            long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.printf("controller failover: node %d killed at %s, node %d leads (epoch %d) after %d ms%n",
                    oldLeader, killedAtClock, after.leaderId(), after.leaderEpoch(), electedMs);
            assertThat(after.leaderId()).isIn(1, 2, 3);

            ClusterClients.createTopic(admin, "after-failover", 3, 2, Duration.ofSeconds(30));
            cluster.await("'after-failover' fully led", Duration.ofSeconds(30), () -> partitions(admin, "after-failover"),
                    ps -> ps.size() == 3 && ps.stream().allMatch(p -> leader(p) >= 0));

            cluster.start(oldLeader);
            // A change made after the restart: the restarted voter must have at least the log up to it.
            ClusterClients.createTopic(admin, "after-restart", 1, 2, Duration.ofSeconds(30));
            QuorumInfo now = ClusterClients.quorum(admin);
            long target = voterLogEndOffset(now, now.leaderId());
            assertThat(target).as("leader's log end offset in %s", now).isPositive();
            QuorumInfo caughtUp = cluster.await("node " + oldLeader + " caught up to log end offset " + target,
                    Duration.ofSeconds(60), () -> ClusterClients.quorum(admin),
                    q -> voterLogEndOffset(q, oldLeader) >= target);
            assertThat(caughtUp.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(1, 2, 3);
        }
    }
}
