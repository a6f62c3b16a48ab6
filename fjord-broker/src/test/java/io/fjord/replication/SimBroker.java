package io.fjord.replication;

import io.fjord.log.LeaderEpochCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One simulated broker process: its replicas, whether it runs, and how far it replayed the metadata. */
final class SimBroker {
    final int id;
    final SimReplica[] replicas;
    boolean alive = true;
    boolean paused;
    int incarnation = 1;
    int appliedVersion;

    SimBroker(int id, int partitions, Path dataDir) {
        this.id = id;
        this.replicas = new SimReplica[partitions];
        for (int p = 0; p < partitions; p++) {
            Path dir = dataDir.resolve("b" + id + "-p" + p);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            replicas[p] = new SimReplica(id, p, new SimLog(dir.resolve(LeaderEpochCache.FILE_NAME)));
        }
    }

    boolean running() {
        return alive && !paused;
    }
}
