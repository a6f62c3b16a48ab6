package io.fjord.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small text file of offsets in Kafka's checkpoint layout: a version line, a count line, then one
 * "{@code key offset}" line per entry. A write never leaves a half-written file behind: it goes to a
 * temporary file that is fsynced, renamed over the old one, and then the directory is fsynced so the rename
 * itself survives a power cut.
 */
public final class CheckpointFile {
    static final int VERSION = 0;
    static final String TMP_SUFFIX = ".tmp";

    private final Path file;

    public CheckpointFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public void write(Map<String, Long> entries) throws IOException {
        StringBuilder text = new StringBuilder(32 + entries.size() * 32);
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (Map.Entry<String, Long> entry : entries.entrySet()) {
            if (entry.getKey().isEmpty() || entry.getKey().chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("checkpoint key must be a non-empty word: '" + entry.getKey() + "'");
            }
            text.append(entry.getKey()).append(' ').append(entry.getValue().longValue()).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(file.toAbsolutePath().getParent());
    }

    /** The entries, or an empty map when there is no file. A file that does not parse is an IOException. */
    public Map<String, Long> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        if (lines.size() < 2) {
            throw malformed("fewer than two lines");
        }
        int version = parseInt(lines.get(0), "version");
        if (version != VERSION) {
            throw malformed("unknown version " + version);
        }
        int count = parseInt(lines.get(1), "count");
        if (count < 0 || lines.size() - 2 < count) {
            throw malformed("count " + count + " but " + (lines.size() - 2) + " entry lines");
        }
        Map<String, Long> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String[] parts = lines.get(2 + i).trim().split("\\s+");
            if (parts.length != 2) {
                throw malformed("entry line '" + lines.get(2 + i) + "' is not 'key offset'");
            }
            try {
                entries.put(parts[0], Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                throw malformed("entry line '" + lines.get(2 + i) + "' has no valid offset");
            }
        }
        for (int i = 2 + count; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                throw malformed("unexpected line '" + lines.get(i) + "' after " + count + " entries");
            }
        }
        return entries;
    }

    private int parseInt(String line, String what) throws IOException {
        try {
            return Integer.parseInt(line.trim());
        } catch (NumberFormatException e) {
            throw malformed("bad " + what + " line '" + line + "'");
        }
    }

    private IOException malformed(String why) {
        return new IOException("malformed checkpoint file " + file + ": " + why);
    }

    /** Makes creations, renames and deletions in {@code dir} durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
