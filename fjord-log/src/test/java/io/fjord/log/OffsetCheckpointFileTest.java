package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's replication-offset-checkpoint layout: round trip, absence, damage, atomic replacement. */
class OffsetCheckpointFileTest {
    @TempDir
    Path dir;

    private OffsetCheckpointFile file() {
        return new OffsetCheckpointFile(dir.resolve(OffsetCheckpointFile.REPLICATION_OFFSET_CHECKPOINT));
    }

    @Test
    void roundTripsInKafkasLayout() throws IOException {
        OffsetCheckpointFile file = file();
        List<OffsetCheckpointFile.Entry> entries = List.of(new OffsetCheckpointFile.Entry("orders", 0, 42),
                new OffsetCheckpointFile.Entry("orders", 1, 0), new OffsetCheckpointFile.Entry("__consumer_offsets", 17, 9));
        file.write(entries);
        assertThat(Files.readAllLines(file.file()))
                .containsExactly("0", "3", "orders 0 42", "orders 1 0", "__consumer_offsets 17 9");
        assertThat(file.read()).isEqualTo(entries);

        file.write(List.of(new OffsetCheckpointFile.Entry("orders", 0, 43)));
        assertThat(file.read()).containsExactly(new OffsetCheckpointFile.Entry("orders", 0, 43));
        file.write(List.of());
        assertThat(Files.readAllLines(file.file())).containsExactly("0", "0");
        assertThat(file.read()).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file.file());
        }
    }

    @Test
    void aMissingFileIsEmpty() throws IOException {
        assertThat(file().read()).isEmpty();
    }

    @Test
    void readsAFileAsKafkaWritesIt() throws IOException {
        OffsetCheckpointFile file = file();
        Files.writeString(file.file(), "0\n2\nfoo-bar.baz_1 3 100\nt 0 7\n");
        assertThat(file.read()).containsExactly(new OffsetCheckpointFile.Entry("foo-bar.baz_1", 3, 100),
                new OffsetCheckpointFile.Entry("t", 0, 7));
    }

    @Test
    void malformedFilesAreIoErrorsThatSayWhy() throws IOException {
        OffsetCheckpointFile file = file();
        String[] damaged = {"", "0\n", "1\n0\n", "zero\n0\n", "0\n2\nt 0 1\n", "0\n1\nt 0\n", "0\n1\nt x 1\n",
            "0\n1\nt 0 x\n", "0\n1\nt -1 1\n", "0\n1\nt 0 1\nu 0 1\n", "0\n1\nt 0 1 2\n"};
        for (String content : damaged) {
            Files.writeString(file.file(), content);
            assertThatThrownBy(file::read).as("content %s", content).isInstanceOf(IOException.class)
                    .hasMessageContaining("malformed checkpoint file " + file.file());
        }
    }

    @Test
    void topicsMustBeOneWord() {
        assertThatThrownBy(() -> file().write(List.of(new OffsetCheckpointFile.Entry("two words", 0, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> file().write(List.of(new OffsetCheckpointFile.Entry("", 0, 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
