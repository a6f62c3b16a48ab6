package io.fjord.group.consumer;

import io.fjord.group.GroupScheduler;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicRegistry;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KIP-848 consumer group: group epoch, target assignment (computed by a server-side assignor
 * whenever the group epoch moves), and each member's reconciliation towards it.
 *
 * <p>Reconciliation follows Kafka's coordinator: a member whose target lost partitions is first told to
 * revoke them (its epoch stays, the partitions stay reserved for it) and must confirm within its
 * rebalance timeout; only then does it move to the target epoch and get new partitions, and only
 * those no other member still owns (the rest arrive on later heartbeats, once released). So a
 * partition never has two owners.
 *
 * <p>The group epoch moves when a member joins, leaves, expires, is fenced, changes its subscription,
 * or when the subscribed topics change (created, deleted, partitions added) — noticed on heartbeats.
 * Single writer: every method and every timer task runs on the coordinator thread.
 */
public final class ConsumerGroup {
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroup.class);

    public static final int LEAVE_GROUP_MEMBER_EPOCH = -1;
    public static final int LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

    /** Told of every new group epoch, so it can be written to {@code __consumer_offsets}. */
    @FunctionalInterface
    public interface EpochListener {
        void groupEpochChanged(String groupId, int groupEpoch);
    }

    private final String groupId;
    private final ConsumerGroupSettings settings;
    private final GroupScheduler scheduler;
    private final Supplier<? extends TopicRegistry> topics;
    private final EpochListener listener;

    private int groupEpoch;
    private int assignmentEpoch;
    private boolean dead;
    private final Map<String, ConsumerGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private Map<String, Assignment> targetAssignment = new HashMap<>();
    /** Topic id to partition count of every topic some member subscribes to, as of the last epoch. */
    private Map<UUID, Integer> subscribedTopics = Map.of();
    private String assignorName;

    public ConsumerGroup(String groupId, ConsumerGroupSettings settings, GroupScheduler scheduler,
            Supplier<? extends TopicRegistry> topics, EpochListener listener) {
        this.groupId = groupId;
        this.settings = settings;
        this.scheduler = scheduler;
        this.topics = topics;
        this.listener = listener;
        this.assignorName = settings.defaultAssignor().name();
    }

    /**
     * The group as a restart brings it back from its group-metadata record: no members (they are not
     * persisted and rejoin after UNKNOWN_MEMBER_ID), but the group epoch goes on from where it was, so
     * epochs never repeat.
     */
    public static ConsumerGroup restore(String groupId, int groupEpoch, ConsumerGroupSettings settings,
            GroupScheduler scheduler, Supplier<? extends TopicRegistry> topics, EpochListener listener) {
        ConsumerGroup group = new ConsumerGroup(groupId, settings, scheduler, topics, listener);
        group.groupEpoch = groupEpoch;
        group.assignmentEpoch = groupEpoch;
        return group;
    }

    public String groupId() {
        return groupId;
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    public int assignmentEpoch() {
        return assignmentEpoch;
    }

    public int size() {
        return members.size();
    }

    public boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    public ConsumerGroupState state() {
        if (dead) {
            return ConsumerGroupState.DEAD;
        }
        if (members.isEmpty()) {
            return ConsumerGroupState.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return ConsumerGroupState.ASSIGNING;
        }
        for (ConsumerGroupMember m : members.values()) {
            if (m.memberEpoch != assignmentEpoch || m.state != MemberState.STABLE) {
                return ConsumerGroupState.RECONCILING;
            }
        }
        return ConsumerGroupState.STABLE;
    }

    /** The assignor the group uses: the one most members ask for, else the configured default. */
    public String assignorName() {
        return assignorName;
    }

    public void markDead() {
        for (ConsumerGroupMember m : members.values()) {
            m.cancelTimers();
        }
        members.clear();
        staticMembers.clear();
        dead = true;
    }

    // ---------------------------------------------------------------- heartbeat

    /** A ConsumerGroupHeartbeat whose fields the handler already validated as Kafka does. */
    public HeartbeatResult heartbeat(HeartbeatRequest request) {
        if (request.memberEpoch() == LEAVE_GROUP_MEMBER_EPOCH || request.memberEpoch() == LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            return leave(request.memberId(), request.instanceId(), request.memberEpoch());
        }
        Pattern pattern = null;
        if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
            try {
                pattern = Pattern.compile(request.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                log.info("[GroupId {}] member {}: invalid SubscribedTopicRegex {}: {}", groupId, request.memberId(),
                        request.subscribedTopicRegex(), e.getDescription());
                return HeartbeatResult.error(Errors.INVALID_REGULAR_EXPRESSION,
                        "SubscribedTopicRegex `" + request.subscribedTopicRegex() + "` is not a valid regular expression: "
                                + e.getDescription() + ".");
            }
        }
        ConsumerGroupMember member;
        boolean joining = request.memberEpoch() == 0;
        boolean changed = false;
        if (joining) {
            JoinOutcome outcome = memberForJoin(request);
            if (outcome.error != null) {
                return outcome.error;
            }
            member = outcome.member;
            changed = outcome.isNew;
        } else {
            member = members.get(request.memberId());
            if (member == null) {
                return HeartbeatResult.error(Errors.UNKNOWN_MEMBER_ID,
                        "Member " + request.memberId() + " is not a member of group " + groupId + ".");
            }
            if (request.instanceId() != null && !request.memberId().equals(staticMembers.get(request.instanceId()))) {
                return fencedInstance(request.memberId(), request.instanceId());
            }
            HeartbeatResult fenced = checkEpoch(member, request.memberEpoch(), request.owned());
            if (fenced != null) {
                return fenced;
            }
        }
        Assignment assignedBefore = member.assigned;

        // Fields that are null did not change.
        if (request.rackId() != null) {
            member.rackId = request.rackId();
        }
        if (request.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        }
        if (request.clientId() != null) {
            member.clientId = request.clientId();
        }
        if (request.clientHost() != null) {
            member.clientHost = request.clientHost();
        }
        if (request.subscribedTopicNames() != null) {
            List<String> names = request.subscribedTopicNames().stream().distinct().sorted().toList();
            changed |= !names.equals(member.subscribedTopicNames);
            member.subscribedTopicNames = names;
        }
        if (request.subscribedTopicRegex() != null) {
            String regex = request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
            changed |= !java.util.Objects.equals(regex, member.subscribedTopicRegex);
            member.subscribedTopicRegex = regex;
            member.subscribedPattern = pattern;
        }
        if (request.serverAssignor() != null) {
            changed |= !request.serverAssignor().equals(member.serverAssignor);
            member.serverAssignor = request.serverAssignor();
        }

        Map<UUID, Integer> metadata = subscriptionMetadata();
        if (!metadata.equals(subscribedTopics)) {
            if (!changed) {
                log.info("[GroupId {}] subscribed topics changed: {} -> {}", groupId, subscribedTopics, metadata);
            }
            changed = true;
        }
        if (changed) {
            bumpGroupEpoch(metadata);
        }
        reconcile(member, request.owned());
        scheduleSessionTimeout(member);

        // Kafka sends the assignment on a full request (a join, or one that repeats every field) and
        // whenever the member's partitions changed; a new epoch alone travels in MemberEpoch.
        boolean full = joining || (request.rebalanceTimeoutMs() != -1
                && (request.subscribedTopicNames() != null || request.subscribedTopicRegex() != null)
                && request.owned() != null);
        boolean send = full || !member.assigned.equals(assignedBefore);
        return new HeartbeatResult(Errors.NONE, null, member.memberId, member.memberEpoch,
                settings.heartbeatIntervalMs(), send ? member.assigned : null);
    }

    private record JoinOutcome(ConsumerGroupMember member, boolean isNew, HeartbeatResult error) {}

    private JoinOutcome memberForJoin(HeartbeatRequest request) {
        String memberId = request.memberId().isEmpty() ? UUID.randomUUID().toString() : request.memberId();
        if (request.instanceId() != null) {
            String holder = staticMembers.get(request.instanceId());
            ConsumerGroupMember old = holder == null ? null : members.get(holder);
            if (old != null) {
                if (old.memberEpoch != LEAVE_GROUP_STATIC_MEMBER_EPOCH && !old.memberId.equals(memberId)) {
                    log.info("[GroupId {}] static member {} with instance id {} cannot join: the instance id is owned by {}",
                            groupId, memberId, request.instanceId(), old.memberId);
                    return new JoinOutcome(null, false, HeartbeatResult.error(Errors.UNRELEASED_INSTANCE_ID,
                            "Static member " + memberId + " with instance id " + request.instanceId()
                                    + " cannot join the group because the instance id is owned by " + old.memberId + " member."));
                }
                if (!old.memberId.equals(memberId)) {
                    // The instance comes back under a new member id: it takes the old member's place and
                    // assignment without a new group epoch.
                    old.cancelTimers();
                    members.remove(old.memberId);
                    ConsumerGroupMember m = ConsumerGroupMember.replacing(memberId, old);
                    members.put(memberId, m);
                    staticMembers.put(request.instanceId(), memberId);
                    Assignment target = targetAssignment.remove(old.memberId);
                    targetAssignment.put(memberId, target == null ? Assignment.EMPTY : target);
                    log.info("[GroupId {}] static member {} (instance {}) replaces {}", groupId, memberId,
                            request.instanceId(), old.memberId);
                    return new JoinOutcome(m, false, null);
                }
                rejoin(old);
                return new JoinOutcome(old, false, null);
            }
        }
        ConsumerGroupMember existing = members.get(memberId);
        if (existing != null) {
            rejoin(existing);
            return new JoinOutcome(existing, false, null);
        }
        if (members.size() >= settings.maxSize()) {
            log.info("[GroupId {}] member {} refused: the group has {} members", groupId, memberId, members.size());
            return new JoinOutcome(null, false, HeartbeatResult.error(Errors.GROUP_MAX_SIZE_REACHED,
                    "The consumer group has reached its maximum capacity of " + settings.maxSize() + " members."));
        }
        ConsumerGroupMember m = new ConsumerGroupMember(memberId);
        m.instanceId = request.instanceId();
        members.put(memberId, m);
        if (request.instanceId() != null) {
            staticMembers.put(request.instanceId(), memberId);
        }
        log.info("[GroupId {}] member {} joins{}", groupId, memberId,
                request.instanceId() == null ? "" : " (instance " + request.instanceId() + ")");
        return new JoinOutcome(m, true, null);
    }

    /**
     * A known member joins again with epoch 0 (after it was fenced, or lost its state): it has given up
     * its partitions, so they are free; it reconciles towards its target from nothing.
     */
    private void rejoin(ConsumerGroupMember member) {
        log.info("[GroupId {}] member {} rejoins (epoch {} -> 0)", groupId, member.memberId, member.memberEpoch);
        member.cancelRevocationTimer();
        member.assigned = Assignment.EMPTY;
        member.pendingRevocation = Assignment.EMPTY;
        member.state = MemberState.STABLE;
        member.previousMemberEpoch = member.memberEpoch;
        member.memberEpoch = 0;
    }

    private HeartbeatResult fencedInstance(String memberId, String instanceId) {
        String holder = staticMembers.get(instanceId);
        if (holder == null) {
            return HeartbeatResult.error(Errors.UNKNOWN_MEMBER_ID, "Instance id " + instanceId + " is unknown.");
        }
        log.info("[GroupId {}] static member {} with instance id {} is fenced by member {}", groupId, memberId, instanceId, holder);
        return HeartbeatResult.error(Errors.FENCED_INSTANCE_ID,
                "Static member " + memberId + " with instance id " + instanceId + " was fenced by member " + holder + ".");
    }

    /**
     * Kafka's epoch check: a greater epoch is fenced; a smaller one only passes when it is the member's
     * previous epoch and the member owns nothing outside its assignment (the answer that moved it on was lost).
     */
    private HeartbeatResult checkEpoch(ConsumerGroupMember member, int received, Assignment owned) {
        if (received > member.memberEpoch) {
            log.info("[GroupId {}] member {} fenced: epoch {} is ahead of {}", groupId, member.memberId, received, member.memberEpoch);
            return HeartbeatResult.error(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a greater member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch
                    + "). The member must abandon all its partitions and rejoin.");
        }
        if (received < member.memberEpoch
                && (received != member.previousMemberEpoch || owned == null || !owned.minus(member.assigned).isEmpty())) {
            log.info("[GroupId {}] member {} fenced: epoch {} is behind {}", groupId, member.memberId, received, member.memberEpoch);
            return HeartbeatResult.error(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a smaller member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch
                    + "). The member must abandon all its partitions and rejoin.");
        }
        return null;
    }

    // ---------------------------------------------------------------- leave and removal

    private HeartbeatResult leave(String memberId, String instanceId, int epoch) {
        ConsumerGroupMember member;
        if (instanceId == null) {
            member = members.get(memberId);
            if (member == null) {
                return HeartbeatResult.error(Errors.UNKNOWN_MEMBER_ID,
                        "Member " + memberId + " is not a member of group " + groupId + ".");
            }
        } else {
            String holder = staticMembers.get(instanceId);
            if (holder == null) {
                return HeartbeatResult.error(Errors.UNKNOWN_MEMBER_ID, "Instance id " + instanceId + " is unknown.");
            }
            if (!holder.equals(memberId)) {
                return fencedInstance(memberId, instanceId);
            }
            member = members.get(holder);
        }
        if (epoch == LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            // A static member going away for a while keeps its place and partitions until its session expires.
            log.info("[GroupId {}] static member {} (instance {}) leaves temporarily", groupId, member.memberId, instanceId);
            member.cancelRevocationTimer();
            if (member.memberEpoch != LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                member.previousMemberEpoch = member.memberEpoch;
            }
            member.memberEpoch = LEAVE_GROUP_STATIC_MEMBER_EPOCH;
            scheduleSessionTimeout(member);
        } else {
            log.info("[GroupId {}] member {} leaves", groupId, member.memberId);
            remove(member);
        }
        return new HeartbeatResult(Errors.NONE, null, member.memberId, epoch, 0, null);
    }

    /** Drops a member (left, expired or fenced): its partitions are free and the group epoch moves. */
    private void remove(ConsumerGroupMember member) {
        member.cancelTimers();
        members.remove(member.memberId);
        if (member.instanceId != null && member.memberId.equals(staticMembers.get(member.instanceId))) {
            staticMembers.remove(member.instanceId);
        }
        targetAssignment.remove(member.memberId);
        bumpGroupEpoch(subscriptionMetadata());
    }

    private void scheduleSessionTimeout(ConsumerGroupMember member) {
        if (member.sessionTimer != null) {
            member.sessionTimer.cancel();
        }
        member.sessionTimer = scheduler.schedule(settings.sessionTimeoutMs(), () -> {
            if (members.get(member.memberId) == member) {
                log.info("[GroupId {}] member {} removed: no heartbeat within the session timeout ({} ms)",
                        groupId, member.memberId, settings.sessionTimeoutMs());
                member.sessionTimer = null;
                remove(member);
            }
        });
    }

    // ---------------------------------------------------------------- epochs and assignment

    private void bumpGroupEpoch(Map<UUID, Integer> metadata) {
        groupEpoch++;
        subscribedTopics = metadata;
        listener.groupEpochChanged(groupId, groupEpoch);
        computeTargetAssignment();
    }

    private void computeTargetAssignment() {
        ConsumerGroupAssignor assignor = chooseAssignor();
        assignorName = assignor.name();
        Map<String, ConsumerGroupAssignor.MemberSubscription> subscriptions = new TreeMap<>();
        for (ConsumerGroupMember m : members.values()) {
            subscriptions.put(m.memberId, new ConsumerGroupAssignor.MemberSubscription(
                    subscribedTopicIds(m), targetAssignment.getOrDefault(m.memberId, Assignment.EMPTY)));
        }
        targetAssignment = new HashMap<>(assignor.assign(subscriptions, subscribedTopics));
        assignmentEpoch = groupEpoch;
        log.debug("[GroupId {}] target assignment of epoch {} by {}: {}", groupId, groupEpoch, assignor.name(), targetAssignment);
    }

    private ConsumerGroupAssignor chooseAssignor() {
        Map<String, Integer> votes = new HashMap<>();
        for (ConsumerGroupMember m : members.values()) {
            if (m.serverAssignor != null && settings.assignor(m.serverAssignor) != null) {
                votes.merge(m.serverAssignor, 1, Integer::sum);
            }
        }
        String best = null;
        for (String name : settings.assignorNames()) {
            if (votes.containsKey(name) && (best == null || votes.get(name) > votes.get(best))) {
                best = name;
            }
        }
        return best == null ? settings.defaultAssignor() : settings.assignor(best);
    }

    /** The topics a member subscribes to (by name or regex) that exist now. */
    private Set<UUID> subscribedTopicIds(ConsumerGroupMember m) {
        TopicRegistry registry = topics.get();
        Set<UUID> ids = new HashSet<>();
        for (String name : m.subscribedTopicNames) {
            TopicInfo t = registry.topic(name);
            if (t != null) {
                ids.add(t.topicId());
            }
        }
        if (m.subscribedPattern != null) {
            for (TopicInfo t : registry.topics()) {
                if (!t.internal() && m.subscribedPattern.matcher(t.name()).matches()) {
                    ids.add(t.topicId());
                }
            }
        }
        return ids;
    }

    private Map<UUID, Integer> subscriptionMetadata() {
        TopicRegistry registry = topics.get();
        Map<UUID, Integer> metadata = new TreeMap<>();
        for (ConsumerGroupMember m : members.values()) {
            for (UUID id : subscribedTopicIds(m)) {
                TopicInfo t = registry.topic(id);
                if (t != null) {
                    metadata.put(id, t.partitions().size());
                }
            }
        }
        return metadata;
    }

    /**
     * Moves {@code member} towards its target: first the revocation of partitions the target took away
     * (confirmed by {@code owned} no longer listing them), then the new epoch and every target
     * partition no other member still owns.
     */
    private void reconcile(ConsumerGroupMember member, Assignment owned) {
        if (member.memberEpoch == LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            return;
        }
        if (member.state == MemberState.UNREVOKED_PARTITIONS) {
            if (owned == null || owned.overlaps(member.pendingRevocation)) {
                return;
            }
            member.cancelRevocationTimer();
            member.pendingRevocation = Assignment.EMPTY;
            member.state = MemberState.STABLE;
        }
        if (member.memberEpoch == assignmentEpoch && member.state == MemberState.STABLE) {
            return;
        }
        Assignment target = targetAssignment.getOrDefault(member.memberId, Assignment.EMPTY);
        Assignment revoke = member.assigned.minus(target);
        if (!revoke.isEmpty()) {
            member.assigned = member.assigned.intersect(target);
            member.pendingRevocation = revoke;
            member.state = MemberState.UNREVOKED_PARTITIONS;
            int epoch = member.memberEpoch;
            member.cancelRevocationTimer();
            member.revocationTimer = scheduler.schedule(Math.max(0, member.rebalanceTimeoutMs), () -> {
                if (members.get(member.memberId) == member && member.state == MemberState.UNREVOKED_PARTITIONS
                        && member.memberEpoch == epoch) {
                    log.info("[GroupId {}] member {} fenced: did not revoke {} within its rebalance timeout ({} ms)",
                            groupId, member.memberId, member.pendingRevocation, member.rebalanceTimeoutMs);
                    member.revocationTimer = null;
                    remove(member);
                }
            });
            return;
        }
        Assignment ownedByOthers = Assignment.EMPTY;
        for (ConsumerGroupMember other : members.values()) {
            if (other != member) {
                ownedByOthers = ownedByOthers.union(other.owned());
            }
        }
        Assignment free = target.minus(ownedByOthers);
        member.assigned = member.assigned.union(free);
        if (member.memberEpoch != assignmentEpoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = assignmentEpoch;
        }
        member.state = member.assigned.equals(target) ? MemberState.STABLE : MemberState.UNRELEASED_PARTITIONS;
    }

    // ---------------------------------------------------------------- offsets

    /** Whether a member subscribes to {@code topic}, by name or by regex (OffsetDelete refuses those offsets). */
    public boolean isSubscribedToTopic(String topic) {
        for (ConsumerGroupMember m : members.values()) {
            if (m.subscribedTopicNames.contains(topic)
                    || (m.subscribedPattern != null && m.subscribedPattern.matcher(topic).matches())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka's OffsetCommit check for a consumer group: anyone may commit to an empty group with a
     * negative epoch (admin tools, manual assignment); otherwise the member must be known, must use
     * OffsetCommit v9+ (Kafka: UNSUPPORTED_VERSION, "OffsetCommit version 9 or above must be used by
     * members using the modern group protocol"; every member here uses that protocol) and must commit
     * with its current epoch.
     */
    public Errors validateOffsetCommit(String memberId, int memberEpoch, int apiVersion) {
        if (memberEpoch < 0 && members.isEmpty()) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = memberId == null ? null : members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (apiVersion < 9) {
            return Errors.UNSUPPORTED_VERSION;
        }
        return memberEpoch == member.memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    /** {@link #validateOffsetCommit(String, int, int)} for an OffsetCommit v9+. */
    public Errors validateOffsetCommit(String memberId, int memberEpoch) {
        return validateOffsetCommit(memberId, memberEpoch, 9);
    }

    /** Kafka's OffsetFetch v9+ check: a request naming a member must come from a known member at its epoch. */
    public Errors validateOffsetFetch(String memberId, int memberEpoch) {
        if (memberId == null) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == member.memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    // ---------------------------------------------------------------- describe

    public record MemberDescription(String memberId, String instanceId, String rackId, int memberEpoch, String clientId,
            String clientHost, List<String> subscribedTopicNames, String subscribedTopicRegex, Assignment assignment,
            Assignment targetAssignment) {}

    public record Description(ConsumerGroupState state, int groupEpoch, int assignmentEpoch, String assignorName,
            List<MemberDescription> members) {}

    public Description describe() {
        List<MemberDescription> list = new ArrayList<>();
        for (ConsumerGroupMember m : members.values()) {
            list.add(new MemberDescription(m.memberId, m.instanceId, m.rackId, m.memberEpoch, m.clientId, m.clientHost,
                    m.subscribedTopicNames, m.subscribedTopicRegex, m.assigned,
                    targetAssignment.getOrDefault(m.memberId, Assignment.EMPTY)));
        }
        return new Description(state(), groupEpoch, assignmentEpoch, assignorName, list);
    }
}
