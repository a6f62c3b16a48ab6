package io.fjord.group;

import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One classic-protocol consumer group: Kafka's GroupMetadata state machine (Empty, PreparingRebalance,
 * CompletingRebalance, Stable, Dead), generations, member ids, leader-based assignment, session and
 * rebalance timeouts, the initial rebalance delay and static membership.
 *
 * <p>Single writer: every method, and every task given to the {@link GroupScheduler}, runs on one
 * thread. Answers that wait for a rebalance are futures completed later by that thread; nothing blocks.
 * The group knows nothing of the network or of persistence.
 */
public final class ClassicGroup {
    private final String groupId;
    private final GroupSettings settings;
    private final GroupScheduler scheduler;

    private GroupState state = GroupState.EMPTY;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final Map<String, ClassicMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED whose owners have not joined with them yet. */
    private final Map<String, GroupScheduler.Cancellable> pendingMembers = new HashMap<>();
    /** Members of the current generation that have not sent SyncGroup yet (CompletingRebalance). */
    private final Set<String> pendingSync = new HashSet<>();

    private GroupScheduler.Cancellable joinTimer;
    private GroupScheduler.Cancellable syncTimer;
    /** When an initial (delayed) rebalance must end at the latest. */
    private long initialDelayDeadlineMs = -1;
    private boolean newMemberAdded;
    /**
     * Stores the group's metadata where Kafka does: when it turns Empty (the answer is not awaited) and
     * when the leader's SyncGroup brings the assignment (the group turns Stable, and members get their
     * assignment, only once the returned future completes). The future must complete on this group's
     * thread.
     */
    private java.util.function.Function<ClassicGroup, CompletableFuture<Void>> metadataStore =
            g -> CompletableFuture.completedFuture(null);
    /** The generation whose assignment is being stored (the leader has synced), or -1. */
    private int storingGeneration = -1;

    public ClassicGroup(String groupId, GroupSettings settings, GroupScheduler scheduler) {
        this.groupId = groupId;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    /** Sets who is told when the group turns Stable (the leader's SyncGroup) or Empty; nothing is awaited. */
    public void setTransitionListener(java.util.function.Consumer<ClassicGroup> listener) {
        setMetadataStore(g -> {
            listener.accept(g);
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Sets what stores the group's metadata (see {@link #metadataStore}); installed by the coordinator. */
    public void setMetadataStore(java.util.function.Function<ClassicGroup, CompletableFuture<Void>> store) {
        this.metadataStore = store;
    }

    /**
     * Brings back a group read from {@code __consumer_offsets}: Empty (members are not restored, they
     * rejoin), keeping its generation and protocol type so the next generation follows on.
     */
    public void restore(int generation, String protocolType) {
        this.generationId = generation;
        this.protocolType = protocolType == null || protocolType.isEmpty() ? null : protocolType;
    }

    /**
     * Brings back a group from its metadata record as Kafka loads one: without members it is Empty at
     * its generation; with members it is Stable with that generation, protocol, leader and each
     * member's assignment, and every member's session timer starts now. Members that come back keep
     * going without a rebalance; those that do not expire and trigger one. Static members' instance
     * ids map to their member ids again.
     */
    public void restore(GroupSnapshot snapshot) {
        restore(snapshot.generationId(), snapshot.protocolType());
        if (snapshot.members().isEmpty() || snapshot.protocolName() == null || this.protocolType == null) {
            return;
        }
        protocolName = snapshot.protocolName();
        for (GroupSnapshot.Member stored : snapshot.members()) {
            JoinRequest asJoined = new JoinRequest(stored.memberId(), stored.groupInstanceId(), stored.clientId(),
                    stored.clientHost(), stored.sessionTimeoutMs(), stored.rebalanceTimeoutMs(), this.protocolType,
                    List.of(new JoinRequest.Protocol(protocolName, stored.subscription())), false);
            ClassicMember member = new ClassicMember(stored.memberId(), asJoined);
            member.assignment = stored.assignment();
            members.put(member.memberId, member);
            if (member.groupInstanceId != null) {
                staticMembers.put(member.groupInstanceId, member.memberId);
            }
        }
        leaderId = snapshot.leaderId() != null && members.containsKey(snapshot.leaderId())
                ? snapshot.leaderId() : members.keySet().iterator().next();
        state = GroupState.STABLE;
        members.values().forEach(this::scheduleSession);
        if (members.size() > settings.maxSize()) {
            // As Kafka does when group.max.size was lowered: rebalance, so the members over it are dropped.
            prepareRebalance();
        }
    }

    /** The members as a metadata record stores them (subscription: metadata of the chosen protocol). */
    public List<GroupSnapshot.Member> storedMembers() {
        List<GroupSnapshot.Member> list = new ArrayList<>();
        if (protocolName == null) {
            return list;
        }
        for (ClassicMember m : members.values()) {
            list.add(new GroupSnapshot.Member(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                    m.rebalanceTimeoutMs, m.sessionTimeoutMs, m.metadata(protocolName), m.assignment));
        }
        return list;
    }

    public String groupId() {
        return groupId;
    }

    public GroupState state() {
        return state;
    }

    public int generationId() {
        return generationId;
    }

    public String protocolType() {
        return protocolType;
    }

    /** The chosen protocol (assignor) of the current generation, or null. */
    public String protocolName() {
        return protocolName;
    }

    public String leaderId() {
        return leaderId;
    }

    public boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    public int size() {
        return members.size();
    }

    /** What DescribeGroups shows of a member. */
    public record MemberView(String memberId, String groupInstanceId, String clientId, String clientHost,
            byte[] metadata, byte[] assignment) {}

    public List<MemberView> describeMembers() {
        List<MemberView> views = new ArrayList<>();
        for (ClassicMember m : members.values()) {
            byte[] metadata = protocolName == null ? new byte[0] : m.metadata(protocolName);
            views.add(new MemberView(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                    metadata == null ? new byte[0] : metadata, m.assignment));
        }
        return views;
    }

    // ---------------------------------------------------------------- JoinGroup

    public CompletableFuture<JoinResult> join(JoinRequest request) {
        String memberId = request.memberId();
        if (state == GroupState.DEAD) {
            return done(JoinResult.error(Errors.COORDINATOR_NOT_AVAILABLE, memberId));
        }
        if (request.sessionTimeoutMs() < settings.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
            return done(JoinResult.error(Errors.INVALID_SESSION_TIMEOUT, memberId));
        }
        if (request.protocolType() == null || request.protocolType().isEmpty() || request.protocols().isEmpty()
                || !supportsProtocols(request)) {
            return done(JoinResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
        }
        return memberId.isEmpty() ? joinUnknown(request) : joinKnown(request);
    }

    private boolean supportsProtocols(JoinRequest request) {
        if (members.isEmpty()) {
            return true;
        }
        if (!request.protocolType().equals(protocolType)) {
            return false;
        }
        // Some protocol every current member supports must be among the new member's.
        for (JoinRequest.Protocol p : request.protocols()) {
            if (members.values().stream().allMatch(m -> m.supports(p.name()))) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<JoinResult> joinUnknown(JoinRequest request) {
        String instanceId = request.groupInstanceId();
        String newId = (request.clientId() == null ? "" : request.clientId()) + "-" + UUID.randomUUID();
        if (instanceId != null) {
            String oldId = staticMembers.get(instanceId);
            if (oldId != null) {
                return replaceStaticMember(oldId, newId, request);
            }
        } else if (request.requireKnownMemberId()) {
            // KIP-394: the member learns its id first and joins with it; forget it if it never comes back.
            pendingMembers.put(newId, scheduler.schedule(request.sessionTimeoutMs(), () -> expirePending(newId)));
            return done(JoinResult.error(Errors.MEMBER_ID_REQUIRED, newId));
        }
        if (members.size() >= settings.maxSize()) {
            return done(JoinResult.error(Errors.GROUP_MAX_SIZE_REACHED, ""));
        }
        return addMemberAndRebalance(newId, request);
    }

    private CompletableFuture<JoinResult> joinKnown(JoinRequest request) {
        String memberId = request.memberId();
        GroupScheduler.Cancellable pending = pendingMembers.remove(memberId);
        if (pending != null) {
            pending.cancel();
            if (members.size() >= settings.maxSize()) {
                return done(JoinResult.error(Errors.GROUP_MAX_SIZE_REACHED, memberId));
            }
            return addMemberAndRebalance(memberId, request);
        }
        Errors fenced = checkStatic(memberId, request.groupInstanceId());
        if (fenced != Errors.NONE) {
            return done(JoinResult.error(fenced, memberId));
        }
        ClassicMember member = members.get(memberId);
        if (member == null) {
            return done(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
        switch (state) {
            case PREPARING_REBALANCE -> {
                return updateMemberAndRebalance(member, request);
            }
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(request.protocols())) {
                    // The member missed our answer; give it the same one again.
                    return done(currentJoinResult(member));
                }
                return updateMemberAndRebalance(member, request);
            }
            case STABLE -> {
                if (memberId.equals(leaderId) || !member.sameProtocols(request.protocols())) {
                    // The leader rejoining, or changed metadata (subscriptions), start a rebalance.
                    return updateMemberAndRebalance(member, request);
                }
                return done(currentJoinResult(member));
            }
            default -> {
                return done(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, memberId));
            }
        }
    }

    /** FENCED_INSTANCE_ID when a static member's instance id now belongs to another member id. */
    private Errors checkStatic(String memberId, String instanceId) {
        if (instanceId == null) {
            return Errors.NONE;
        }
        String current = staticMembers.get(instanceId);
        if (current == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return current.equals(memberId) ? Errors.NONE : Errors.FENCED_INSTANCE_ID;
    }

    private CompletableFuture<JoinResult> replaceStaticMember(String oldId, String newId, JoinRequest request) {
        ClassicMember member = members.remove(oldId);
        // Whoever still holds the old id is fenced from now on.
        if (member.awaitingJoin != null) {
            member.awaitingJoin.complete(JoinResult.error(Errors.FENCED_INSTANCE_ID, oldId));
            member.awaitingJoin = null;
        }
        if (member.awaitingSync != null) {
            member.awaitingSync.complete(SyncResult.error(Errors.FENCED_INSTANCE_ID));
            member.awaitingSync = null;
        }
        cancel(member.sessionTimer);
        String previousLeader = leaderId;
        member.memberId = newId;
        member.update(request);
        members.put(newId, member);
        staticMembers.put(member.groupInstanceId, newId);
        if (oldId.equals(leaderId)) {
            leaderId = newId;
        }
        if (pendingSync.remove(oldId)) {
            pendingSync.add(newId);
        }
        // Kafka's test: the rejoin changes nothing if the next generation would keep the same protocol.
        if (state == GroupState.STABLE && protocolName != null && protocolName.equals(selectProtocol())) {
            // KIP-345: a static member that restarts gets its old assignment back without a rebalance.
            scheduleSession(member);
            return done(staticRejoinResult(member, previousLeader, request.supportsSkipAssignment()));
        }
        if (state == GroupState.PREPARING_REBALANCE) {
            CompletableFuture<JoinResult> future = new CompletableFuture<>();
            member.awaitingJoin = future;
            maybeCompleteJoin();
            return future;
        }
        CompletableFuture<JoinResult> future = new CompletableFuture<>();
        member.awaitingJoin = future;
        prepareRebalance();
        return future;
    }

    private CompletableFuture<JoinResult> addMemberAndRebalance(String memberId, JoinRequest request) {
        ClassicMember member = new ClassicMember(memberId, request);
        if (members.isEmpty()) {
            protocolType = request.protocolType();
        }
        members.put(memberId, member);
        if (member.groupInstanceId != null) {
            staticMembers.put(member.groupInstanceId, memberId);
        }
        if (leaderId == null) {
            leaderId = memberId;
        }
        CompletableFuture<JoinResult> future = new CompletableFuture<>();
        member.awaitingJoin = future;
        newMemberAdded = true;
        // A new member that never comes back with its join expires after its session timeout.
        scheduleSession(member);
        if (state == GroupState.PREPARING_REBALANCE) {
            extendInitialDelay();
            maybeCompleteJoin();
        } else {
            prepareRebalance();
        }
        return future;
    }

    private CompletableFuture<JoinResult> updateMemberAndRebalance(ClassicMember member, JoinRequest request) {
        member.update(request);
        if (member.awaitingJoin != null) {
            // A retried join replaces the one already waiting.
            member.awaitingJoin.complete(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, member.memberId));
        }
        CompletableFuture<JoinResult> future = new CompletableFuture<>();
        member.awaitingJoin = future;
        if (state == GroupState.PREPARING_REBALANCE) {
            maybeCompleteJoin();
        } else {
            prepareRebalance();
        }
        return future;
    }

    /**
     * What a static member that rejoined a Stable group is told (Kafka's answer): from v9 the leader
     * gets the members with skipAssignment, so it runs no assignor; below v9 nobody gets members and
     * the leader is the one before the rejoin, so a rejoined leader acts as a follower.
     */
    private JoinResult staticRejoinResult(ClassicMember member, String previousLeader, boolean supportsSkipAssignment) {
        if (!supportsSkipAssignment) {
            return new JoinResult(Errors.NONE, generationId, protocolType, protocolName, previousLeader, member.memberId,
                    List.of(), false);
        }
        boolean leader = member.memberId.equals(leaderId);
        return new JoinResult(Errors.NONE, generationId, protocolType, protocolName, leaderId, member.memberId,
                leader ? memberMetadata() : List.of(), leader);
    }

    private JoinResult currentJoinResult(ClassicMember member) {
        List<JoinResult.MemberMetadata> list = member.memberId.equals(leaderId) ? memberMetadata() : List.of();
        return new JoinResult(Errors.NONE, generationId, protocolType, protocolName, leaderId, member.memberId, list, false);
    }

    private List<JoinResult.MemberMetadata> memberMetadata() {
        List<JoinResult.MemberMetadata> list = new ArrayList<>();
        for (ClassicMember m : members.values()) {
            list.add(new JoinResult.MemberMetadata(m.memberId, m.groupInstanceId, m.metadata(protocolName)));
        }
        return list;
    }

    // ---------------------------------------------------------------- rebalancing

    private void prepareRebalance() {
        cancel(syncTimer);
        syncTimer = null;
        pendingSync.clear();
        if (state == GroupState.COMPLETING_REBALANCE) {
            // The assignment being synced is obsolete: members waiting for it must rejoin.
            for (ClassicMember m : members.values()) {
                if (m.awaitingSync != null) {
                    m.awaitingSync.complete(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
                    m.awaitingSync = null;
                }
            }
        }
        boolean initial = state == GroupState.EMPTY;
        state = GroupState.PREPARING_REBALANCE;
        cancel(joinTimer);
        if (initial && settings.initialRebalanceDelayMs() > 0) {
            // group.initial.rebalance.delay.ms: wait for more members, extending by the delay each time
            // one arrives, but never past the rebalance timeout.
            initialDelayDeadlineMs = scheduler.nowMs() + rebalanceTimeoutMs();
            newMemberAdded = false;
            joinTimer = scheduler.schedule(Math.min(settings.initialRebalanceDelayMs(), rebalanceTimeoutMs()),
                    this::initialDelayExpired);
        } else {
            initialDelayDeadlineMs = -1;
            joinTimer = scheduler.schedule(rebalanceTimeoutMs(), this::completeJoin);
            // As Kafka's delayed join tries to complete at once: if every member is already waiting
            // (a lone first member without initial delay, a rejoin of the only member), go on now.
            maybeCompleteJoin();
        }
    }

    private void extendInitialDelay() {
        // Nothing to do: initialDelayExpired looks at newMemberAdded when it fires.
    }

    private void initialDelayExpired() {
        long remaining = initialDelayDeadlineMs - scheduler.nowMs();
        if (newMemberAdded && remaining > 0) {
            newMemberAdded = false;
            joinTimer = scheduler.schedule(Math.min(settings.initialRebalanceDelayMs(), remaining), this::initialDelayExpired);
        } else {
            initialDelayDeadlineMs = -1;
            completeJoin();
        }
    }

    private int rebalanceTimeoutMs() {
        int max = 0;
        for (ClassicMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    /** Ends the join phase early once every known member has rejoined (not during the initial delay). */
    private void maybeCompleteJoin() {
        if (state != GroupState.PREPARING_REBALANCE || initialDelayDeadlineMs >= 0) {
            return;
        }
        if (pendingMembers.isEmpty() && members.values().stream().allMatch(m -> m.awaitingJoin != null)) {
            completeJoin();
        }
    }

    private void completeJoin() {
        if (state != GroupState.PREPARING_REBALANCE) {
            return;
        }
        cancel(joinTimer);
        joinTimer = null;
        initialDelayDeadlineMs = -1;
        // Members that did not rejoin in time are out.
        for (ClassicMember m : List.copyOf(members.values())) {
            if (m.awaitingJoin == null) {
                removeMember(m);
            }
        }
        generationId++;
        if (members.isEmpty()) {
            state = GroupState.EMPTY;
            protocolName = null;
            leaderId = null;
            // Kafka does not wait for this write either: an empty generation has nobody to answer.
            metadataStore.apply(this);
            return;
        }
        protocolName = selectProtocol();
        if (leaderId == null || !members.containsKey(leaderId)) {
            leaderId = members.keySet().iterator().next();
        }
        state = GroupState.COMPLETING_REBALANCE;
        for (ClassicMember m : members.values()) {
            m.assignment = new byte[0];
            pendingSync.add(m.memberId);
            CompletableFuture<JoinResult> future = m.awaitingJoin;
            m.awaitingJoin = null;
            scheduleSession(m);
            future.complete(currentJoinResult(m));
        }
        // Members that never sync (a leader that never sends the assignment) are removed after the
        // rebalance timeout, as Kafka does.
        int generation = generationId;
        syncTimer = scheduler.schedule(rebalanceTimeoutMs(), () -> syncExpired(generation));
    }

    /** Kafka's vote: each member votes for its first choice among the protocols all members support. */
    private String selectProtocol() {
        List<String> candidates = new ArrayList<>();
        for (JoinRequest.Protocol p : members.values().iterator().next().protocols) {
            if (members.values().stream().allMatch(m -> m.supports(p.name()))) {
                candidates.add(p.name());
            }
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (String c : candidates) {
            votes.put(c, 0);
        }
        for (ClassicMember m : members.values()) {
            for (JoinRequest.Protocol p : m.protocols) {
                if (votes.containsKey(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private void syncExpired(int generation) {
        if (state != GroupState.COMPLETING_REBALANCE || generation != generationId || pendingSync.isEmpty()) {
            return;
        }
        for (String id : List.copyOf(pendingSync)) {
            ClassicMember m = members.get(id);
            if (m != null) {
                removeMember(m);
            }
        }
        pendingSync.clear();
        rebalanceAfterRemoval();
    }

    // ---------------------------------------------------------------- SyncGroup

    public CompletableFuture<SyncResult> sync(String memberId, String groupInstanceId, int generation,
            String protocolType, String protocolName, Map<String, byte[]> assignments) {
        if (state == GroupState.DEAD) {
            return done(SyncResult.error(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        // Kafka's validateMember: a static member's instance id is checked first (fenced before unknown).
        Errors fenced = checkStatic(memberId, groupInstanceId);
        if (fenced != Errors.NONE) {
            return done(SyncResult.error(fenced));
        }
        ClassicMember member = members.get(memberId);
        if (member == null) {
            return done(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
        }
        if (generation != generationId) {
            return done(SyncResult.error(Errors.ILLEGAL_GENERATION));
        }
        if ((protocolType != null && !protocolType.equals(this.protocolType))
                || (protocolName != null && !protocolName.equals(this.protocolName))) {
            return done(SyncResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        switch (state) {
            case PREPARING_REBALANCE -> {
                return done(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
            }
            case COMPLETING_REBALANCE -> {
                CompletableFuture<SyncResult> future = new CompletableFuture<>();
                if (member.awaitingSync != null) {
                    member.awaitingSync.complete(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
                }
                member.awaitingSync = future;
                pendingSync.remove(memberId);
                scheduleSession(member);
                if (memberId.equals(leaderId) && storingGeneration != generationId) {
                    storeAssignment(assignments);
                }
                return future;
            }
            case STABLE -> {
                scheduleSession(member);
                return done(new SyncResult(Errors.NONE, this.protocolType, this.protocolName, member.assignment));
            }
            default -> {
                return done(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
            }
        }
    }

    /**
     * The leader's assignment: stored first, as Kafka does; only then does the group turn Stable and
     * members get their assignment. If the group moved on meanwhile (a join started a rebalance), the
     * outcome is ignored. If the write fails, every waiting member gets COORDINATOR_NOT_AVAILABLE and
     * the group rebalances (Kafka: resetAndPropagateAssignmentWithError, then prepare a rebalance).
     */
    private void storeAssignment(Map<String, byte[]> assignments) {
        for (ClassicMember m : members.values()) {
            byte[] assignment = assignments.get(m.memberId);
            m.assignment = assignment == null ? new byte[0] : assignment;
        }
        int generation = generationId;
        storingGeneration = generation;
        metadataStore.apply(this).whenComplete((v, failure) -> {
            if (state != GroupState.COMPLETING_REBALANCE || generationId != generation) {
                return;
            }
            storingGeneration = -1;
            if (failure != null) {
                for (ClassicMember m : members.values()) {
                    m.assignment = new byte[0];
                    if (m.awaitingSync != null) {
                        m.awaitingSync.complete(SyncResult.error(Errors.COORDINATOR_NOT_AVAILABLE));
                        m.awaitingSync = null;
                    }
                }
                prepareRebalance();
                return;
            }
            state = GroupState.STABLE;
            cancel(syncTimer);
            syncTimer = null;
            pendingSync.clear();
            for (ClassicMember m : members.values()) {
                if (m.awaitingSync != null) {
                    m.awaitingSync.complete(new SyncResult(Errors.NONE, protocolType, protocolName, m.assignment));
                    m.awaitingSync = null;
                }
            }
        });
    }

    // ---------------------------------------------------------------- Heartbeat

    public Errors heartbeat(String memberId, String groupInstanceId, int generation) {
        if (state == GroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        // Kafka's validateMember: a static member's instance id is checked first (fenced before unknown).
        Errors fenced = checkStatic(memberId, groupInstanceId);
        if (fenced != Errors.NONE) {
            return fenced;
        }
        ClassicMember member = members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generation != generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        switch (state) {
            case EMPTY -> {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            case PREPARING_REBALANCE -> {
                scheduleSession(member);
                return Errors.REBALANCE_IN_PROGRESS;
            }
            default -> {
                scheduleSession(member);
                return Errors.NONE;
            }
        }
    }

    /**
     * Kafka 4.x's checks for a commit to this (existing) group; NONE when it may commit. A commit
     * without generation (-1) is accepted only while the group is Empty; one that names a member,
     * an instance id or a generation must come from a current member of this generation.
     */
    public Errors validateOffsetCommit(String memberId, String groupInstanceId, int generation) {
        if (state == GroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && state == GroupState.EMPTY) {
            return Errors.NONE;
        }
        ClassicMember member = members.get(memberId);
        if (generation >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
            if (groupInstanceId != null) {
                String current = staticMembers.get(groupInstanceId);
                if (current == null) {
                    return Errors.UNKNOWN_MEMBER_ID;
                }
                if (!current.equals(memberId)) {
                    return Errors.FENCED_INSTANCE_ID;
                }
            }
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (generation != generationId) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (state != GroupState.EMPTY) {
            // No member id and no generation: a simple commit, refused while the group has members.
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (state == GroupState.COMPLETING_REBALANCE) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        if (member != null) {
            // A commit shows the member is alive (and lets it commit while it is revoking in a rebalance).
            scheduleSession(member);
        }
        return Errors.NONE;
    }

    // ---------------------------------------------------------------- LeaveGroup

    /** One member leaving; for LeaveGroup v3+ call once per member of the batch. */
    public Errors leave(String memberId, String groupInstanceId) {
        if (state == GroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            // v3+: an empty member id means "whoever holds this instance id".
            if (!memberId.isEmpty() && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            memberId = current;
        }
        GroupScheduler.Cancellable pending = pendingMembers.remove(memberId);
        if (pending != null) {
            pending.cancel();
            maybeCompleteJoin();
            return Errors.NONE;
        }
        ClassicMember member = members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        removeMember(member);
        rebalanceAfterRemoval();
        return Errors.NONE;
    }

    // ---------------------------------------------------------------- membership bookkeeping

    private void scheduleSession(ClassicMember member) {
        cancel(member.sessionTimer);
        String id = member.memberId;
        member.sessionTimer = scheduler.schedule(member.sessionTimeoutMs, () -> expireSession(id));
    }

    private void expireSession(String memberId) {
        ClassicMember member = members.get(memberId);
        if (member == null) {
            return;
        }
        if (state == GroupState.PREPARING_REBALANCE && member.awaitingJoin != null) {
            // A member waiting in a join is alive; its session restarts when the join completes.
            return;
        }
        removeMember(member);
        rebalanceAfterRemoval();
    }

    private void expirePending(String memberId) {
        if (pendingMembers.remove(memberId) != null) {
            maybeCompleteJoin();
        }
    }

    private void removeMember(ClassicMember member) {
        members.remove(member.memberId);
        if (member.groupInstanceId != null) {
            staticMembers.remove(member.groupInstanceId, member.memberId);
        }
        cancel(member.sessionTimer);
        pendingSync.remove(member.memberId);
        if (member.awaitingJoin != null) {
            member.awaitingJoin.complete(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, member.memberId));
            member.awaitingJoin = null;
        }
        if (member.awaitingSync != null) {
            member.awaitingSync.complete(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
            member.awaitingSync = null;
        }
        if (member.memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    private void rebalanceAfterRemoval() {
        switch (state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance();
            case PREPARING_REBALANCE -> maybeCompleteJoin();
            default -> { }
        }
        if (members.isEmpty() && state == GroupState.PREPARING_REBALANCE && initialDelayDeadlineMs < 0) {
            completeJoin();
        }
    }

    /**
     * Answers every member waiting in a join or sync with {@code error} (NOT_COORDINATOR when this node
     * stops coordinating the group, as Kafka's onResignation does), then marks the group dead.
     */
    public void unload(Errors error) {
        for (ClassicMember m : members.values()) {
            if (m.awaitingJoin != null) {
                m.awaitingJoin.complete(JoinResult.error(error, m.memberId));
                m.awaitingJoin = null;
            }
            if (m.awaitingSync != null) {
                m.awaitingSync.complete(SyncResult.error(error));
                m.awaitingSync = null;
            }
        }
        markDead();
    }

    /** Marks the group deleted (DeleteGroups, or an empty group whose offsets expired). */
    public void markDead() {
        cancel(joinTimer);
        cancel(syncTimer);
        for (ClassicMember m : List.copyOf(members.values())) {
            removeMember(m);
        }
        pendingMembers.values().forEach(ClassicGroup::cancel);
        pendingMembers.clear();
        state = GroupState.DEAD;
    }

    /**
     * Whether a member of this group is subscribed to {@code topic}, as OffsetDelete asks it: read
     * from the consumer-protocol metadata of the chosen protocol. A group that does not use the
     * consumer protocol is never subscribed; one whose metadata cannot be read is taken as subscribed
     * (Kafka's rule, so offsets in use are not deleted by mistake).
     */
    public boolean isSubscribedToTopic(String topic) {
        boolean consumer = ConsumerSubscriptions.CONSUMER_PROTOCOL_TYPE.equals(protocolType);
        if (!consumer || members.isEmpty()) {
            return false;
        }
        if (protocolName == null) {
            return true;
        }
        List<byte[]> metadata = new ArrayList<>();
        for (ClassicMember m : members.values()) {
            metadata.add(m.metadata(protocolName));
        }
        return ConsumerSubscriptions.union(metadata).map(topics -> topics.contains(topic)).orElse(true);
    }

    private static void cancel(GroupScheduler.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
