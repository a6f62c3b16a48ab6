package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.testing.ExternalCommand;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kcat, built on the old librdkafka that Debian ships, lists the node. */
class KcatTest {
    @TempDir
    Path dataDir;

    @Test
    void kcatListsOneBrokerWithTheNodeIdAndClusterId() {
        Path kcat = ExternalCommand.require("kcat", "install it with: apt-get install -y kcat");
        try (FjordNode node = TestNodes.start(dataDir, NodeConfig.NODE_ID, "5")) {
            int port = TestNodes.port(node);
            // librdkafka logs the cluster id of every metadata answer it gets at debug level; -J has no field for it.
            ExternalCommand.Result r = ExternalCommand.run(List.of(kcat.toString(), "-L", "-J", "-b", "127.0.0.1:" + port,
                    "-m", "10", "-X", "debug=metadata"), null, Duration.ofSeconds(30));
            assertThat(r.exitCode()).as("kcat exit code; stderr: %s", r.stderr()).isZero();

            String json = r.stdout().trim();
            assertThat(json).contains("\"controllerid\":5");
            Matcher brokers = Pattern.compile("\"brokers\":\\[(.*?)]").matcher(json);
            assertThat(brokers.find()).as("brokers in %s", json).isTrue();
            assertThat(brokers.group(1)).isEqualTo("{\"id\":5,\"name\":\"127.0.0.1:" + port + "\"}");

            Matcher clusterId = Pattern.compile("ClusterId: (\\S+), ControllerId: (\\d+)").matcher(r.stderr());
            assertThat(clusterId.find()).as("cluster id in kcat's debug log: %s", r.stderr()).isTrue();
            assertThat(clusterId.group(1)).isEqualTo(node.clusterId());
            assertThat(clusterId.group(2)).isEqualTo("5");
        }
    }
}
