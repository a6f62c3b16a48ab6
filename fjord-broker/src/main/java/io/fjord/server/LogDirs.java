package io.fjord.server;

import io.fjord.partition.PartitionDirs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's log directories, locked for as long as the node runs so no second process writes to
 * them, and agreeing on one cluster id: generated on the very first start and kept in every
 * directory's meta.properties from then on, unless the node joins a controller quorum before it holds
 * any partition (then it takes the quorum's id).
 */
final class LogDirs implements AutoCloseable {
    private static final String LOCK_FILE = ".lock";

    private final List<FileChannel> locks;
    private final List<Path> dirs;
    private final boolean adoptable;
    private String clusterId;

    private LogDirs(List<FileChannel> locks, List<Path> dirs, boolean adoptable, String clusterId) {
        this.locks = locks;
        this.dirs = List.copyOf(dirs);
        this.adoptable = adoptable;
        this.clusterId = clusterId;
    }

    static LogDirs open(List<Path> dirs, int nodeId) {
        List<FileChannel> locks = new ArrayList<>();
        try {
            List<MetaProperties> metas = new ArrayList<>();
            String clusterId = null;
            Path clusterIdSource = null;
            for (Path dir : dirs) {
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new StartException("cannot create log directory " + dir + ": " + e, e);
                }
                locks.add(lock(dir));
                MetaProperties meta = MetaProperties.read(dir);
                metas.add(meta);
                if (meta == null) {
                    continue;
                }
                if (meta.nodeId() != nodeId) {
                    throw new StartException(dir.resolve(MetaProperties.FILE_NAME) + " belongs to node.id " + meta.nodeId()
                            + ", but this node is configured with node.id " + nodeId);
                }
                if (clusterId == null) {
                    clusterId = meta.clusterId();
                    clusterIdSource = dir;
                } else if (!clusterId.equals(meta.clusterId())) {
                    throw new StartException("log directories disagree on the cluster: " + clusterIdSource + " has cluster.id "
                            + clusterId + ", " + dir + " has " + meta.clusterId());
                }
            }
            boolean fresh = clusterId == null;
            if (fresh) {
                clusterId = Uuids.randomBase64();
            }
            for (int i = 0; i < dirs.size(); i++) {
                if (metas.get(i) == null) {
                    new MetaProperties(clusterId, nodeId, Uuids.randomBase64()).write(dirs.get(i));
                }
            }
            // A node stopped before it learnt the quorum's id has only its own generated one, and nothing to mix up yet.
            boolean adoptable = fresh || !holdsPartitions(dirs);
            return new LogDirs(locks, dirs, adoptable, clusterId);
        } catch (RuntimeException e) {
            closeAll(locks);
            throw e;
        }
    }

    private static FileChannel lock(Path dir) {
        Path file = dir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StartException("log directory " + dir + " is in use by another process");
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StartException("log directory " + dir + " is already in use by another node in this process");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StartException("cannot lock log directory " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static boolean holdsPartitions(List<Path> dirs) {
        for (Path dir : dirs) {
            try (Stream<Path> children = Files.list(dir)) {
                if (children.anyMatch(c -> Files.isDirectory(c) && PartitionDirs.parse(c.getFileName().toString()) != null)) {
                    return true;
                }
            } catch (IOException e) {
                throw new StartException("cannot list log directory " + dir + ": " + e, e);
            }
        }
        return false;
    }

    synchronized String clusterId() {
        return clusterId;
    }

    /**
     * Takes the cluster id of the quorum this node joined. Only a node whose directories were new at
     * this start, or held no partition when it started, may: one whose partitions belong to another
     * cluster would mix two clusters' data.
     *
     * @throws StartException when the directories belong to another cluster
     */
    synchronized String adoptClusterId(String quorumClusterId) {
        if (quorumClusterId.equals(clusterId)) {
            return clusterId;
        }
        if (!adoptable) {
            throw new StartException("the log directories belong to cluster " + clusterId + " and hold its partitions, but"
                    + " the controller quorum (controller.quorum.voters) is cluster " + quorumClusterId
                    + "; use empty log directories to join it");
        }
        for (Path dir : dirs) {
            MetaProperties meta = MetaProperties.read(dir);
            new MetaProperties(quorumClusterId, meta.nodeId(), meta.directoryId()).write(dir);
        }
        clusterId = quorumClusterId;
        return clusterId;
    }

    @Override
    public void close() {
        closeAll(locks);
    }

    private static void closeAll(List<FileChannel> channels) {
        for (FileChannel channel : channels) {
            closeQuietly(channel);
        }
        channels.clear();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close(); // releases its lock
            } catch (IOException ignored) {
                // nothing left to do for a lock file
            }
        }
    }
}
