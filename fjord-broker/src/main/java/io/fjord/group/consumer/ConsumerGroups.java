package io.fjord.group.consumer;

import io.fjord.group.CoordinatorLog;
import io.fjord.group.CoordinatorRecord;
import io.fjord.group.GroupScheduler;
import io.fjord.group.GroupSnapshot;
import io.fjord.metadata.TopicRegistry;
import io.fjord.protocol.Errors;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's KIP-848 groups (same namespace as its classic groups; the coordinator keeps them
 * apart). Writes a group-metadata record ({@code GroupSnapshot} of type "consumer" with the group
 * epoch) whenever a group epoch moves, and a tombstone when a group is deleted; a heartbeat is
 * answered once its record is stored. Used on the coordinator thread only.
 */
public final class ConsumerGroups {
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroups.class);

    private final GroupScheduler scheduler;
    private final CoordinatorLog coordinatorLog;
    private volatile ConsumerGroupSettings settings = ConsumerGroupSettings.defaults();
    private volatile Supplier<? extends TopicRegistry> topics = () -> TopicRegistry.EMPTY;
    private final Map<String, ConsumerGroup> groups = new HashMap<>();
    /** The last write of each group not yet waited for by a heartbeat answer. */
    private final Map<String, CompletableFuture<Void>> writes = new HashMap<>();

    public ConsumerGroups(GroupScheduler scheduler, CoordinatorLog coordinatorLog) {
        this.scheduler = scheduler;
        this.coordinatorLog = coordinatorLog;
    }

    public void configure(ConsumerGroupSettings settings, Supplier<? extends TopicRegistry> topics) {
        this.settings = settings;
        this.topics = topics;
    }

    public ConsumerGroupSettings settings() {
        return settings;
    }

    public ConsumerGroup get(String groupId) {
        return groups.get(groupId);
    }

    public Collection<ConsumerGroup> all() {
        return groups.values();
    }

    private void epochChanged(String groupId, int epoch) {
        GroupSnapshot snapshot = new GroupSnapshot("consumer", "consumer", epoch, null, null, scheduler.nowMs());
        CompletableFuture<Void> write = coordinatorLog.append(groupId, List.of(new CoordinatorRecord.GroupMetadata(groupId, snapshot)));
        write.whenComplete((v, e) -> {
            if (e != null) {
                log.warn("[GroupId {}] could not store group epoch {}: {}", groupId, epoch, e.toString());
            }
        });
        writes.merge(groupId, write, (a, b) -> CompletableFuture.allOf(a, b));
    }

    /** Brings back a group from its group-metadata record: empty, at {@code groupEpoch}. */
    public ConsumerGroup restore(String groupId, int groupEpoch) {
        ConsumerGroup group = ConsumerGroup.restore(groupId, groupEpoch, settings, scheduler, () -> topics.get(), this::epochChanged);
        ConsumerGroup replaced = groups.put(groupId, group);
        if (replaced != null) {
            // Its timers must not act (and write epochs) for a group that is no longer served.
            replaced.markDead();
        }
        return group;
    }

    /** Runs a heartbeat (creating the group on a join) and answers once its records are stored. */
    public CompletableFuture<HeartbeatResult> heartbeat(String groupId, HeartbeatRequest request) {
        ConsumerGroup group = groups.get(groupId);
        boolean created = false;
        if (group == null) {
            if (request.memberEpoch() != 0) {
                return CompletableFuture.completedFuture(
                        HeartbeatResult.error(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found."));
            }
            group = new ConsumerGroup(groupId, settings, scheduler, () -> topics.get(), this::epochChanged);
            groups.put(groupId, group);
            created = true;
        }
        HeartbeatResult result = group.heartbeat(request);
        if (created && result.error() != Errors.NONE && group.size() == 0) {
            // A refused join leaves nothing behind, as in Kafka (else any id could grow the map).
            groups.remove(groupId);
            group.markDead();
        }
        CompletableFuture<Void> write = writes.remove(groupId);
        if (write == null) {
            return CompletableFuture.completedFuture(result);
        }
        return write.handle((v, e) -> e == null ? result
                : HeartbeatResult.error(Errors.COORDINATOR_NOT_AVAILABLE, "The group epoch could not be stored."));
    }

    /** Forgets a group whose tombstone the caller has already stored. */
    public void removeStored(String groupId) {
        ConsumerGroup group = groups.remove(groupId);
        writes.remove(groupId);
        if (group != null) {
            group.markDead();
        }
    }

    /** Removes a group and writes its tombstone. */
    public CompletableFuture<Void> delete(String groupId) {
        ConsumerGroup group = groups.remove(groupId);
        writes.remove(groupId);
        if (group == null) {
            return CompletableFuture.completedFuture(null);
        }
        group.markDead();
        return coordinatorLog.append(groupId, List.of(new CoordinatorRecord.GroupMetadata(groupId, null)));
    }
}
