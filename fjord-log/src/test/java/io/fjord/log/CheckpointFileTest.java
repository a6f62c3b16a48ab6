package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's checkpoint text layout, atomic replacement, and refusal of anything malformed. */
class CheckpointFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsInKafkasLayout() throws IOException {
        CheckpointFile file = new CheckpointFile(dir.resolve("recovery-point-offset-checkpoint"));
        assertThat(file.read()).isEmpty();
        Map<String, Long> entries = new LinkedHashMap<>();
        entries.put("orders-0", 42L);
        entries.put("orders-1", 7L);
        file.write(entries);
        assertThat(Files.readAllLines(file.file())).containsExactly("0", "2", "orders-0 42", "orders-1 7");
        assertThat(file.read()).isEqualTo(entries);
        file.write(Map.of("orders-0", 43L));
        assertThat(file.read()).containsExactly(Map.entry("orders-0", 43L));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").hasSize(1);
        }
    }

    @Test
    void malformedFilesAreErrors() throws IOException {
        CheckpointFile file = new CheckpointFile(dir.resolve("cp"));
        for (String content : new String[] {"", "1\n0\n", "0\n2\na 1\n", "0\n1\na\n", "0\n1\na x\n", "0\n1\na 1\nb 2\n"}) {
            Files.writeString(file.file(), content);
            assertThatThrownBy(file::read).as("content %s", content).isInstanceOf(IOException.class)
                    .hasMessageContaining("malformed checkpoint");
        }
    }

    @Test
    void keysMustBeWords() {
        CheckpointFile file = new CheckpointFile(dir.resolve("cp"));
        assertThatThrownBy(() -> file.write(Map.of("two words", 1L))).isInstanceOf(IllegalArgumentException.class);
    }
}
