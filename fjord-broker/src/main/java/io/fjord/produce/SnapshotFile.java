package io.fjord.produce;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Producer state checkpoints beside a partition's log: {@code <offset>.snapshot} holds the state of
 * every batch below {@code offset}, as Kafka names them. The layout is ours (Kafka keeps only each
 * producer's newest batch; we keep all five so deduplication is as good after a restart as before):
 *
 * <pre>
 * version int16 (1) | crc32c int32 of what follows | producerCount int32 |
 *   per producer: producerId int64 | epoch int16 | lastUpdateMs int64 | batchCount int8 |
 *     per batch: firstSeq int32 | lastSeq int32 | firstOffset int64 | lastOffset int64 | timestamp int64
 * </pre>
 *
 * A write goes to a temporary file that is fsynced and renamed into place, then the directory is
 * fsynced: a crash leaves the old snapshot or the new one, never half of one.
 */
final class SnapshotFile {
    static final String SUFFIX = ".snapshot";
    private static final short VERSION = 1;
    private static final int HEADER = 2 + 4 + 4;
    private static final int PRODUCER = 8 + 2 + 8 + 1;
    private static final int BATCH = 4 + 4 + 8 + 8 + 8;

    private SnapshotFile() {
    }

    static Path path(Path dir, long offset) {
        // Kafka's 20-digit zero padding keeps the files in offset order when listed by name.
        return dir.resolve(String.format("%020d", offset) + SUFFIX);
    }

    /** The offset a snapshot file name stands for, or -1 when the name is not a snapshot's. */
    static long offsetOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Snapshot files in {@code dir}, newest (highest offset) first. */
    static List<Path> list(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : stream) {
                if (offsetOf(file) >= 0) {
                    files.add(file);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        files.sort(Comparator.comparingLong(SnapshotFile::offsetOf).reversed());
        return files;
    }

    /** Serializes the entries; called under the append lock so the copy is consistent, the write happens later. */
    static byte[] encode(Collection<ProducerStateEntry> entries) {
        int size = HEADER;
        for (ProducerStateEntry entry : entries) {
            size += PRODUCER + entry.batchCount() * BATCH;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(VERSION).putInt(0).putInt(entries.size());
        for (ProducerStateEntry entry : entries) {
            buffer.putLong(entry.producerId()).putShort(entry.epoch()).putLong(entry.lastUpdateMs())
                    .put((byte) entry.batchCount());
            for (int i = 0; i < entry.batchCount(); i++) {
                BatchMetadata batch = entry.batch(i);
                buffer.putInt(batch.firstSeq()).putInt(batch.lastSeq()).putLong(batch.firstOffset())
                        .putLong(batch.lastOffset()).putLong(batch.timestamp());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 6, size - 6);
        buffer.putInt(2, (int) crc.getValue());
        return buffer.array();
    }

    /** The entries of a snapshot; an IOException when the file is damaged or of an unknown version. */
    static List<ProducerStateEntry> read(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
        try {
            short version = buffer.getShort();
            if (version != VERSION) {
                throw new IOException(file + ": unknown producer snapshot version " + version);
            }
            int storedCrc = buffer.getInt();
            CRC32C crc = new CRC32C();
            crc.update(buffer.array(), 6, buffer.limit() - 6);
            if ((int) crc.getValue() != storedCrc) {
                throw new IOException(file + ": producer snapshot CRC mismatch");
            }
            int count = buffer.getInt();
            List<ProducerStateEntry> entries = new ArrayList<>(Math.max(0, Math.min(count, 1 << 16)));
            for (int p = 0; p < count; p++) {
                ProducerStateEntry entry = new ProducerStateEntry(buffer.getLong(), buffer.getShort(), buffer.getLong());
                int batches = buffer.get();
                for (int b = 0; b < batches; b++) {
                    entry.addBatch(entry.epoch(), buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong(),
                            buffer.getLong());
                }
                entries.add(entry);
            }
            if (buffer.hasRemaining()) {
                throw new IOException(file + ": " + buffer.remaining() + " bytes after the last producer");
            }
            return entries;
        } catch (RuntimeException e) {
            // A truncated file fails the CRC first; this catches what a CRC collision could still let through.
            throw new IOException(file + ": malformed producer snapshot", e);
        }
    }

    /** Writes {@code bytes} as the snapshot at {@code offset}, atomically and durably. */
    static void write(Path dir, long offset, byte[] bytes) throws IOException {
        Path target = path(dir, offset);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(dir);
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
