package io.fjord.cli;

import static io.fjord.cli.ClusterClients.brokerIds;
import static io.fjord.cli.ClusterClients.controllerId;
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
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three `fjord server` processes with both roles, started as docs/cluster.md says. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CombinedClusterProcessTest extends ClusterProcessTest {
    @Test
    void threeCombinedNodesSpreadLeadersAndServeClients() throws Exception {
        cluster = ClusterFixture.combined("combined-3", 3, dataRoot);
        cluster.startAll();

        try (Admin admin = cluster.admin()) {
            cluster.await("brokers 1, 2, 3 registered and unfenced", Duration.ofSeconds(60),
                    () -> brokerIds(admin), ids -> ids.equals(Set.of(1, 2, 3)));
            assertThat(controllerId(admin)).isIn(1, 2, 3);

            ClusterClients.createTopic(admin, "spread", 6, 3, Duration.ofSeconds(30));
            List<TopicPartitionInfo> partitions = cluster.await("every partition of 'spread' led", Duration.ofSeconds(30),
                    () -> partitions(admin, "spread"), ps -> ps.size() == 6 && ps.stream().allMatch(p -> leader(p) >= 0));
            assertThat(leadersPerBroker(partitions)).as("leaders of %s", partitions).isEqualTo(Map.of(1, 2L, 2, 2L, 3, 2L));
            assertThat(partitions).allSatisfy(p -> {
                assertThat(ClusterClients.ids(p.replicas())).containsExactlyInAnyOrder(1, 2, 3);
                assertThat(ClusterClients.ids(p.isr())).containsExactlyInAnyOrder(1, 2, 3);
            });
        }

        ClusterClients.produce(cluster.bootstrapServers(), "spread", 100);
        assertThat(ClusterClients.consume(cluster.bootstrapServers(), "spread", "spread-readers", 100, Duration.ofSeconds(90)))
                .containsExactlyInAnyOrderElementsOf(ClusterClients.expectedValues(100));

        ClusterCommandTest.Outcome report = ClusterCommandTest.run("cluster", "--bootstrap-server", cluster.brokerAddress(2));
        assertThat(report.exitCode()).as("stderr %s", report.err()).isZero();
        assertThat(report.out()).contains("nodes: 3");
        for (int id = 1; id <= 3; id++) {
            String row = "  " + id + " +" + cluster.brokerAddress(id).replace(".", "\\.") + " +- +broker,controller +unfenced";
            assertThat(report.out()).as("report %s", report.out()).anySatisfy(line -> assertThat(line).matches(row));
        }
        assertThat(report.out()).anySatisfy(line -> assertThat(line).matches("active controller: [123]"));
        assertThat(report.out()).anySatisfy(line -> assertThat(line).matches("quorum: leader [123], leader epoch \\d+, high watermark \\d+"));
        assertThat(report.out()).contains("leaderless partitions: none");
    }
}
