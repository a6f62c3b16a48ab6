package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.group.consumer.Assignment;
import io.fjord.group.consumer.ConsumerGroup;
import io.fjord.group.consumer.ConsumerGroupSettings;
import io.fjord.group.consumer.ConsumerGroupState;
import io.fjord.group.consumer.HeartbeatRequest;
import io.fjord.group.consumer.HeartbeatResult;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicRegistry;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A KIP-848 {@link ConsumerGroup} on a manual clock: joins, epochs, revocation before reassignment, fencing, timeouts. */
class ConsumerProtocolGroupTest {
    private static final int SESSION = 45_000;
    private static final int REBALANCE = 30_000;

    /** Topics that tests change at will. */
    private static final class Topics implements TopicRegistry {
        final Map<String, TopicInfo> byName = new TreeMap<>();

        UUID put(String name, int partitions) {
            UUID id = byName.containsKey(name) ? byName.get(name).topicId() : UUID.randomUUID();
            List<PartitionInfo> ps = IntStream.range(0, partitions)
                    .mapToObj(p -> new PartitionInfo(p, 1, 0, List.of(1), List.of(1), List.of())).toList();
            byName.put(name, new TopicInfo(name, id, false, ps));
            return id;
        }

        @Override
        public Collection<TopicInfo> topics() {
            return byName.values();
        }

        @Override
        public TopicInfo topic(String name) {
            return byName.get(name);
        }

        @Override
        public TopicInfo topic(UUID topicId) {
            return byName.values().stream().filter(t -> t.topicId().equals(topicId)).findFirst().orElse(null);
        }
    }

    private final ManualScheduler clock = new ManualScheduler();
    private final Topics topics = new Topics();
    private final UUID t = topics.put("t", 4);
    private final List<Integer> storedEpochs = new ArrayList<>();
    private ConsumerGroup group = newGroup(Integer.MAX_VALUE);

    private ConsumerGroup newGroup(int maxSize) {
        return new ConsumerGroup("g", new ConsumerGroupSettings(5000, SESSION, List.of("uniform", "range"), maxSize),
                clock, () -> topics, (id, epoch) -> storedEpochs.add(epoch));
    }

    private static HeartbeatRequest joinRequest(String member, String instanceId, String assignor, String... topicNames) {
        return new HeartbeatRequest(member, 0, instanceId, null, REBALANCE, List.of(topicNames), null, assignor,
                Assignment.EMPTY, "client-" + member, "/127.0.0.1");
    }

    private HeartbeatResult join(String member, String... topicNames) {
        return group.heartbeat(joinRequest(member, null, null, topicNames));
    }

    private HeartbeatResult heartbeat(String member, int epoch, Assignment owned) {
        return group.heartbeat(new HeartbeatRequest(member, epoch, null, null, -1, null, null, null, owned, null, null));
    }

    private Assignment partitions(Integer... ps) {
        return new Assignment(Map.of(t, Set.of(ps)));
    }

    @Test
    void aFirstMemberGetsEveryPartitionAtTheNewGroupEpoch() {
        HeartbeatResult r = join("a", "t");
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.memberId()).isEqualTo("a");
        assertThat(r.memberEpoch()).isEqualTo(1);
        assertThat(r.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(r.assignment()).isEqualTo(partitions(0, 1, 2, 3));
        assertThat(group.state()).isEqualTo(ConsumerGroupState.STABLE);
        assertThat(storedEpochs).containsExactly(1);
        // A heartbeat that changes nothing carries no assignment.
        HeartbeatResult again = heartbeat("a", 1, null);
        assertThat(again.memberEpoch()).isEqualTo(1);
        assertThat(again.assignment()).isNull();
    }

    @Test
    void anEmptyMemberIdOfV0GetsOneFromTheCoordinator() {
        HeartbeatResult r = join("", "t");
        assertThat(r.memberId()).isNotEmpty();
        assertThat(group.hasMember(r.memberId())).isTrue();
    }

    @Test
    void partitionsMoveOnlyAfterTheirOwnerRevokedThem() {
        join("a", "t");
        HeartbeatResult b = join("b", "t");
        // b is at the new epoch but its target partitions are still a's.
        assertThat(b.memberEpoch()).isEqualTo(2);
        assertThat(b.assignment()).isEqualTo(Assignment.EMPTY);
        assertThat(group.state()).isEqualTo(ConsumerGroupState.RECONCILING);

        HeartbeatResult a = heartbeat("a", 1, partitions(0, 1, 2, 3));
        assertThat(a.memberEpoch()).as("epoch stays until the revocation is confirmed").isEqualTo(1);
        Assignment kept = a.assignment();
        assertThat(kept.size()).isEqualTo(2);
        Assignment revoked = partitions(0, 1, 2, 3).minus(kept);

        // Still owning them: nothing moves, b still waits.
        assertThat(heartbeat("a", 1, partitions(0, 1, 2, 3)).memberEpoch()).isEqualTo(1);
        assertThat(heartbeat("b", 2, Assignment.EMPTY).assignment()).isNull();

        HeartbeatResult confirmed = heartbeat("a", 1, kept);
        assertThat(confirmed.memberEpoch()).isEqualTo(2);
        assertThat(confirmed.assignment()).as("same partitions: only the epoch is new").isNull();
        HeartbeatResult released = heartbeat("b", 2, Assignment.EMPTY);
        assertThat(released.assignment()).isEqualTo(revoked);
        assertThat(group.state()).isEqualTo(ConsumerGroupState.STABLE);
        assertThat(storedEpochs).containsExactly(1, 2);
    }

    @Test
    void epochsAheadOrBehindAreFencedExceptThePreviousEpochWithASubset() {
        join("a", "t");
        join("b", "t");
        Assignment kept = heartbeat("a", 1, partitions(0, 1, 2, 3)).assignment();
        heartbeat("a", 1, kept); // a: epoch 2, previous 1
        assertThat(heartbeat("a", 3, kept).error()).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        // The answer that moved a to epoch 2 may have been lost: epoch 1 with a subset of its partitions passes.
        HeartbeatResult lost = heartbeat("a", 1, kept);
        assertThat(lost.error()).isEqualTo(Errors.NONE);
        assertThat(lost.memberEpoch()).isEqualTo(2);
        assertThat(heartbeat("a", 1, partitions(0, 1, 2, 3)).error()).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(heartbeat("a", 1, null).error()).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(heartbeat("nobody", 2, null).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        // A fenced member rejoins with epoch 0 and its own id.
        HeartbeatResult rejoined = join("a", "t");
        assertThat(rejoined.error()).isEqualTo(Errors.NONE);
        assertThat(rejoined.memberEpoch()).isEqualTo(2);
        assertThat(rejoined.assignment()).isEqualTo(kept);
    }

    @Test
    void aLeavingMemberFreesItsPartitionsAtANewEpoch() {
        join("a", "t");
        join("b", "t");
        Assignment kept = heartbeat("a", 1, partitions(0, 1, 2, 3)).assignment();
        heartbeat("a", 1, kept);
        heartbeat("b", 2, Assignment.EMPTY);
        HeartbeatResult left = heartbeat("b", ConsumerGroup.LEAVE_GROUP_MEMBER_EPOCH, null);
        assertThat(left.error()).isEqualTo(Errors.NONE);
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(group.groupEpoch()).isEqualTo(3);
        HeartbeatResult a = heartbeat("a", 2, kept);
        assertThat(a.memberEpoch()).isEqualTo(3);
        assertThat(a.assignment()).isEqualTo(partitions(0, 1, 2, 3));
        assertThat(heartbeat("b", ConsumerGroup.LEAVE_GROUP_MEMBER_EPOCH, null).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        heartbeat("a", ConsumerGroup.LEAVE_GROUP_MEMBER_EPOCH, null);
        assertThat(group.state()).isEqualTo(ConsumerGroupState.EMPTY);
    }

    @Test
    void aMemberWithoutHeartbeatsExpiresAfterTheSessionTimeout() {
        join("a", "t");
        join("b", "t");
        Assignment kept = heartbeat("a", 1, partitions(0, 1, 2, 3)).assignment();
        heartbeat("a", 1, kept);
        for (int i = 0; i < 8; i++) {
            clock.advance(5000);
            heartbeat("a", 2, kept);
        }
        assertThat(group.hasMember("b")).isTrue();
        clock.advance(5000);
        assertThat(group.hasMember("b")).as("45 s without a heartbeat").isFalse();
        assertThat(group.hasMember("a")).isTrue();
        assertThat(group.groupEpoch()).isEqualTo(3);
        HeartbeatResult a = heartbeat("a", 2, kept);
        assertThat(a.memberEpoch()).isEqualTo(3);
        assertThat(a.assignment()).isEqualTo(partitions(0, 1, 2, 3));
        assertThat(heartbeat("b", 2, null).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsRemoved() {
        join("a", "t");
        join("b", "t");
        heartbeat("a", 1, partitions(0, 1, 2, 3)); // told to revoke two
        clock.advance(REBALANCE - 1);
        heartbeat("b", 2, Assignment.EMPTY);
        assertThat(group.hasMember("a")).isTrue();
        clock.advance(1);
        assertThat(group.hasMember("a")).isFalse();
        assertThat(heartbeat("b", 2, Assignment.EMPTY).assignment()).isEqualTo(partitions(0, 1, 2, 3));
    }

    @Test
    void aStaticMemberCanLeaveForAWhileAndComeBackUnderANewId() {
        HeartbeatResult first = group.heartbeat(joinRequest("m1", "i1", null, "t"));
        assertThat(first.memberEpoch()).isEqualTo(1);
        HeartbeatResult away = group.heartbeat(new HeartbeatRequest("m1", -2, "i1", null, -1, null, null, null, null, null, null));
        assertThat(away.memberEpoch()).isEqualTo(-2);
        assertThat(group.groupEpoch()).as("a temporary leave does not rebalance").isEqualTo(1);

        HeartbeatResult back = group.heartbeat(joinRequest("m2", "i1", null, "t"));
        assertThat(back.error()).isEqualTo(Errors.NONE);
        assertThat(back.memberEpoch()).isEqualTo(1);
        assertThat(back.assignment()).isEqualTo(partitions(0, 1, 2, 3));
        assertThat(group.groupEpoch()).isEqualTo(1);
        assertThat(group.hasMember("m1")).isFalse();

        HeartbeatResult clash = group.heartbeat(joinRequest("m3", "i1", null, "t"));
        assertThat(clash.error()).isEqualTo(Errors.UNRELEASED_INSTANCE_ID);
        HeartbeatResult stale = group.heartbeat(new HeartbeatRequest("m2", 1, "i9", null, -1, null, null, null, null, null, null));
        assertThat(stale.error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        // Gone for longer than the session timeout: removed for good.
        group.heartbeat(new HeartbeatRequest("m2", -2, "i1", null, -1, null, null, null, null, null, null));
        clock.advance(SESSION);
        assertThat(group.size()).isZero();
        assertThat(group.groupEpoch()).isEqualTo(2);
    }

    @Test
    void theGroupHasAMaximumSize() {
        group = newGroup(2);
        join("a", "t");
        join("b", "t");
        assertThat(join("c", "t").error()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        assertThat(join("a", "t").error()).as("a member already in the group may rejoin").isEqualTo(Errors.NONE);
    }

    @Test
    void newPartitionsAndMatchingTopicsBumpTheGroupEpoch() {
        join("a", "t");
        topics.put("t", 6);
        HeartbeatResult r = heartbeat("a", 1, null);
        assertThat(r.memberEpoch()).isEqualTo(2);
        assertThat(r.assignment()).isEqualTo(partitions(0, 1, 2, 3, 4, 5));

        HeartbeatResult regex = group.heartbeat(new HeartbeatRequest("a", 2, null, null, -1, null, "x-.*", null, null, null, null));
        assertThat(regex.memberEpoch()).isEqualTo(3);
        UUID x = topics.put("x-1", 2);
        HeartbeatResult more = heartbeat("a", 3, null);
        assertThat(more.memberEpoch()).isEqualTo(4);
        assertThat(more.assignment().partitions()).containsEntry(x, Set.of(0, 1));
        assertThat(storedEpochs).containsExactly(1, 2, 3, 4);
    }

    @Test
    void anInvalidRegexIsRefused() {
        HeartbeatResult r = group.heartbeat(new HeartbeatRequest("a", 0, null, null, REBALANCE, null, "(", null,
                Assignment.EMPTY, "c", "h"));
        assertThat(r.error()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION);
        assertThat(group.size()).isZero();
    }

    @Test
    void theRangeAssignorIsUsedWhenMembersAskForIt() {
        group.heartbeat(joinRequest("a", null, "range", "t"));
        group.heartbeat(joinRequest("b", null, "range", "t"));
        assertThat(group.assignorName()).isEqualTo("range");
        ConsumerGroup.Description d = group.describe();
        assertThat(d.members()).filteredOn(m -> m.memberId().equals("a"))
                .singleElement().satisfies(m -> assertThat(m.targetAssignment()).isEqualTo(partitions(0, 1)));
        assertThat(d.members()).filteredOn(m -> m.memberId().equals("b"))
                .singleElement().satisfies(m -> assertThat(m.targetAssignment()).isEqualTo(partitions(2, 3)));
    }

    @Test
    void aRestoredGroupKeepsItsEpochAndMembersRejoin() {
        group = ConsumerGroup.restore("g", 7, ConsumerGroupSettings.defaults(), clock, () -> topics,
                (id, epoch) -> storedEpochs.add(epoch));
        assertThat(group.state()).isEqualTo(ConsumerGroupState.EMPTY);
        assertThat(heartbeat("a", 7, null).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        HeartbeatResult r = join("a", "t");
        assertThat(r.memberEpoch()).isEqualTo(8);
        assertThat(r.assignment()).isEqualTo(partitions(0, 1, 2, 3));
    }

    @Test
    void offsetCommitsAndFetchesAreCheckedAgainstTheMemberEpoch() {
        assertThat(group.validateOffsetCommit("", -1)).as("admin commit to an empty group").isEqualTo(Errors.NONE);
        join("a", "t");
        assertThat(group.validateOffsetCommit("a", 1)).isEqualTo(Errors.NONE);
        assertThat(group.validateOffsetCommit("a", 0)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(group.validateOffsetCommit("x", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.validateOffsetCommit("", -1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.validateOffsetFetch(null, -1)).isEqualTo(Errors.NONE);
        assertThat(group.validateOffsetFetch("a", 1)).isEqualTo(Errors.NONE);
        assertThat(group.validateOffsetFetch("a", 2)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(group.validateOffsetFetch("x", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }
}
