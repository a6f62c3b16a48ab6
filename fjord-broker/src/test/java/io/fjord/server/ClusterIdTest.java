package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.testing.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes of a controller quorum end up with the quorum's cluster id in meta.properties, or refuse to mix clusters. */
class ClusterIdTest {
    @TempDir
    Path tmp;

    private static final String[] FAST = {"broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "300"};

    @Test
    void controllersAndBrokersTakeTheIdOfTheQuorum() throws Exception {
        // Two controllers each generate an id; only the first active controller's becomes the cluster's.
        try (InProcessCluster cluster = new InProcessCluster(tmp, List.of(1, 2), List.of(3), FAST).start()) {
            String quorumId = await(() -> cluster.node(1).metadata().image().clusterId());
            for (int id : List.of(1, 2, 3)) {
                await(() -> quorumId.equals(cluster.node(id).clusterId()) ? quorumId : null);
                assertThat(MetaProperties.read(tmp.resolve("node-" + id)).clusterId()).isEqualTo(quorumId);
            }
        }
    }

    @Test
    void aBrokerHoldingPartitionsOfAnotherClusterDoesNotJoinAndLeavesThemAlone() throws Exception {
        Path brokerDir = tmp.resolve("node-4");
        Files.createDirectories(brokerDir.resolve("orders-0"));
        new MetaProperties("OtherClusterAAAAAAAAAA", 4, "DirectoryIdAAAAAAAAAAA").write(brokerDir);
        try (InProcessCluster quorum = new InProcessCluster(tmp, List.of(1), List.of(), FAST).start()) {
            await(() -> quorum.node(1).metadata().image().clusterId());
            FjordNode broker = new FjordNode(NodeConfig.from(Map.of("node.id", "4", "process.roles", "broker",
                    "controller.quorum.voters", quorum.voters(), "listeners", "PLAINTEXT://127.0.0.1:0",
                    "log.dirs", brokerDir.toString(), "num.network.threads", "1", FAST[0], FAST[1], FAST[2], FAST[3])));
            CompletableFuture<Void> start = CompletableFuture.runAsync(broker::start);
            try {
                // Refused at catch-up, before its partitions open from the quorum's image.
                assertThatThrownBy(() -> start.get(60, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StartException.class)
                        .hasMessageContaining("OtherClusterAAAAAAAAAA");
            } finally {
                broker.close();
            }
        }
        // Neither taken over nor cleaned up as a stray of the quorum's cluster.
        assertThat(MetaProperties.read(brokerDir).clusterId()).isEqualTo("OtherClusterAAAAAAAAAA");
        assertThat(brokerDir.resolve("orders-0")).isDirectory();
        try (Stream<Path> children = Files.list(brokerDir)) {
            assertThat(children.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith("-stray"));
        }
    }

    private static <T> T await(Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not seen within 30 s");
    }
}
