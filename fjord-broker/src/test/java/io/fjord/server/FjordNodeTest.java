package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.net.ConnectException;
import java.nio.file.Path;
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
    void aSecondNodeOnTheSameDirectoryIsAStartError() {
        try (FjordNode first = TestNodes.start(tmp)) {
            assertThat(first.clusterId()).isNotNull();
            assertThatThrownBy(() -> TestNodes.start(tmp)).isInstanceOf(StartException.class).hasMessageContaining("in use");
        }
    }
}
