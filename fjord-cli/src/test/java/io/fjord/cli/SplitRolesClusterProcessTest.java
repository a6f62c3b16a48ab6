package io.fjord.cli;

import static io.fjord.cli.ClusterClients.brokerIds;
import static io.fjord.cli.ClusterClients.leader;
import static io.fjord.cli.ClusterClients.leadersPerBroker;
import static io.fjord.cli.ClusterClients.partitions;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three controller-only and two broker-only `fjord server` processes, started as docs/cluster.md says. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SplitRolesClusterProcessTest extends ClusterProcessTest {
    @Test
    void controllersAreNotBrokersAndTheTwoBrokersShareTheLeaders() throws Exception {
        cluster = ClusterFixture.split("controllers-3-brokers-2", 3, 2, dataRoot);
        cluster.startAll();

        try (Admin admin = cluster.admin()) {
            cluster.await("exactly brokers 4 and 5 registered and unfenced", Duration.ofSeconds(60),
                    () -> brokerIds(admin), ids -> ids.equals(Set.of(4, 5)));
            QuorumInfo quorum = cluster.await("a quorum leader among the controllers", Duration.ofSeconds(30),
                    () -> ClusterClients.quorum(admin), q -> List.of(1, 2, 3).contains(q.leaderId()));
            assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(1, 2, 3);

            ClusterClients.createTopic(admin, "halves", 6, 2, Duration.ofSeconds(30));
            List<TopicPartitionInfo> partitions = cluster.await("every partition of 'halves' led", Duration.ofSeconds(30),
                    () -> partitions(admin, "halves"), ps -> ps.size() == 6 && ps.stream().allMatch(p -> leader(p) >= 0));
            assertThat(leadersPerBroker(partitions)).as("leaders of %s", partitions).isEqualTo(Map.of(4, 3L, 5, 3L));
            assertThat(partitions).allSatisfy(p ->
                    assertThat(ClusterClients.ids(p.replicas())).containsExactlyInAnyOrder(4, 5));
        }

        ClusterClients.produce(cluster.bootstrapServers(), "halves", 100);
        assertThat(ClusterClients.consume(cluster.bootstrapServers(), "halves", null, 100, Duration.ofSeconds(90)))
                .containsExactlyInAnyOrderElementsOf(ClusterClients.expectedValues(100));

        ClusterCommandTest.Outcome report = ClusterCommandTest.run("cluster", "--bootstrap-server", cluster.bootstrapServers());
        assertThat(report.exitCode()).as("stderr %s", report.err()).isZero();
        assertThat(report.out()).contains("nodes: 5");
        for (int id = 1; id <= 3; id++) {
            String row = "  " + id + " +\\S+ +- +controller +-";
            assertThat(report.out()).as("report %s", report.out()).anySatisfy(line -> assertThat(line).matches(row));
        }
        for (int id = 4; id <= 5; id++) {
            String row = "  " + id + " +" + cluster.brokerAddress(id).replace(".", "\\.") + " +- +broker +unfenced";
            assertThat(report.out()).as("report %s", report.out()).anySatisfy(line -> assertThat(line).matches(row));
        }
        assertThat(report.out()).anySatisfy(line -> assertThat(line).matches("active controller: [123]"));
    }
}
