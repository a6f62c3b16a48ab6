package io.fjord.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.group.consumer.ConsumerGroupAssignor.MemberSubscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Balance, validity and stickiness of the server-side assignors, over random groups and topics. */
class AssignorPropertiesTest {

    /** A random cluster: topic ids with partition counts, and members with their subscriptions. */
    private record Setup(Map<UUID, Integer> partitions, Map<String, MemberSubscription> members) {}

    private static Setup setup(long seed, int memberCount, int topicCount, boolean homogeneous) {
        Random random = new Random(seed);
        Map<UUID, Integer> partitions = new TreeMap<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < topicCount; i++) {
            UUID id = new UUID(seed, i);
            ids.add(id);
            partitions.put(id, 1 + random.nextInt(16));
        }
        Map<String, MemberSubscription> members = new TreeMap<>();
        for (int m = 0; m < memberCount; m++) {
            Set<UUID> subscribed = new HashSet<>();
            if (homogeneous) {
                subscribed.addAll(ids);
            } else {
                for (UUID id : ids) {
                    if (random.nextBoolean()) {
                        subscribed.add(id);
                    }
                }
                if (subscribed.isEmpty()) {
                    subscribed.add(ids.get(random.nextInt(ids.size())));
                }
            }
            members.put("member-" + m, new MemberSubscription(subscribed, Assignment.EMPTY));
        }
        return new Setup(partitions, members);
    }

    /** Every partition of a subscribed topic has exactly one owner, which subscribes to its topic. */
    private static void assertValid(Setup s, Map<String, Assignment> result) {
        assertThat(result.keySet()).isEqualTo(s.members().keySet());
        Map<String, String> owner = new HashMap<>();
        result.forEach((member, a) -> a.partitions().forEach((topic, ps) -> {
            assertThat(s.members().get(member).topicIds()).contains(topic);
            for (int p : ps) {
                assertThat(p).isBetween(0, s.partitions().get(topic) - 1);
                assertThat(owner.put(topic + ":" + p, member)).as("one owner of %s-%s", topic, p).isNull();
            }
        }));
        Set<UUID> subscribed = new HashSet<>();
        s.members().values().forEach(m -> subscribed.addAll(m.topicIds()));
        int expected = subscribed.stream().mapToInt(s.partitions()::get).sum();
        assertThat(owner).hasSize(expected);
    }

    private static Map<String, Integer> loads(Map<String, Assignment> result) {
        Map<String, Integer> loads = new HashMap<>();
        result.forEach((m, a) -> loads.put(m, a.size()));
        return loads;
    }

    private static Map<String, MemberSubscription> withCurrent(Map<String, MemberSubscription> members, Map<String, Assignment> current) {
        Map<String, MemberSubscription> out = new TreeMap<>();
        members.forEach((id, m) -> out.put(id, new MemberSubscription(m.topicIds(), current.getOrDefault(id, Assignment.EMPTY))));
        return out;
    }

    @Property(tries = 200)
    void uniformIsValidAndBalancedForIdenticalSubscriptions(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int members,
            @ForAll @IntRange(min = 1, max = 4) int topics) {
        Setup s = setup(seed, members, topics, true);
        Map<String, Assignment> result = new UniformAssignor().assign(s.members(), s.partitions());
        assertValid(s, result);
        Map<String, Integer> loads = loads(result);
        int max = loads.values().stream().mapToInt(i -> i).max().orElseThrow();
        int min = loads.values().stream().mapToInt(i -> i).min().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Property(tries = 200)
    void uniformCannotBeImprovedByOneMoveForMixedSubscriptions(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 8) int members, @ForAll @IntRange(min = 1, max = 4) int topics) {
        Setup s = setup(seed, members, topics, false);
        Map<String, Assignment> result = new UniformAssignor().assign(s.members(), s.partitions());
        assertValid(s, result);
        Map<String, Integer> loads = loads(result);
        result.forEach((owner, a) -> a.partitions().keySet().forEach(topic -> s.members().forEach((other, sub) -> {
            if (sub.topicIds().contains(topic)) {
                assertThat(loads.get(other)).as("%s could take a partition of %s", other, owner)
                        .isGreaterThanOrEqualTo(loads.get(owner) - 1);
            }
        })));
    }

    @Property(tries = 200)
    void uniformKeepsAnAssignmentWhenNothingChanged(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int members,
            @ForAll @IntRange(min = 1, max = 4) int topics, @ForAll boolean homogeneous) {
        Setup s = setup(seed, members, topics, homogeneous);
        UniformAssignor uniform = new UniformAssignor();
        Map<String, Assignment> first = uniform.assign(s.members(), s.partitions());
        Map<String, Assignment> second = uniform.assign(withCurrent(s.members(), first), s.partitions());
        assertThat(second).isEqualTo(first);
    }

    @Property(tries = 200)
    void uniformMovesOnlyWhatANewMemberGets(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int members,
            @ForAll @IntRange(min = 1, max = 4) int topics) {
        Setup s = setup(seed, members, topics, true);
        UniformAssignor uniform = new UniformAssignor();
        Map<String, Assignment> before = uniform.assign(s.members(), s.partitions());
        Map<String, MemberSubscription> grown = withCurrent(s.members(), before);
        grown.put("member-new", new MemberSubscription(s.partitions().keySet(), Assignment.EMPTY));
        Map<String, Assignment> after = uniform.assign(grown, s.partitions());
        assertValid(new Setup(s.partitions(), grown), after);
        int moved = 0;
        for (String m : before.keySet()) {
            moved += before.get(m).minus(after.get(m)).size();
            assertThat(after.get(m).minus(before.get(m)).isEmpty()).as("%s gains nothing", m).isTrue();
        }
        assertThat(moved).isEqualTo(after.get("member-new").size());
    }

    @Property(tries = 200)
    void rangeIsValidBalancedPerTopicAndCoPartitioned(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int members,
            @ForAll @IntRange(min = 1, max = 4) int topics, @ForAll boolean homogeneous) {
        Setup s = setup(seed, members, topics, homogeneous);
        Map<String, Assignment> result = new RangeAssignor().assign(s.members(), s.partitions());
        assertValid(s, result);
        for (UUID topic : s.partitions().keySet()) {
            List<Integer> counts = new ArrayList<>();
            s.members().forEach((id, sub) -> {
                if (sub.topicIds().contains(topic)) {
                    counts.add(result.get(id).partitions().getOrDefault(topic, Set.of()).size());
                }
            });
            if (!counts.isEmpty()) {
                int max = counts.stream().mapToInt(i -> i).max().orElseThrow();
                int min = counts.stream().mapToInt(i -> i).min().orElseThrow();
                assertThat(max - min).isLessThanOrEqualTo(1);
            }
        }
        if (homogeneous) {
            // Topics of equal size are split the same way: partition n of each goes to the same member.
            for (UUID x : s.partitions().keySet()) {
                for (UUID y : s.partitions().keySet()) {
                    if (s.partitions().get(x).equals(s.partitions().get(y))) {
                        result.values().forEach(a -> assertThat(a.partitions().getOrDefault(x, Set.of()))
                                .isEqualTo(a.partitions().getOrDefault(y, Set.of())));
                    }
                }
            }
        }
    }
}
