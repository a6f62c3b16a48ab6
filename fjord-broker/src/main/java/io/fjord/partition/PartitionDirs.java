package io.fjord.partition;

import io.fjord.metadata.TopicIds;
import io.fjord.metadata.TopicNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names and markers of partition directories, as Kafka lays them out: {@code <topic>-<partition>},
 * a {@code partition.metadata} file naming the topic id (so a directory left from a deleted topic is
 * never taken for a new topic of the same name), and {@code <topic>-<partition>.<uuid>-delete} for a
 * directory on its way out.
 */
public final class PartitionDirs {
    static final String METADATA_FILE = "partition.metadata";
    static final String DELETE_SUFFIX = "-delete";
    static final String STRAY_SUFFIX = "-stray";
    private static final Pattern PARTITION_DIR = Pattern.compile("(.+)-(0|[1-9][0-9]{0,9})");
    private static final int MAX_FILE_NAME = 255;

    private PartitionDirs() {
    }

    static String dirName(TopicPartition tp) {
        return tp.topic() + "-" + tp.partition();
    }

    /** The partition a directory name stands for, or null when it is not a live partition directory. */
    public static TopicPartition parse(String dirName) {
        Matcher m = PARTITION_DIR.matcher(dirName);
        if (!m.matches() || !TopicNames.isValid(m.group(1))) {
            return null;
        }
        long partition = Long.parseLong(m.group(2));
        return partition > Integer.MAX_VALUE ? null : new TopicPartition(m.group(1), (int) partition);
    }

    /**
     * The name a directory takes when it is retired with {@code suffix}: a random id keeps it unique,
     * and the topic is cut short, as Kafka does, so the name stays within a file name's 255 bytes.
     */
    static String retiredName(TopicPartition tp, String suffix) {
        String tail = "-" + tp.partition() + "." + UUID.randomUUID().toString().replace("-", "") + suffix;
        String topic = tp.topic();
        if (topic.length() + tail.length() > MAX_FILE_NAME) {
            topic = topic.substring(0, MAX_FILE_NAME - tail.length());
        }
        return topic + tail;
    }

    /** Renames {@code dir} to its retired name and makes the rename durable; returns the new path. */
    static Path retire(Path dir, TopicPartition tp, String suffix) throws IOException {
        Path target = dir.resolveSibling(retiredName(tp, suffix));
        Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(dir.getParent());
        return target;
    }

    /** The topic id in {@code dir}'s partition.metadata, or null when there is none (or it cannot be read). */
    static UUID readTopicId(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(METADATA_FILE), StandardCharsets.UTF_8);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals("topic_id")) {
                    return TopicIds.fromBase64(line.substring(colon + 1).trim());
                }
            }
            return null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Writes Kafka's partition.metadata (version 0), atomically but without fsync: the topic id's
     * durable home is the metadata image, this file only cross-checks a directory on open, and a copy
     * lost or left empty by a crash reads as "none" and is written again. Two fsyncs per partition made
     * creating a topic of many partitions cost about 12 ms a partition on this disk.
     */
    static void writeTopicId(Path dir, UUID topicId) throws IOException {
        String text = "version: 0\ntopic_id: " + TopicIds.toBase64(topicId) + "\n";
        Path tmp = dir.resolve(METADATA_FILE + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        Files.move(tmp, dir.resolve(METADATA_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Deletes a directory tree; files already gone are fine. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
