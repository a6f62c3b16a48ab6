package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.testing.InProcessCluster;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FjordNodeTest {
    @TempDir
    Path tmp;

    @Test
    void aRestartedNodeKeepsItsClusterIdAndClosesItsPort() throws Exception {
        String clusterId;
        int port;
        try (FjordNode node = TestNodes.start(tmp)) {
            clusterId = node.clusterId();
            port = TestNodes.port(node);
            assertThat(port).isPositive();
            assertThat(node.advertisedListeners()).singleElement().satisfies(e -> assertThat(e.port()).isEqualTo(port));
            try (RawConnection c = new RawConnection(port)) {
                ApiVersionsResponseData r = c.roundTrip(ApiKey.API_VERSIONS, (short) 0, new ApiVersionsRequestData());
                assertThat(r.errorCode()).isZero();
            }
        }
        assertThatThrownBy(() -> new RawConnection(port)).isInstanceOf(ConnectException.class);
        try (FjordNode node = TestNodes.start(tmp)) {
            assertThat(node.clusterId()).isEqualTo(clusterId);
        }
    }

    @Test
    void aPortInUseIsAStartErrorThatReleasesTheLogDirectories() {
        try (FjordNode first = TestNodes.start(tmp.resolve("a"))) {
            int port = TestNodes.port(first);
            FjordNode second = new FjordNode(NodeConfig.from(java.util.Map.of(
                    "listeners", "PLAINTEXT://127.0.0.1:" + port, "log.dirs", tmp.resolve("b").toString())));
            assertThatThrownBy(second::start)
                    .isInstanceOf(StartException.class)
                    .hasMessageContaining("PLAINTEXT://127.0.0.1:" + port);
            // The failed node let go of its directory.
            TestNodes.start(tmp.resolve("b")).close();
        }
    }

    @Test
    void aBrokerWaitingForAnUnreachableQuorumCanBeStopped() throws Exception {
        int unused = InProcessCluster.freePort();
        FjordNode node = new FjordNode(NodeConfig.from(Map.of("node.id", "4", "process.roles", "broker",
                "controller.quorum.voters", "1@127.0.0.1:" + unused, "listeners", "PLAINTEXT://127.0.0.1:0",
                "log.dirs", tmp.resolve("broker").toString(), "num.network.threads", "1")));
        CompletableFuture<Void> start = CompletableFuture.runAsync(node::start);
        // Nothing answers on the voter's port: the broker cannot register, so it is not ready.
        assertThatThrownBy(() -> start.get(3, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);

        CompletableFuture<Void> close = CompletableFuture.runAsync(node::close);
        close.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> start.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StartException.class).hasMessageContaining("stopped");
        // Everything was let go: the directory can be taken again.
        TestNodes.start(tmp.resolve("broker"), "node.id", "4").close();
    }

    @Test
    void aSecondNodeOnTheSameDirectoryIsAStartError() {
        try (FjordNode first = TestNodes.start(tmp)) {
            assertThat(first.clusterId()).isNotNull();
            assertThatThrownBy(() -> TestNodes.start(tmp)).isInstanceOf(StartException.class).hasMessageContaining("in use");
        }
    }
}
