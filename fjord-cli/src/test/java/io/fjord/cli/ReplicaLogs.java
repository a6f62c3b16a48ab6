package io.fjord.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A partition's replica as its files on one node: the {@code .log} segments of
 * {@code <log dir>/<topic>-<partition>/}, named by their zero-padded base offset. Replicas may cut
 * segments at different offsets; the concatenation of the segments in base offset order must not
 * differ.
 */
final class ReplicaLogs {
    /** A live segment; deleted ones (".deleted" and the like) are left out. */
    private static final Pattern SEGMENT = Pattern.compile("\\d{20}\\.log");

    private ReplicaLogs() {
    }

    static Path dir(Path logDir, String topic, int partition) {
        return logDir.resolve(topic + "-" + partition);
    }

    /** The segment files in base offset order (their names sort so). */
    static List<Path> segments(Path logDir, String topic, int partition) throws IOException {
        Path dir = dir(logDir, topic, partition);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> SEGMENT.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /** The bytes of every segment, one after the other. */
    static byte[] concatenated(Path logDir, String topic, int partition) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Path segment : segments(logDir, topic, partition)) {
            out.write(Files.readAllBytes(segment));
        }
        return out.toByteArray();
    }

    /** The total size of the segments, cheap enough to poll while the nodes run. */
    static long size(Path logDir, String topic, int partition) throws IOException {
        long size = 0;
        for (Path segment : segments(logDir, topic, partition)) {
            size += Files.size(segment);
        }
        return size;
    }

    /** "name size" of each segment, for failure messages. */
    static List<String> describe(Path logDir, String topic, int partition) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path segment : segments(logDir, topic, partition)) {
            out.add(segment.getFileName() + " " + Files.size(segment));
        }
        return out;
    }

    /** The first index where {@code a} and {@code b} differ, or -1 when they are equal. */
    static long firstDifference(byte[] a, byte[] b) {
        return java.util.Arrays.mismatch(a, b);
    }
}
