package io.fjord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fjord server` as a process: ready line, a real answer on the wire, a clean stop on SIGTERM. */
class ServerProcessTest {
    private static final Pattern READY_PORT = Pattern.compile("listening on PLAINTEXT://127\\.0\\.0\\.1:(\\d+)");

    /** What the JVM exits with when SIGTERM ends it after its shutdown hooks ran: 128 + 15. */
    private static final int EXIT_ON_SIGTERM = 143;

    @TempDir
    Path dataDir;

    @Test
    void startsAnswersAndStopsCleanlyOnSigterm() throws Exception {
        try (FjordProcess fjord = FjordProcess.start("server", "--set", "listeners=PLAINTEXT://127.0.0.1:0",
                "--set", "log.dirs=" + dataDir, "--set", "node.id=4")) {
            String ready = fjord.awaitLine(" ready", Duration.ofSeconds(30));
            assertThat(ready).as("ready line; stdout %s stderr %s", fjord.stdout(), fjord.stderr()).isNotNull();
            assertThat(ready).contains("node 4").contains("broker,controller").contains("cluster id ");
            Matcher port = READY_PORT.matcher(ready);
            assertThat(port.find()).as("port in %s", ready).isTrue();
            assertThat(Files.exists(dataDir.resolve("meta.properties"))).isTrue();

            assertApiVersionsAnswered(Integer.parseInt(port.group(1)));

            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout
            // and lose the shutdown lines.
            assertThat(fjord.process().toHandle().destroy()).isTrue();
            assertThat(fjord.awaitExit(Duration.ofSeconds(30))).isEqualTo(EXIT_ON_SIGTERM);
            assertThat(fjord.stdout()).as("stderr: %s", fjord.stderr()).anySatisfy(line -> assertThat(line).contains("Fjord node 4 shut down cleanly"));
            assertThat(fjord.stderr()).as("nothing on stderr").isEmpty();
        }
    }

    /** ApiVersions v0 by hand: the smallest request there is, and the one every client sends first. */
    private static void assertApiVersionsAnswered(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(10);
            out.writeShort(18); // ApiVersions
            out.writeShort(0);
            out.writeInt(1234); // correlation id
            out.writeShort(-1); // null client id
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            assertThat(size).isGreaterThan(10);
            assertThat(in.readInt()).isEqualTo(1234);
            assertThat(in.readShort()).as("error code").isZero();
            int apis = in.readInt();
            assertThat(apis).isPositive();
            boolean apiVersionsListed = false;
            for (int i = 0; i < apis; i++) {
                short key = in.readShort();
                in.readShort();
                in.readShort();
                apiVersionsListed |= key == 18;
            }
            assertThat(apiVersionsListed).isTrue();
        }
    }

    @Test
    void anUnknownSettingIsAOneLineErrorAndANonZeroExit() throws Exception {
        try (FjordProcess fjord = FjordProcess.start("server", "--set", "no.such.key=1", "--set", "log.dirs=" + dataDir)) {
            assertThat(fjord.awaitExit(Duration.ofSeconds(30))).isEqualTo(Fjord.FAILURE);
            assertThat(fjord.stderr()).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("fjord: error: ")
                    .contains("no.such.key"));
            assertThat(fjord.stdout()).noneSatisfy(line -> assertThat(line).contains("Exception"));
        }
        assertThat(Files.exists(dataDir.resolve("meta.properties"))).as("nothing started").isFalse();
    }
}
