package io.fjord.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the coordinator writes its records: the group's {@code __consumer_offsets} partition. The
 * coordinator applies a change to memory only once its future completes, so an answer never reports
 * a change that a restart would lose.
 */
public interface CoordinatorLog {
    /** Appends {@code records} (all of {@code groupId}) as one batch; completes when they are stored. */
    CompletableFuture<Void> append(String groupId, List<CoordinatorRecord> records);

    /** Keeps nothing: for tests of the group logic alone. */
    CoordinatorLog NONE = (groupId, records) -> CompletableFuture.completedFuture(null);
}
