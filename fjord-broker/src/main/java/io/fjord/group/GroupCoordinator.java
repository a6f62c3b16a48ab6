package io.fjord.group;

import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's group coordinator: every classic group and its committed offsets, owned by one thread.
 * Callers (handlers on event loops) get futures; nothing they call blocks.
 *
 * <p>Every change is first written through the {@link CoordinatorLog} (records in
 * {@code __consumer_offsets}) and applied to memory once stored.
 */
public final class GroupCoordinator implements AutoCloseable {
    public record Committed(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {}

    public record OffsetKey(String topic, int partition) {}

    private final GroupSettings settings;
    private final CoordinatorLog log;
    private final ScheduledExecutorService thread;
    private final GroupScheduler scheduler;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private final Map<String, Map<OffsetKey, Committed>> offsets = new HashMap<>();

    public GroupCoordinator(GroupSettings settings) {
        this(settings, CoordinatorLog.NONE);
    }

    public GroupCoordinator(GroupSettings settings, CoordinatorLog log) {
        this.settings = settings;
        this.log = log;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fjord-group-coordinator");
            t.setDaemon(true);
            return t;
        });
        this.scheduler = new GroupScheduler() {
            @Override
            public long nowMs() {
                return System.currentTimeMillis();
            }

            @Override
            public Cancellable schedule(long delayMs, Runnable task) {
                ScheduledFuture<?> f = thread.schedule(task, delayMs, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
    }

    /** Runs {@code action} on the coordinator thread and hands on the future it returns. */
    private <T> CompletableFuture<T> onThread(Supplier<CompletableFuture<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    action.get().whenComplete((v, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(v);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private ClassicGroup group(String groupId, boolean create) {
        ClassicGroup group = groups.get(groupId);
        if (group == null && create) {
            group = new ClassicGroup(groupId, settings, scheduler);
            groups.put(groupId, group);
        }
        return group;
    }

    public CompletableFuture<JoinResult> join(String groupId, JoinRequest request) {
        return onThread(() -> {
            ClassicGroup group = group(groupId, request.memberId().isEmpty());
            if (group == null) {
                return CompletableFuture.completedFuture(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, request.memberId()));
            }
            return group.join(request);
        });
    }

    public CompletableFuture<SyncResult> sync(String groupId, String memberId, String instanceId, int generation,
            String protocolType, String protocolName, Map<String, byte[]> assignments) {
        return onThread(() -> {
            ClassicGroup group = group(groupId, false);
            if (group == null) {
                return CompletableFuture.completedFuture(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
            }
            return group.sync(memberId, instanceId, generation, protocolType, protocolName, assignments);
        });
    }

    public CompletableFuture<Errors> heartbeat(String groupId, String memberId, String instanceId, int generation) {
        return onThread(() -> {
            ClassicGroup group = group(groupId, false);
            return CompletableFuture.completedFuture(
                    group == null ? Errors.UNKNOWN_MEMBER_ID : group.heartbeat(memberId, instanceId, generation));
        });
    }

    public record Leaving(String memberId, String groupInstanceId) {}

    /** One error per leaving member, in order. */
    public CompletableFuture<List<Errors>> leave(String groupId, List<Leaving> leaving) {
        return onThread(() -> {
            ClassicGroup group = group(groupId, false);
            List<Errors> errors = new ArrayList<>();
            for (Leaving l : leaving) {
                errors.add(group == null ? Errors.UNKNOWN_MEMBER_ID : group.leave(l.memberId(), l.groupInstanceId()));
            }
            return CompletableFuture.completedFuture(errors);
        });
    }

    /** Commits offsets; the error (if any) applies to every partition of the request. */
    public CompletableFuture<Errors> commit(String groupId, String memberId, String instanceId, int generation,
            Map<OffsetKey, Committed> commits) {
        return onThread(() -> {
            ClassicGroup group = group(groupId, false);
            Errors error = Errors.NONE;
            if (group != null) {
                error = group.validateOffsetCommit(memberId, instanceId, generation);
            } else if (generation >= 0) {
                // Kafka 4.x: GROUP_ID_NOT_FOUND; the handler answers ILLEGAL_GENERATION below v9.
                error = Errors.GROUP_ID_NOT_FOUND;
            }
            if (error != Errors.NONE) {
                return CompletableFuture.completedFuture(error);
            }
            List<CoordinatorRecord> records = new ArrayList<>(commits.size());
            commits.forEach((k, v) -> records.add(new CoordinatorRecord.OffsetCommit(groupId, k.topic(), k.partition(), v)));
            if (records.isEmpty()) {
                return CompletableFuture.completedFuture(Errors.NONE);
            }
            // Applied on this thread once stored, so a fetch never sees an offset a restart would lose.
            CompletableFuture<Errors> done = new CompletableFuture<>();
            log.append(groupId, records).whenCompleteAsync((v, failure) -> {
                if (failure != null) {
                    done.complete(Errors.COORDINATOR_NOT_AVAILABLE);
                    return;
                }
                group(groupId, true);
                offsets.computeIfAbsent(groupId, g -> new LinkedHashMap<>()).putAll(commits);
                done.complete(Errors.NONE);
            }, thread);
            return done;
        });
    }

    /** The committed offsets of {@code keys}, or of every partition when {@code keys} is null. */
    public CompletableFuture<Map<OffsetKey, Committed>> fetchOffsets(String groupId, List<OffsetKey> keys) {
        return onThread(() -> {
            Map<OffsetKey, Committed> committed = offsets.getOrDefault(groupId, Map.of());
            Map<OffsetKey, Committed> result = new LinkedHashMap<>();
            if (keys == null) {
                result.putAll(committed);
            } else {
                for (OffsetKey k : keys) {
                    Committed c = committed.get(k);
                    if (c != null) {
                        result.put(k, c);
                    }
                }
            }
            return CompletableFuture.completedFuture(result);
        });
    }

    public record GroupListing(String groupId, String protocolType, GroupState state) {}

    public CompletableFuture<List<GroupListing>> listGroups() {
        return onThread(() -> {
            List<GroupListing> list = new ArrayList<>();
            for (ClassicGroup g : groups.values()) {
                list.add(new GroupListing(g.groupId(), g.protocolType() == null ? "" : g.protocolType(), g.state()));
            }
            return CompletableFuture.completedFuture(list);
        });
    }

    public record GroupDescription(GroupState state, String protocolType, String protocolName,
            List<ClassicGroup.MemberView> members) {}

    /** Null for a group this node does not know. */
    public CompletableFuture<GroupDescription> describe(String groupId) {
        return onThread(() -> {
            ClassicGroup g = groups.get(groupId);
            return CompletableFuture.completedFuture(g == null ? null
                    : new GroupDescription(g.state(), g.protocolType(), g.protocolName(), g.describeMembers()));
        });
    }

    /**
     * DeleteGroups: each group must be Empty (Kafka: NON_EMPTY_GROUP otherwise, GROUP_ID_NOT_FOUND for
     * an unknown or Dead group). Tombstones for the group and each committed offset are written first;
     * the group and its offsets leave memory once they are stored. One error per id, in order.
     */
    public CompletableFuture<Map<String, Errors>> deleteGroups(List<String> groupIds) {
        return onThread(() -> {
            Map<String, CompletableFuture<Errors>> pending = new LinkedHashMap<>();
            for (String groupId : groupIds) {
                if (pending.containsKey(groupId)) {
                    continue;
                }
                ClassicGroup group = groups.get(groupId);
                Errors error = group == null || group.state() == GroupState.DEAD ? Errors.GROUP_ID_NOT_FOUND
                        : group.state() != GroupState.EMPTY ? Errors.NON_EMPTY_GROUP : Errors.NONE;
                if (error != Errors.NONE) {
                    pending.put(groupId, CompletableFuture.completedFuture(error));
                    continue;
                }
                List<CoordinatorRecord> records = new ArrayList<>();
                offsets.getOrDefault(groupId, Map.of()).keySet().forEach(k ->
                        records.add(new CoordinatorRecord.OffsetCommit(groupId, k.topic(), k.partition(), null)));
                records.add(new CoordinatorRecord.GroupMetadata(groupId, null));
                CompletableFuture<Errors> done = new CompletableFuture<>();
                log.append(groupId, records).whenCompleteAsync((v, failure) -> {
                    if (failure != null) {
                        done.complete(Errors.COORDINATOR_NOT_AVAILABLE);
                        return;
                    }
                    // The tombstones are in the log, so memory follows them even if a member
                    // joined meanwhile: it is told UNKNOWN_MEMBER_ID and starts a fresh group.
                    ClassicGroup current = groups.remove(groupId);
                    if (current != null) {
                        current.markDead();
                    }
                    offsets.remove(groupId);
                    done.complete(Errors.NONE);
                }, thread);
                pending.put(groupId, done);
            }
            return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                Map<String, Errors> result = new LinkedHashMap<>();
                pending.forEach((id, f) -> result.put(id, f.join()));
                return result;
            });
        });
    }

    /** What OffsetDelete answers: a group-level error, else one error per requested partition. */
    public record OffsetDeletion(Errors error, Map<String, Map<Integer, Errors>> partitions) {}

    /**
     * OffsetDelete with Kafka's rules: unknown or Dead group GROUP_ID_NOT_FOUND; a non-empty group that
     * does not use the consumer protocol NON_EMPTY_GROUP; a topic a member is subscribed to
     * GROUP_SUBSCRIBED_TO_TOPIC on each of its partitions; other partitions lose their offset
     * (tombstone first, memory after) and answer NONE, also when nothing was committed.
     */
    public CompletableFuture<OffsetDeletion> deleteOffsets(String groupId, Map<String, List<Integer>> wanted) {
        return onThread(() -> {
            ClassicGroup group = groups.get(groupId);
            if (group == null || group.state() == GroupState.DEAD) {
                return CompletableFuture.completedFuture(new OffsetDeletion(Errors.GROUP_ID_NOT_FOUND, Map.of()));
            }
            if (group.state() != GroupState.EMPTY
                    && !ConsumerSubscriptions.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
                return CompletableFuture.completedFuture(new OffsetDeletion(Errors.NON_EMPTY_GROUP, Map.of()));
            }
            Map<OffsetKey, Committed> committed = offsets.getOrDefault(groupId, Map.of());
            Map<String, Map<Integer, Errors>> result = new LinkedHashMap<>();
            List<OffsetKey> removed = new ArrayList<>();
            List<CoordinatorRecord> records = new ArrayList<>();
            wanted.forEach((topic, partitions) -> {
                boolean subscribed = group.state() != GroupState.EMPTY && group.isSubscribedToTopic(topic);
                Map<Integer, Errors> errors = result.computeIfAbsent(topic, t -> new LinkedHashMap<>());
                for (int p : partitions) {
                    if (subscribed) {
                        errors.put(p, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
                        continue;
                    }
                    OffsetKey key = new OffsetKey(topic, p);
                    if (committed.containsKey(key) && !removed.contains(key)) {
                        removed.add(key);
                        records.add(new CoordinatorRecord.OffsetCommit(groupId, topic, p, null));
                    }
                    errors.put(p, Errors.NONE);
                }
            });
            if (records.isEmpty()) {
                return CompletableFuture.completedFuture(new OffsetDeletion(Errors.NONE, result));
            }
            CompletableFuture<OffsetDeletion> done = new CompletableFuture<>();
            log.append(groupId, records).whenCompleteAsync((v, failure) -> {
                if (failure != null) {
                    done.complete(new OffsetDeletion(Errors.COORDINATOR_NOT_AVAILABLE, Map.of()));
                    return;
                }
                Map<OffsetKey, Committed> current = offsets.get(groupId);
                if (current != null) {
                    removed.forEach(current::remove);
                }
                done.complete(new OffsetDeletion(Errors.NONE, result));
            }, thread);
            return done;
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
