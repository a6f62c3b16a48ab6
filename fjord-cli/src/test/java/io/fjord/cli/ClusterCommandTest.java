package io.fjord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fjord cluster} run in this JVM against a single node started in this JVM, and its failures. */
class ClusterCommandTest {
    @TempDir
    Path dataDir;

    private FjordNode node;

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    record Outcome(int exitCode, List<String> out, List<String> err) {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Fjord.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, out.toString().lines().toList(), err.toString().lines().toList());
    }

    private int startNode() {
        node = new FjordNode(NodeConfig.from(Map.of(
                NodeConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0",
                NodeConfig.LOG_DIRS, dataDir.toString(),
                NodeConfig.NUM_NETWORK_THREADS, "2")));
        node.start();
        return node.boundPort("PLAINTEXT");
    }

    @Test
    void describesASingleNodeWithItsTopics() throws Exception {
        int port = startNode();
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get();
        }

        Outcome o = run("cluster", "--bootstrap-server", "127.0.0.1:" + port);

        assertThat(o.exitCode()).as("stderr %s", o.err()).isZero();
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).startsWith("cluster id: " + node.clusterId());
        assertThat(o.out()).contains("nodes: 1");
        assertThat(o.out()).anySatisfy(line -> assertThat(line)
                .matches("  1 +127\\.0\\.0\\.1:" + port + " +- +broker(,controller)? +unfenced"));
        assertThat(o.out()).endsWith("under-replicated partitions: none", "leaderless partitions: none");
    }

    /** One node is the whole quorum: the only voter, and its leader. Needs DescribeQuorum (issue 7). */
    @Test
    void aSingleNodeIsItsOwnQuorumLeader() {
        int port = startNode();

        Outcome o = run("cluster", "--bootstrap-server", "127.0.0.1:" + port);

        assertThat(o.exitCode()).as("stderr %s", o.err()).isZero();
        assertThat(o.out()).contains("active controller: 1");
        assertThat(o.out()).anySatisfy(line -> assertThat(line)
                .matches("  1 +127\\.0\\.0\\.1:" + port + " +- +broker,controller +unfenced"));
        assertThat(o.out()).anySatisfy(line -> assertThat(line).matches("quorum: leader 1, leader epoch \\d+, high watermark \\d+"));
        assertThat(o.out()).anySatisfy(line -> assertThat(line).matches("  1 +leader +\\d+ +0"));
    }

    @Test
    void theFirstBootstrapServerThatAnswersIsAsked() throws Exception {
        int port = startNode();
        int closed = closedPort();

        Outcome o = run("cluster", "--bootstrap-server", "127.0.0.1:" + closed + ",127.0.0.1:" + port);

        assertThat(o.exitCode()).as("stderr %s", o.err()).isZero();
        assertThat(o.out()).startsWith("cluster id: " + node.clusterId());
    }

    @Test
    void anUnreachableServerIsAOneLineErrorAndANonZeroExit() throws Exception {
        int closed = closedPort();

        Outcome o = run("cluster", "--bootstrap-server", "127.0.0.1:" + closed);

        assertThat(o.exitCode()).isEqualTo(Fjord.FAILURE);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("fjord: error: cannot reach the bootstrap server (127.0.0.1:" + closed + ": ")
                .containsIgnoringCase("refused"));
    }

    @Test
    void aServerThatHangsUpIsAOneLineError() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread hangUp = new Thread(() -> {
                try {
                    server.accept().close(); // at once, before any answer
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            hangUp.start();

            Outcome o = run("cluster", "--bootstrap-server", "127.0.0.1:" + server.getLocalPort());
            hangUp.join();

            assertThat(o.exitCode()).isEqualTo(Fjord.FAILURE);
            assertThat(o.err()).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("fjord: error: cannot reach the bootstrap server")
                    .contains("ApiVersions"));
        }
    }

    @Test
    void aMalformedAddressIsAUsageError() {
        Outcome o = run("cluster", "--bootstrap-server", "localhost");

        assertThat(o.exitCode()).isEqualTo(Fjord.USAGE_ERROR);
        assertThat(o.err().get(0)).startsWith("fjord: error: ").contains("'localhost' is not HOST:PORT");
    }

    @Test
    void theBootstrapServerIsRequired() {
        Outcome o = run("cluster");

        assertThat(o.exitCode()).isEqualTo(Fjord.USAGE_ERROR);
        assertThat(o.err().get(0)).startsWith("fjord: error: ").contains("--bootstrap-server");
    }

    /** A loopback port nothing listens on: bound once by us, then released. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
