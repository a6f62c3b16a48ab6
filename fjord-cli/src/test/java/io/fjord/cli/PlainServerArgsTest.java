package io.fjord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The picocli-free reading of plain server command lines agrees with picocli, or leaves them to it. */
class PlainServerArgsTest {
    /** What picocli makes of {@code args}, for comparison. */
    private static ServerCommand viaPicocli(String... args) {
        CommandLine.ParseResult result = Fjord.commandLine().parseArgs(args);
        return (ServerCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void setsAndAConfigFileReadAsPicocliReadsThem() {
        String[] args = {"server", "--config", "/etc/fjord/server.properties", "--set", "log.dirs=/data/a",
                "--set", "listeners=PLAINTEXT://127.0.0.1:0", "--set", "a.b=x=y", "--set", "log.dirs=/data/b"};
        ServerCommand plain = PlainServerArgs.parse(args);
        ServerCommand picocli = viaPicocli(args);
        assertThat(plain).isNotNull();
        assertThat(plain.configFile).isEqualTo(Path.of("/etc/fjord/server.properties")).isEqualTo(picocli.configFile);
        assertThat(plain.settings).containsExactlyEntriesOf(picocli.settings)
                .containsExactlyInAnyOrderEntriesOf(Map.of("log.dirs", "/data/b", "listeners", "PLAINTEXT://127.0.0.1:0", "a.b", "x=y"));
    }

    @Test
    void aBareServerCommandNeedsNoPicocli() {
        ServerCommand plain = PlainServerArgs.parse(new String[] {"server"});
        assertThat(plain).isNotNull();
        assertThat(plain.configFile).isNull();
        assertThat(plain.settings).isEmpty();
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        String[][] others = {
            {},
            {"--version"},
            {"help", "server"},
            {"server", "--help"},
            {"server", "-h"},
            {"server", "--set"},
            {"server", "--set", "node.id"},
            {"server", "--set", "=1"},
            {"server", "--set", "node.id="},
            {"server", "--set=node.id=1"},
            {"server", "--set", "--config"},
            {"server", "--config", "a", "--config", "b"},
            {"server", "--config", "-x"},
            {"server", "@args.txt"},
            {"server", "--bogus", "x"},
            {"server", "extra"},
        };
        for (String[] args : others) {
            assertThat(PlainServerArgs.parse(args)).as(String.join(" ", args)).isNull();
        }
    }
}
