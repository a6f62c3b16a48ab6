package io.fjord.metadata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file holding the whole metadata image of a single-node store. A write is all or nothing: the
 * new image goes to a temporary file that is fsynced, renamed over the old one, and the directory is
 * fsynced so the rename itself survives a power cut. A crash at any point leaves either the old image
 * or the new one; a leftover temporary file is never read.
 */
public final class MetadataSnapshotFile {
    static final String FILE_NAME = "fjord-metadata.image";
    private static final String TMP_SUFFIX = ".tmp";

    private final Path file;
    private final Path tmp;

    public MetadataSnapshotFile(Path dir) {
        this.file = dir.resolve(FILE_NAME);
        this.tmp = dir.resolve(FILE_NAME + TMP_SUFFIX);
    }

    public Path path() {
        return file;
    }

    /**
     * The stored image, or {@link MetadataImage#EMPTY} when there is none yet.
     *
     * @throws IOException when the file exists but cannot be read or is damaged: starting empty would
     *     silently lose every topic, so the node must not start
     */
    public MetadataImage read() throws IOException {
        Files.deleteIfExists(tmp);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return MetadataImage.EMPTY;
        }
        try {
            return MetadataImageCodec.decode(bytes);
        } catch (IOException e) {
            throw new IOException("cannot load metadata image " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(MetadataImage image) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(MetadataImageCodec.encode(image));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
