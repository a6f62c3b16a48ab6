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
import java.util.ArrayList;
import java.util.List;

/**
 * The layout every Kafka checkpoint file shares (offsets, log start, leader epochs, high watermarks): a
 * version line ({@value #VERSION}), a count line, then that many entry lines whose fields are separated by
 * spaces. Each checkpoint kind decides what its fields mean; this class only frames them and makes writes
 * atomic and durable: a temporary file is written and fsynced, renamed over the old one, and the directory is
 * fsynced so the rename itself survives a power cut. A crash therefore leaves the old file or the new one.
 */
final class CheckpointText {
    static final int VERSION = 0;
    static final String TMP_SUFFIX = ".tmp";

    private CheckpointText() {
    }

    /** Replaces {@code file} with the given entry lines, each a list of fields without spaces. */
    static void write(Path file, List<String> entryLines) throws IOException {
        StringBuilder text = new StringBuilder(32 + entryLines.size() * 32);
        text.append(VERSION).append('\n').append(entryLines.size()).append('\n');
        for (String line : entryLines) {
            text.append(line).append('\n');
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

    /**
     * The entry lines of {@code file}, each split into exactly {@code fields} fields; null when there is no
     * file. A file whose version, count or lines do not fit is an IOException naming the file and the line.
     */
    static List<String[]> read(Path file, int fields) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (lines.size() < 2) {
            throw malformed(file, "fewer than two lines");
        }
        int version = parseInt(file, lines.get(0), "version");
        if (version != VERSION) {
            throw malformed(file, "unknown version " + version);
        }
        int count = parseInt(file, lines.get(1), "count");
        if (count < 0 || lines.size() - 2 < count) {
            throw malformed(file, "count " + count + " but " + (lines.size() - 2) + " entry lines");
        }
        List<String[]> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String line = lines.get(2 + i);
            String[] parts = line.trim().split("\\s+");
            if (parts.length != fields || parts[0].isEmpty()) {
                throw malformed(file, "entry line '" + line + "' does not have " + fields + " fields");
            }
            entries.add(parts);
        }
        for (int i = 2 + count; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                throw malformed(file, "unexpected line '" + lines.get(i) + "' after " + count + " entries");
            }
        }
        return entries;
    }

    /** Fails unless {@code field} is a single non-empty word, so it can be written as one field. */
    static void requireWord(String field, String what) {
        if (field.isEmpty() || field.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " must be a non-empty word: '" + field + "'");
        }
    }

    static long parseLong(Path file, String field, String line) throws IOException {
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw malformed(file, "entry line '" + line + "' has no valid number in '" + field + "'");
        }
    }

    static int parseInt(Path file, String field, String what) throws IOException {
        try {
            return Integer.parseInt(field.trim());
        } catch (NumberFormatException e) {
            throw malformed(file, "bad " + what + " '" + field + "'");
        }
    }

    static IOException malformed(Path file, String why) {
        return new IOException("malformed checkpoint file " + file + ": " + why);
    }

    /** Makes creations, renames and deletions in {@code dir} durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
