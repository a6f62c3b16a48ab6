package io.fjord.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small text file of offsets in Kafka's checkpoint layout ({@link CheckpointText}): a version line, a count
 * line, then one "{@code key offset}" line per entry. Writes are atomic and durable.
 */
public final class CheckpointFile {
    static final int VERSION = CheckpointText.VERSION;
    static final String TMP_SUFFIX = CheckpointText.TMP_SUFFIX;

    private final Path file;

    public CheckpointFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public void write(Map<String, Long> entries) throws IOException {
        List<String> lines = new ArrayList<>(entries.size());
        for (Map.Entry<String, Long> entry : entries.entrySet()) {
            CheckpointText.requireWord(entry.getKey(), "checkpoint key");
            lines.add(entry.getKey() + ' ' + entry.getValue().longValue());
        }
        CheckpointText.write(file, lines);
    }

    /** The entries, or an empty map when there is no file. A file that does not parse is an IOException. */
    public Map<String, Long> read() throws IOException {
        List<String[]> lines = CheckpointText.read(file, 2);
        if (lines == null) {
            return Map.of();
        }
        Map<String, Long> entries = new LinkedHashMap<>();
        for (String[] parts : lines) {
            entries.put(parts[0], CheckpointText.parseLong(file, parts[1], String.join(" ", parts)));
        }
        return entries;
    }

    /** Makes creations, renames and deletions in {@code dir} durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        CheckpointText.fsyncDirectory(dir);
    }
}
