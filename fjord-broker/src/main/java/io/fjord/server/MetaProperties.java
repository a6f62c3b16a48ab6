package io.fjord.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The identity a log directory carries, in Kafka's {@code meta.properties} format (version 1): the
 * cluster it belongs to, the node that owns it and the directory's own id.
 */
public record MetaProperties(String clusterId, int nodeId, String directoryId) {
    public static final String FILE_NAME = "meta.properties";

    /** The file in {@code dir}, or null when there is none yet. */
    public static MetaProperties read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new StartException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String version = p.getProperty("version", "").trim();
        if (!version.equals("1")) {
            throw new StartException(file + " has version '" + version + "'; only version 1 (KRaft) is supported");
        }
        String clusterId = p.getProperty("cluster.id", "").trim();
        if (clusterId.isEmpty()) {
            throw new StartException(file + " has no cluster.id");
        }
        String nodeId = p.getProperty("node.id", "").trim();
        int node;
        try {
            node = Integer.parseInt(nodeId);
        } catch (NumberFormatException e) {
            throw new StartException(file + " has node.id '" + nodeId + "', not an integer");
        }
        String directoryId = p.getProperty("directory.id");
        return new MetaProperties(clusterId, node, directoryId == null ? null : directoryId.trim());
    }

    /** Writes the file into {@code dir} so that a crash leaves either the old file or the new one, never half. */
    public void write(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Properties p = new Properties();
        p.setProperty("version", "1");
        p.setProperty("cluster.id", clusterId);
        p.setProperty("node.id", Integer.toString(nodeId));
        if (directoryId != null) {
            p.setProperty("directory.id", directoryId);
        }
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, null);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StartException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
