package io.fjord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the kafkajs scripts live (tests/js) and the check that they can run. */
public final class KafkaJs {
    /** The directory of the scripts and their package.json. */
    public static final Path DIR = Path.of("..", "tests", "js").toAbsolutePath().normalize();

    private KafkaJs() {}

    /** The {@code node} executable, after asserting that it exists and that kafkajs is installed. */
    public static Path requireNode() {
        Path node = ExternalCommand.require("node", "install Node.js 18+ (apt-get install -y nodejs)");
        assertThat(Files.isDirectory(DIR.resolve("node_modules").resolve("kafkajs")))
                .as("kafkajs installed in %s (run: npm ci --prefix %s)", DIR.resolve("node_modules"), DIR)
                .isTrue();
        return node;
    }
}
