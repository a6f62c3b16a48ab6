package io.fjord.testing;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nodes for tests: loopback only, an ephemeral port, data in a directory the test owns. */
public final class TestNodes {
    private TestNodes() {
    }

    /** Starts a node; {@code settings} are extra key/value pairs that override the test defaults. */
    public static FjordNode start(Path dataDir, String... settings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(NodeConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0");
        values.put(NodeConfig.LOG_DIRS, dataDir.toString());
        values.put(NodeConfig.NUM_NETWORK_THREADS, "2");
        for (int i = 0; i + 1 < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        FjordNode node = new FjordNode(NodeConfig.from(values));
        node.start();
        return node;
    }

    public static int port(FjordNode node) {
        return node.boundPort("PLAINTEXT");
    }
}
