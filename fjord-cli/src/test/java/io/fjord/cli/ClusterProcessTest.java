package io.fjord.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test that runs a cluster of {@code fjord} processes: their data in a directory of its own, all killed afterwards. */
abstract class ClusterProcessTest {
    @TempDir
    Path dataRoot;

    ClusterFixture cluster;

    @AfterEach
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }
}
