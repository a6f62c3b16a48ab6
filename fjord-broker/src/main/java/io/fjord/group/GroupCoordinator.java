package io.fjord.group;

import io.fjord.group.consumer.ConsumerGroup;
import io.fjord.group.consumer.ConsumerGroupSettings;
import io.fjord.group.consumer.ConsumerGroups;
import io.fjord.group.consumer.HeartbeatRequest;
import io.fjord.group.consumer.HeartbeatResult;
import io.fjord.metadata.TopicRegistry;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's group coordinator: every classic group and its committed offsets, owned by one thread.
 * Callers (handlers on event loops) get futures; nothing they call blocks.
 *
 * <p>Every change is first written through the {@link CoordinatorLog} (records in
 * {@code __consumer_offsets}) and applied to memory once stored.
 */
public final class GroupCoordinator implements AutoCloseable {
    /**
     * A committed offset. {@code expireTimestampMs} is -1 unless an OffsetCommit v2-4 asked for its own
     * {@code retention_time_ms} (Kafka 4.x honours it: such an offset expires at that time, whatever
     * its group does) or a v1 record carried one.
     */
    public record Committed(long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs) {
        public Committed(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
            this(offset, leaderEpoch, metadata, commitTimestampMs, -1);
        }

        /** Kafka's OffsetExpirationCondition test: an explicit expire time wins over the group's base. */
        boolean isExpired(long nowMs, long baseMs, long retentionMs) {
            return expireTimestampMs >= 0 ? nowMs >= expireTimestampMs : nowMs - baseMs >= retentionMs;
        }
    }

    public record OffsetKey(String topic, int partition) {}

    private final GroupSettings settings;
    private final CoordinatorLog log;
    private final ScheduledExecutorService thread;
    private final GroupScheduler scheduler;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private final Map<String, Map<OffsetKey, Committed>> offsets = new HashMap<>();
    /** When each classic group last became Empty: offsets retention (KIP-211) counts from there. */
    private final Map<String, Long> emptySince = new HashMap<>();
    /** Whether a group's state is here (NONE) or the error group APIs answer instead; asked on this thread. */
    private volatile java.util.function.Function<String, Errors> availability = groupId -> Errors.NONE;
    /** KIP-848 groups; a group id names either a classic group or one of these. */
    private final ConsumerGroups consumerGroups;
    private final OffsetExpiration expiration;

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
        this.consumerGroups = new ConsumerGroups(scheduler, log);
        this.expiration = new OffsetExpiration(log, groups, consumerGroups, offsets, emptySince);
    }

    /**
     * Forgets every group {@code inPartition} accepts, classic or consumer-protocol, with its committed
     * offsets: this node stopped leading the {@code __consumer_offsets} partition that holds them, and
     * the new leader loads them from there. Nothing is written. Members waiting in a join or sync are
     * answered at once, so they go back to FindCoordinator. Call on the coordinator thread; returns how
     * many groups were dropped.
     */
    public int unloadGroups(java.util.function.Predicate<String> inPartition) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String id : groups.keySet()) {
            if (inPartition.test(id)) {
                ids.add(id);
            }
        }
        for (String id : offsets.keySet()) {
            if (inPartition.test(id)) {
                ids.add(id);
            }
        }
        for (ConsumerGroup g : consumerGroups.all()) {
            if (inPartition.test(g.groupId())) {
                ids.add(g.groupId());
            }
        }
        for (String id : ids) {
            ClassicGroup group = groups.remove(id);
            if (group != null) {
                group.unload(Errors.NOT_COORDINATOR);
            }
            offsets.remove(id);
            emptySince.remove(id);
            if (consumerGroups.get(id) != null) {
                consumerGroups.removeStored(id);
            }
        }
        return ids.size();
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

    /**
     * Applies a change once its records are stored, on this thread. When the append has already completed
     * (the partition write is synchronous) it applies at once, inside the caller's task, so no other task
     * can run between a write and its application and see (or act on) state the log has already moved past.
     */
    private <T> CompletableFuture<T> afterStored(CompletableFuture<Void> stored, Function<Throwable, T> apply) {
        if (stored.isDone()) {
            Throwable failure = null;
            try {
                stored.join();
            } catch (CompletionException | CancellationException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            }
            return CompletableFuture.completedFuture(apply.apply(failure));
        }
        return stored.handleAsync((v, e) -> apply.apply(e == null ? null : e.getCause() != null ? e.getCause() : e), thread);
    }

    /**
     * What a commit answers when its append failed: too large a commit is the client's; NOT_COORDINATOR
     * when the offsets partition stopped being led here (the client finds the new coordinator); anything
     * else retriable.
     */
    private static Errors commitFailure(Throwable failure) {
        return failure instanceof io.fjord.log.RecordsTooLargeException ? Errors.INVALID_COMMIT_OFFSET_SIZE
                : GroupErrors.of(failure);
    }

    private ClassicGroup group(String groupId, boolean create) {
        ClassicGroup group = groups.get(groupId);
        if (group == null && create) {
            group = new ClassicGroup(groupId, settings, scheduler);
            group.setMetadataStore(this::persistTransition);
            groups.put(groupId, group);
        }
        return group;
    }

    public CompletableFuture<JoinResult> join(String groupId, JoinRequest request) {
        return onThread(() -> {
            Errors unavailable = availability.apply(groupId);
            if (unavailable != Errors.NONE) {
                return CompletableFuture.completedFuture(JoinResult.error(unavailable, request.memberId()));
            }
            ConsumerGroup consumerGroup = consumerGroups.get(groupId);
            if (consumerGroup != null && consumerGroup.size() > 0) {
                // Classic members cannot join a KIP-848 group here (Kafka's online migration is not done).
                return CompletableFuture.completedFuture(JoinResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, request.memberId()));
            } else if (consumerGroup != null && request.memberId().isEmpty()) {
                // The id becomes a classic group; a join that names a member id is refused below and changes nothing.
                consumerGroups.delete(groupId);
            }
            ClassicGroup group = group(groupId, request.memberId().isEmpty() && consumerGroups.get(groupId) == null);
            if (group == null) {
                return CompletableFuture.completedFuture(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, request.memberId()));
            }
            return group.join(request);
        });
    }

    public CompletableFuture<SyncResult> sync(String groupId, String memberId, String instanceId, int generation,
            String protocolType, String protocolName, Map<String, byte[]> assignments) {
        return onThread(() -> {
            Errors unavailable = availability.apply(groupId);
            if (unavailable != Errors.NONE) {
                return CompletableFuture.completedFuture(SyncResult.error(unavailable));
            }
            ClassicGroup group = group(groupId, false);
            if (group == null) {
                return CompletableFuture.completedFuture(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
            }
            return group.sync(memberId, instanceId, generation, protocolType, protocolName, assignments);
        });
    }

    public CompletableFuture<Errors> heartbeat(String groupId, String memberId, String instanceId, int generation) {
        return onThread(() -> {
            Errors unavailable = availability.apply(groupId);
            if (unavailable != Errors.NONE) {
                return CompletableFuture.completedFuture(unavailable);
            }
            ClassicGroup group = group(groupId, false);
            return CompletableFuture.completedFuture(
                    group == null ? Errors.UNKNOWN_MEMBER_ID : group.heartbeat(memberId, instanceId, generation));
        });
    }

    public record Leaving(String memberId, String groupInstanceId) {}

    /** One error per leaving member, in order. */
    public CompletableFuture<List<Errors>> leave(String groupId, List<Leaving> leaving) {
        return onThread(() -> {
            Errors unavailable = availability.apply(groupId);
            if (unavailable != Errors.NONE) {
                // The handler answers a failure with a top-level COORDINATOR_NOT_AVAILABLE, as Kafka does.
                return CompletableFuture.failedFuture(new IllegalStateException(unavailable.message()));
            }
            ClassicGroup group = group(groupId, false);
            List<Errors> errors = new ArrayList<>();
            for (Leaving l : leaving) {
                errors.add(group == null ? Errors.UNKNOWN_MEMBER_ID : group.leave(l.memberId(), l.groupInstanceId()));
            }
            return CompletableFuture.completedFuture(errors);
        });
    }

    /** Commits offsets as an OffsetCommit v9+ does; the error (if any) applies to every partition of the request. */
    public CompletableFuture<Errors> commit(String groupId, String memberId, String instanceId, int generation,
            Map<OffsetKey, Committed> commits) {
        return commit(groupId, memberId, instanceId, generation, commits, 9);
    }

    /** Commits offsets; {@code apiVersion} is the OffsetCommit version (consumer-group members need v9+). */
    public CompletableFuture<Errors> commit(String groupId, String memberId, String instanceId, int generation,
            Map<OffsetKey, Committed> commits, int apiVersion) {
        return onThread(() -> {
            Errors unavailable = availability.apply(groupId);
            if (unavailable != Errors.NONE) {
                return CompletableFuture.completedFuture(unavailable);
            }
            ClassicGroup group = group(groupId, false);
            Errors error = Errors.NONE;
            ConsumerGroup consumerGroup = consumerGroups.get(groupId);
            if (consumerGroup != null) {
                error = consumerGroup.validateOffsetCommit(memberId, generation, apiVersion);
            } else if (group != null) {
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
            // Applied once stored, so a fetch never sees an offset a restart would lose.
            return afterStored(log.append(groupId, records), failure -> {
                if (failure != null) {
                    return commitFailure(failure);
                }
                if (consumerGroups.get(groupId) == null) {
                    group(groupId, true);
                }
                offsets.computeIfAbsent(groupId, g -> new LinkedHashMap<>()).putAll(commits);
                return Errors.NONE;
            });
        });
    }

    /** The committed offsets of {@code keys}, or of every partition when {@code keys} is null. */
    public CompletableFuture<Map<OffsetKey, Committed>> fetchOffsets(String groupId, List<OffsetKey> keys) {
        return onThread(() -> {
            // Checked in the same task as the read, so an unload cannot slip in between.
            CompletableFuture<Map<OffsetKey, Committed>> refused = refuseUnavailable(groupId);
            if (refused != null) {
                return refused;
            }
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
            CompletableFuture<GroupDescription> refused = refuseUnavailable(groupId);
            if (refused != null) {
                return refused;
            }
            ClassicGroup g = groups.get(groupId);
            return CompletableFuture.completedFuture(g == null ? null
                    : new GroupDescription(g.state(), g.protocolType(), g.protocolName(), g.describeMembers()));
        });
    }

    // ---- persistence: __consumer_offsets (see OffsetsTopicManager, docs/consumer-offsets.md) ----

    /**
     * Writes a classic group's metadata, with its members and their assignments, where Kafka does:
     * when a rebalance completes (the leader's SyncGroup; the group waits for the returned future,
     * which completes on this thread) and when the group becomes Empty (nothing waits; a failed write
     * is logged and the next transition writes again).
     */
    private CompletableFuture<Void> persistTransition(ClassicGroup g) {
        long now = scheduler.nowMs();
        if (g.state() == GroupState.EMPTY) {
            emptySince.put(g.groupId(), now);
        } else {
            emptySince.remove(g.groupId());
        }
        GroupSnapshot snapshot = new GroupSnapshot(OffsetsRecordCodec.CLASSIC, g.protocolType() == null ? "" : g.protocolType(),
                g.generationId(), g.protocolName(), g.leaderId(), now, g.storedMembers());
        CompletableFuture<Void> stored = new CompletableFuture<>();
        log.append(g.groupId(), List.of(new CoordinatorRecord.GroupMetadata(g.groupId(), snapshot)))
                .whenCompleteAsync((v, e) -> {
                    if (e != null) {
                        org.slf4j.LoggerFactory.getLogger(GroupCoordinator.class).warn(
                                "Cannot persist metadata of group {} (generation {}): {}", g.groupId(), snapshot.generationId(),
                                e.getMessage());
                        stored.completeExceptionally(e);
                    } else {
                        stored.complete(null);
                    }
                }, thread);
        return stored;
    }

    /**
     * Sets what JoinGroup, SyncGroup, Heartbeat, LeaveGroup and OffsetCommit answer while a group's
     * {@code __consumer_offsets} partition is missing or loading (COORDINATOR_NOT_AVAILABLE,
     * COORDINATOR_LOAD_IN_PROGRESS); called on the coordinator thread with the group id.
     */
    public void setAvailability(java.util.function.Function<String, Errors> availability) {
        this.availability = availability;
    }

    /** Runs {@code task} on the coordinator thread (loading, snapshots). */
    public void execute(Runnable task) {
        thread.execute(task);
    }

    /**
     * Takes in what a {@code __consumer_offsets} partition holds; call on the coordinator thread, before
     * the partition's groups are served. Classic groups come back Empty with their generation and
     * protocol type; consumer-protocol groups come back empty at their group epoch.
     */
    public void loadPartition(OffsetsPartitionState state) {
        long now = scheduler.nowMs();
        state.groups().forEach((groupId, s) -> {
            if (OffsetsRecordCodec.CONSUMER.equals(s.groupType())) {
                // Members are not stored: the group comes back empty at its epoch, members rejoin.
                consumerGroups.restore(groupId, s.generationId());
                return;
            }
            ClassicGroup g = group(groupId, true);
            g.restore(s);
            if (g.state() == GroupState.EMPTY) {
                // Written while Empty: it has been empty since then. Written Stable without members (older
                // Fjord versions did not store them): empty from now on.
                emptySince.put(groupId, s.leaderId() == null && s.stateTimestampMs() >= 0 ? s.stateTimestampMs() : now);
            } else {
                // Restored Stable with its members: offsets are kept while it has any.
                emptySince.remove(groupId);
            }
        });
        state.offsets().forEach((groupId, committed) -> {
            if (consumerGroups.get(groupId) == null) {
                group(groupId, true);
            }
            offsets.computeIfAbsent(groupId, x -> new LinkedHashMap<>()).putAll(committed);
        });
    }

    /** Runs {@link #expireOffsets} every {@code intervalMs} (offsets.retention.check.interval.ms). */
    public void startOffsetExpiration(long retentionMs, long intervalMs) {
        thread.scheduleWithFixedDelay(() -> {
            try {
                expireOffsets(scheduler.nowMs(), retentionMs);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(GroupCoordinator.class).warn("Offset expiration failed", e);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** {@link #expireOffsets} on the coordinator thread; completes with the number of offsets removed. */
    public CompletableFuture<Integer> expireOffsetsAsync(long nowMs, long retentionMs) {
        return onThread(() -> CompletableFuture.completedFuture(expireOffsets(nowMs, retentionMs)));
    }

    /** Offset retention on the coordinator thread; returns the number of offsets removed (see {@link OffsetExpiration}). */
    int expireOffsets(long nowMs, long retentionMs) {
        return expiration.expireOffsets(nowMs, retentionMs);
    }

    /** Settings and topics (for topic ids and metadata changes) of KIP-848 groups; call before serving. */
    public void configureConsumerGroups(ConsumerGroupSettings settings, Supplier<? extends TopicRegistry> topics) {
        thread.execute(() -> consumerGroups.configure(settings, topics));
    }

    public ConsumerGroupSettings consumerGroupSettings() {
        return consumerGroups.settings();
    }

    /**
     * A ConsumerGroupHeartbeat. An empty classic group with this id becomes a consumer group on a join;
     * one with members refuses it (INCONSISTENT_GROUP_PROTOCOL), as does any non-join heartbeat
     * (GROUP_ID_NOT_FOUND: it is not a consumer group).
     */
    public CompletableFuture<HeartbeatResult> consumerGroupHeartbeat(String groupId, HeartbeatRequest request) {
        return onThread(() -> {
            Errors unavailable = availability.apply(groupId);
            if (unavailable != Errors.NONE) {
                return CompletableFuture.completedFuture(HeartbeatResult.error(unavailable, null));
            }
            ClassicGroup classic = groups.get(groupId);
            if (classic != null) {
                if (request.memberEpoch() != 0) {
                    return CompletableFuture.completedFuture(HeartbeatResult.error(Errors.GROUP_ID_NOT_FOUND,
                            "Group " + groupId + " is not a consumer group."));
                }
                if (classic.size() > 0) {
                    return CompletableFuture.completedFuture(HeartbeatResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL,
                            "Group " + groupId + " is a classic group with members; it cannot be converted."));
                }
            }
            CompletableFuture<HeartbeatResult> result = consumerGroups.heartbeat(groupId, request);
            if (classic != null && consumerGroups.get(groupId) != null) {
                // The join created the consumer group: the empty classic group of the same id is gone
                // (its offsets stay, now the consumer group's). A refused join left the classic group as it was.
                classic.markDead();
                groups.remove(groupId);
                emptySince.remove(groupId);
            }
            return result;
        });
    }

    /** Per group id: the consumer group's description, or null when the id names no consumer group. */
    public CompletableFuture<Map<String, ConsumerGroup.Description>> describeConsumerGroups(List<String> groupIds) {
        return onThread(() -> {
            Map<String, ConsumerGroup.Description> result = new HashMap<>();
            for (String id : groupIds) {
                ConsumerGroup g = consumerGroups.get(id);
                result.put(id, g == null ? null : g.describe());
            }
            return CompletableFuture.completedFuture(result);
        });
    }

    /**
     * What ConsumerGroupDescribe reads, in one coordinator task so an unload cannot slip between the check
     * and the read: per group id either an error the coordinator answers instead of the group's state
     * (NOT_COORDINATOR: another broker leads its offsets partition; COORDINATOR_LOAD_IN_PROGRESS or
     * COORDINATOR_NOT_AVAILABLE: its state is not in memory yet, so describing it would wrongly say it
     * does not exist) or its description (null when the id names no consumer group).
     */
    public CompletableFuture<ConsumerGroupLookup> lookUpConsumerGroups(List<String> groupIds) {
        return onThread(() -> {
            Map<String, Errors> unavailable = new HashMap<>();
            Map<String, ConsumerGroup.Description> found = new HashMap<>();
            for (String id : groupIds) {
                Errors error = availability.apply(id);
                if (error != Errors.NONE) {
                    unavailable.put(id, error);
                } else {
                    ConsumerGroup g = consumerGroups.get(id);
                    found.put(id, g == null ? null : g.describe());
                }
            }
            return CompletableFuture.completedFuture(new ConsumerGroupLookup(unavailable, found));
        });
    }

    /** See {@link #lookUpConsumerGroups}: the groups this node cannot answer for, and the others' descriptions. */
    public record ConsumerGroupLookup(Map<String, Errors> unavailable, Map<String, ConsumerGroup.Description> found) {}

    /**
     * A failed future with the availability error of {@code groupId}, or null when this node serves it
     * (call on the coordinator thread, in the same task as the read it guards). Kafka answers a read of
     * a group whose partition is still loading with COORDINATOR_LOAD_IN_PROGRESS, never with empty state.
     */
    private <T> CompletableFuture<T> refuseUnavailable(String groupId) {
        Errors error = availability.apply(groupId);
        if (error == Errors.NONE) {
            return null;
        }
        return CompletableFuture.failedFuture(new io.fjord.metadata.ApiException(error, error == Errors.NOT_COORDINATOR
                ? "Group " + groupId + " is coordinated by another broker" : error.message()));
    }

    /** Whether {@code groupId} is a KIP-848 consumer group (for "not a classic group" answers). */
    public CompletableFuture<Boolean> isConsumerGroup(String groupId) {
        return onThread(() -> CompletableFuture.completedFuture(consumerGroups.get(groupId) != null));
    }

    /** Whether {@code groupId} is a classic group (for "not a consumer group" answers). */
    public CompletableFuture<Boolean> isClassicGroup(String groupId) {
        return onThread(() -> CompletableFuture.completedFuture(groups.containsKey(groupId)));
    }

    public record ConsumerGroupListing(String groupId, String state) {}

    public CompletableFuture<List<ConsumerGroupListing>> listConsumerGroups() {
        return onThread(() -> {
            List<ConsumerGroupListing> list = new ArrayList<>();
            for (ConsumerGroup g : consumerGroups.all()) {
                list.add(new ConsumerGroupListing(g.groupId(), g.state().protocolName()));
            }
            return CompletableFuture.completedFuture(list);
        });
    }

    /** OffsetFetch v9+ member check of a consumer group: NONE for other groups or when no member is named. */
    public CompletableFuture<Errors> validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        return onThread(() -> {
            ConsumerGroup g = consumerGroups.get(groupId);
            return CompletableFuture.completedFuture(g == null ? Errors.NONE : g.validateOffsetFetch(memberId, memberEpoch));
        });
    }

    /** Brings back a consumer group from its group-metadata record (empty, at its group epoch) after a restart. */
    public CompletableFuture<Void> restoreConsumerGroup(String groupId, int groupEpoch) {
        return onThread(() -> {
            consumerGroups.restore(groupId, groupEpoch);
            return CompletableFuture.completedFuture(null);
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
                Errors unavailable = availability.apply(groupId);
                if (unavailable != Errors.NONE) {
                    pending.put(groupId, CompletableFuture.completedFuture(unavailable));
                    continue;
                }
                ClassicGroup group = groups.get(groupId);
                ConsumerGroup consumerGroup = consumerGroups.get(groupId);
                if (consumerGroup != null) {
                    pending.put(groupId, deleteConsumerGroupAndOffsets(groupId, consumerGroup));
                    continue;
                }
                Errors error = group == null || group.state() == GroupState.DEAD ? Errors.GROUP_ID_NOT_FOUND
                        : group.state() != GroupState.EMPTY ? Errors.NON_EMPTY_GROUP : Errors.NONE;
                if (error != Errors.NONE) {
                    pending.put(groupId, CompletableFuture.completedFuture(error));
                    continue;
                }
                List<OffsetKey> tombstoned = List.copyOf(offsets.getOrDefault(groupId, Map.of()).keySet());
                List<CoordinatorRecord> records = groupTombstones(groupId, tombstoned);
                pending.put(groupId, afterStored(log.append(groupId, records), failure -> {
                    if (failure != null) {
                        return GroupErrors.of(failure);
                    }
                    // The tombstones are in the log, so memory follows them even if a member
                    // joined meanwhile: it is told UNKNOWN_MEMBER_ID and starts a fresh group.
                    ClassicGroup current = groups.remove(groupId);
                    if (current != null) {
                        current.markDead();
                    }
                    emptySince.remove(groupId);
                    forgetOffsets(groupId, tombstoned);
                    return Errors.NONE;
                }));
            }
            return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                Map<String, Errors> result = new LinkedHashMap<>();
                pending.forEach((id, f) -> result.put(id, f.join()));
                return result;
            });
        });
    }

    /** DeleteGroups of a KIP-848 group: refused while it has members; one batch of tombstones, then memory. */
    private CompletableFuture<Errors> deleteConsumerGroupAndOffsets(String groupId, ConsumerGroup group) {
        if (group.size() > 0) {
            return CompletableFuture.completedFuture(Errors.NON_EMPTY_GROUP);
        }
        List<OffsetKey> tombstoned = List.copyOf(offsets.getOrDefault(groupId, Map.of()).keySet());
        return afterStored(log.append(groupId, groupTombstones(groupId, tombstoned)), failure -> {
            if (failure != null) {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            consumerGroups.removeStored(groupId);
            forgetOffsets(groupId, tombstoned);
            return Errors.NONE;
        });
    }

    /** A tombstone for each of the group's {@code offsets}, then one for the group. */
    private static List<CoordinatorRecord> groupTombstones(String groupId, List<OffsetKey> offsets) {
        List<CoordinatorRecord> records = new ArrayList<>(offsets.size() + 1);
        for (OffsetKey k : offsets) {
            records.add(new CoordinatorRecord.OffsetCommit(groupId, k.topic(), k.partition(), null));
        }
        records.add(new CoordinatorRecord.GroupMetadata(groupId, null));
        return records;
    }

    /** Drops the offsets a stored batch of tombstones covered; one committed since stays, as the log says. */
    private void forgetOffsets(String groupId, List<OffsetKey> tombstoned) {
        Map<OffsetKey, Committed> current = offsets.get(groupId);
        if (current == null) {
            return;
        }
        tombstoned.forEach(current::remove);
        if (current.isEmpty()) {
            offsets.remove(groupId);
        }
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
            Errors unavailable = availability.apply(groupId);
            if (unavailable != Errors.NONE) {
                return CompletableFuture.completedFuture(new OffsetDeletion(unavailable, Map.of()));
            }
            ClassicGroup group = groups.get(groupId);
            ConsumerGroup consumerGroup = consumerGroups.get(groupId);
            java.util.function.Predicate<String> subscribed;
            if (consumerGroup != null) {
                subscribed = consumerGroup::isSubscribedToTopic;
            } else if (group == null || group.state() == GroupState.DEAD) {
                return CompletableFuture.completedFuture(new OffsetDeletion(Errors.GROUP_ID_NOT_FOUND, Map.of()));
            } else if (group.state() != GroupState.EMPTY
                    && !ConsumerSubscriptions.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
                return CompletableFuture.completedFuture(new OffsetDeletion(Errors.NON_EMPTY_GROUP, Map.of()));
            } else {
                subscribed = topic -> group.state() != GroupState.EMPTY && group.isSubscribedToTopic(topic);
            }
            Map<OffsetKey, Committed> committed = offsets.getOrDefault(groupId, Map.of());
            Map<String, Map<Integer, Errors>> result = new LinkedHashMap<>();
            List<OffsetKey> removed = new ArrayList<>();
            List<CoordinatorRecord> records = new ArrayList<>();
            wanted.forEach((topic, partitions) -> {
                boolean isSubscribed = subscribed.test(topic);
                Map<Integer, Errors> errors = result.computeIfAbsent(topic, t -> new LinkedHashMap<>());
                for (int p : partitions) {
                    if (isSubscribed) {
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
            return afterStored(log.append(groupId, records), failure -> {
                if (failure != null) {
                    return new OffsetDeletion(GroupErrors.of(failure), Map.of());
                }
                Map<OffsetKey, Committed> current = offsets.get(groupId);
                if (current != null) {
                    removed.forEach(current::remove);
                }
                return new OffsetDeletion(Errors.NONE, result);
            });
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
