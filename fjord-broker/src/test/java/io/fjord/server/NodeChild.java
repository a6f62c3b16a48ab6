package io.fjord.server;

import io.fjord.testing.TestNodes;
import java.nio.file.Path;

/**
 * A node in a process of its own, for tests that kill it with SIGKILL: starts on the data directory
 * given as the only argument, prints {@code PORT <port>}, and runs until killed.
 */
public final class NodeChild {
    private NodeChild() {
    }

    public static void main(String[] args) throws Exception {
        FjordNode node = TestNodes.start(Path.of(args[0]));
        System.out.println("PORT " + TestNodes.port(node));
        System.out.flush();
        Thread.currentThread().join();
    }
}
