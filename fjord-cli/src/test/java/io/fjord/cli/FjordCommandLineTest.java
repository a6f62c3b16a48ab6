package io.fjord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Command lines that fail before any node starts, run in this JVM. */
class FjordCommandLineTest {
    @TempDir
    Path tmp;

    private record Outcome(int exitCode, List<String> errLines) {
    }

    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Fjord.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute(args);
        return new Outcome(code, err.toString().lines().toList());
    }

    @Test
    void anInvalidValueIsNamedOnOneLine() {
        Outcome o = run("server", "--set", "node.id=x", "--set", "log.dirs=" + tmp);
        assertThat(o.exitCode()).isEqualTo(Fjord.FAILURE);
        assertThat(o.errLines()).singleElement().satisfies(l -> assertThat(l).startsWith("fjord: error: ").contains("node.id").contains("'x'"));
    }

    @Test
    void aSettingWithoutEqualsSignIsAUsageError() {
        Outcome o = run("server", "--set", "node.id");
        assertThat(o.exitCode()).isEqualTo(Fjord.USAGE_ERROR);
        assertThat(o.errLines().get(0)).startsWith("fjord: error: ").contains("node.id");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Outcome o = run("server", "--bogus");
        assertThat(o.exitCode()).isEqualTo(Fjord.USAGE_ERROR);
        assertThat(o.errLines().get(0)).startsWith("fjord: error: ").contains("--bogus");
    }

    @Test
    void noCommandIsAUsageError() {
        Outcome o = run();
        assertThat(o.exitCode()).isEqualTo(Fjord.USAGE_ERROR);
        assertThat(o.errLines().get(0)).startsWith("fjord: error: ");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Outcome o = run("server", "--config", tmp.resolve("nope.properties").toString());
        assertThat(o.exitCode()).isEqualTo(Fjord.FAILURE);
        assertThat(o.errLines()).singleElement().satisfies(l -> assertThat(l).contains("nope.properties"));
    }

    @Test
    void theConfigFileIsReadAndSetWinsOverIt() throws Exception {
        Path file = tmp.resolve("server.properties");
        Files.writeString(file, "# a Kafka-style file\nnode.id=2\nnum.partitions=oops\n");
        Outcome fromFile = run("server", "--config", file.toString(), "--set", "log.dirs=" + tmp);
        assertThat(fromFile.errLines()).singleElement().satisfies(l -> assertThat(l).contains("num.partitions").contains("'oops'"));
        // With the bad value overridden, the next problem surfaces: proof that --set replaced the file's value.
        Outcome overridden = run("server", "--config", file.toString(), "--set", "num.partitions=3", "--set", "node.id=-5");
        assertThat(overridden.errLines()).singleElement().satisfies(l -> assertThat(l).contains("node.id").contains("'-5'"));
    }
}
