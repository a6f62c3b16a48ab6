package io.fjord.produce;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The thread that writes producer state snapshots for every partition of the process. One is plenty:
 * a snapshot is small and taken once per segment roll, and keeping its fsync off the event loops is
 * the whole point.
 */
final class SnapshotWriter {
    private SnapshotWriter() {
    }

    private static final class Holder {
        static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fjord-producer-snapshots");
            thread.setDaemon(true);
            return thread;
        });
    }

    static ExecutorService executor() {
        return Holder.EXECUTOR;
    }
}
