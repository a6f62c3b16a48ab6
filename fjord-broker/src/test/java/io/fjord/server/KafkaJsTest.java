package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.testing.ExternalCommand;
import io.fjord.testing.KafkaJs;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kafkajs, through tests/js/describe-cluster.js, sees the node. */
class KafkaJsTest {
    /** Tests run in the module's directory; the JavaScript checks live at the repository root. */
    private static final Path JS_DIR = KafkaJs.DIR;

    @TempDir
    Path dataDir;

    @Test
    void kafkajsDescribesTheCluster() {
        Path node = KafkaJs.requireNode();
        Path script = JS_DIR.resolve("describe-cluster.js");
        assertThat(script).as("the kafkajs check script").isRegularFile();

        try (FjordNode fjord = TestNodes.start(dataDir, NodeConfig.NODE_ID, "3")) {
            int port = TestNodes.port(fjord);
            ExternalCommand.Result r = ExternalCommand.run(List.of(node.toString(), script.toString(), "127.0.0.1:" + port),
                    JS_DIR, Duration.ofSeconds(40));
            assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isZero();
            String line = r.stdout().trim();
            assertThat(line).doesNotContain("\n");

            assertThat(field(line, "\"clusterId\":\"([^\"]*)\"")).isEqualTo(fjord.clusterId());
            assertThat(field(line, "\"controller\":(-?\\d+)")).isEqualTo("3");
            Matcher brokers = Pattern.compile("\"brokers\":\\[(.*?)]").matcher(line);
            assertThat(brokers.find()).as("brokers in %s", line).isTrue();
            assertThat(brokers.group(1)).isEqualTo("{\"nodeId\":3,\"host\":\"127.0.0.1\",\"port\":" + port + "}");
        }
    }

    private static String field(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        assertThat(m.find()).as("%s in %s", regex, json).isTrue();
        return m.group(1);
    }
}
