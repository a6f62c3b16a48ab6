package io.fjord.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A checkpoint of one offset per partition for a whole log directory, in Kafka's layout for
 * {@code replication-offset-checkpoint} (high watermarks) and the other per-directory offset files:
 * {@code 0\n<count>\n<topic> <partition> <offset>\n...}. Writes are atomic and durable (temporary file,
 * fsync, rename, fsync of the directory), so a crash leaves the old file or the new one.
 */
public final class OffsetCheckpointFile {
    /** The name Kafka gives the high watermark checkpoint in each log directory. */
    public static final String REPLICATION_OFFSET_CHECKPOINT = "replication-offset-checkpoint";

    /** One partition's offset. Topic names never hold spaces (Kafka's legal characters), so they fit one field. */
    public record Entry(String topic, int partition, long offset) {
    }

    private final Path file;

    public OffsetCheckpointFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Replaces the file with {@code entries}, in their iteration order. */
    public void write(Collection<Entry> entries) throws IOException {
        List<String> lines = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            CheckpointText.requireWord(entry.topic(), "topic");
            lines.add(entry.topic() + ' ' + entry.partition() + ' ' + entry.offset());
        }
        CheckpointText.write(file, lines);
    }

    /**
     * The entries in file order; empty when there is no file (a new directory). A file that does not parse
     * is an IOException naming the file and what is wrong with it.
     */
    public List<Entry> read() throws IOException {
        List<String[]> lines = CheckpointText.read(file, 3);
        if (lines == null) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>(lines.size());
        for (String[] parts : lines) {
            String line = String.join(" ", parts);
            int partition = CheckpointText.parseInt(file, parts[1], "partition in line '" + line + "'");
            if (partition < 0) {
                throw CheckpointText.malformed(file, "negative partition in line '" + line + "'");
            }
            entries.add(new Entry(parts[0], partition, CheckpointText.parseLong(file, parts[2], line)));
        }
        return List.copyOf(entries);
    }
}
