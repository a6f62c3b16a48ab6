package io.fjord.cli;

import static io.fjord.cli.ClusterClients.brokerIds;
import static io.fjord.cli.ClusterClients.leader;
import static io.fjord.cli.ClusterClients.partitions;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGKILL to a broker of a 3-controller + 2-broker cluster: once its lease
 * (broker.session.timeout.ms) runs out it is fenced, its leaderships move to the other ISR member,
 * and partitions it alone held wait for it with no leader; restarted, it is unfenced and leads them
 * again.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BrokerFencingProcessTest extends ClusterProcessTest {
    private static final int VICTIM = 5;
    private static final int SURVIVOR = 4;

    @Test
    void aKilledBrokerIsFencedLosesItsLeadershipsAndComesBackUnfenced() throws Exception {
        cluster = ClusterFixture.split("broker-fencing", 3, 2, dataRoot);
        cluster.startAll();

        try (Admin admin = cluster.admin()) {
            cluster.await("brokers 4 and 5 registered and unfenced", Duration.ofSeconds(60),
                    () -> brokerIds(admin), ids -> ids.equals(Set.of(SURVIVOR, VICTIM)));
            ClusterClients.createTopic(admin, "shared", 4, 2, Duration.ofSeconds(30));
            ClusterClients.createTopic(admin, "solo", 2, 1, Duration.ofSeconds(30));
            List<TopicPartitionInfo> shared = cluster.await("'shared' fully led", Duration.ofSeconds(30),
                    () -> partitions(admin, "shared"), ps -> ps.size() == 4 && ps.stream().allMatch(p -> leader(p) >= 0));
            assertThat(shared).as("the victim leads some of %s", shared).anySatisfy(p -> assertThat(leader(p)).isEqualTo(VICTIM));
            List<TopicPartitionInfo> solo = cluster.await("'solo' fully led", Duration.ofSeconds(30),
                    () -> partitions(admin, "solo"), ps -> ps.size() == 2 && ps.stream().allMatch(p -> leader(p) >= 0));
            // Two single-replica partitions over two brokers: one each (placement spreads them).
            List<Integer> soloOnVictim = solo.stream().filter(p -> leader(p) == VICTIM).map(TopicPartitionInfo::partition).toList();
            assertThat(soloOnVictim).as("partitions of %s on the victim", solo).hasSize(1);

            long killedAt = System.nanoTime();
            cluster.kill(VICTIM);
            cluster.await("broker " + VICTIM + " fenced (not listed by DescribeCluster)", Duration.ofSeconds(30),
                    () -> brokerIds(admin), ids -> ids.equals(Set.of(SURVIVOR)));
            long fencedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.printf("broker fencing: broker %d killed, fenced after %d ms (session timeout %d ms)%n",
                    VICTIM, fencedMs, ClusterFixture.SESSION_TIMEOUT_MS);

            List<TopicPartitionInfo> sharedAfter = cluster.await("'shared' led by " + SURVIVOR + " only", Duration.ofSeconds(30),
                    () -> partitions(admin, "shared"), ps -> ps.stream().allMatch(p -> leader(p) == SURVIVOR));
            assertThat(sharedAfter).allSatisfy(p -> assertThat(ClusterClients.ids(p.isr())).containsExactly(SURVIVOR));
            List<TopicPartitionInfo> soloAfter = partitions(admin, "solo");
            assertThat(soloAfter).allSatisfy(p -> assertThat(leader(p)).isNotEqualTo(VICTIM));
            assertThat(soloAfter).filteredOn(p -> soloOnVictim.contains(p.partition()))
                    .singleElement().satisfies(p -> assertThat(leader(p)).as("no leader: the only replica is fenced").isEqualTo(-1));

            ClusterCommandTest.Outcome report = ClusterCommandTest.run("cluster", "--bootstrap-server", cluster.brokerAddress(SURVIVOR));
            assertThat(report.exitCode()).as("stderr %s", report.err()).isZero();
            assertThat(report.out()).as("report").anySatisfy(line -> assertThat(line).matches("  " + VICTIM + " +\\S+ +- +broker +fenced"));
            assertThat(report.out()).as("report").anySatisfy(line -> assertThat(line)
                    .matches("  solo-" + soloOnVictim.get(0) + " +none +" + VICTIM + " +" + VICTIM));

            cluster.start(VICTIM);
            cluster.await("broker " + VICTIM + " unfenced again", Duration.ofSeconds(60),
                    () -> brokerIds(admin), ids -> ids.equals(Set.of(SURVIVOR, VICTIM)));
            cluster.await("the victim leads its single-replica partition again", Duration.ofSeconds(30),
                    () -> partitions(admin, "solo"),
                    ps -> ps.stream().filter(p -> soloOnVictim.contains(p.partition())).allMatch(p -> leader(p) == VICTIM));
        }
    }
}
