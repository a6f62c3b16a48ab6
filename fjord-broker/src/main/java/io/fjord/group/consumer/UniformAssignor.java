package io.fjord.group.consumer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Kafka's default server-side assignor, "uniform": spreads partitions as evenly as the subscriptions
 * allow and keeps a member's partitions where it can (sticky), so a rebalance moves few partitions.
 *
 * <p>Our own algorithm (not Kafka's code): (1) every member keeps the partitions of its current
 * assignment that still exist, that it still subscribes to and that no member listed before it kept;
 * (2) partitions nobody kept go, those with the fewest eligible members first, to the eligible member
 * with the fewest partitions; (3) while some partition's owner has at least two more partitions than
 * another member subscribed to that topic, the partition moves there, taken from the most loaded
 * member first. Step 3 strictly lowers the sum
 * of squared loads, so it ends; with identical subscriptions the result differs by at most one
 * partition between members, and with different ones no single move can improve it.
 */
public final class UniformAssignor implements ConsumerGroupAssignor {
    public static final String NAME = "uniform";

    private record Partition(UUID topic, int partition) {}

    private static final Comparator<Partition> ORDER =
            Comparator.comparing(Partition::topic).thenComparingInt(Partition::partition);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(Map<String, MemberSubscription> members, Map<UUID, Integer> partitionCounts) {
        List<String> ids = new ArrayList<>(members.keySet());
        ids.sort(null);
        Map<String, TreeSet<Partition>> owned = new TreeMap<>();
        Map<Partition, String> owner = new HashMap<>();
        for (String id : ids) {
            owned.put(id, new TreeSet<>(ORDER));
        }
        // Subscribers per topic, in member order.
        Map<UUID, List<String>> subscribers = new HashMap<>();
        for (String id : ids) {
            for (UUID topic : members.get(id).topicIds()) {
                if (partitionCounts.containsKey(topic)) {
                    subscribers.computeIfAbsent(topic, t -> new ArrayList<>()).add(id);
                }
            }
        }
        // 1. Stickiness: keep what is still valid.
        for (String id : ids) {
            MemberSubscription m = members.get(id);
            m.current().partitions().forEach((topic, ps) -> {
                Integer count = partitionCounts.get(topic);
                if (count == null || !m.topicIds().contains(topic)) {
                    return;
                }
                for (int p : ps) {
                    Partition tp = new Partition(topic, p);
                    if (p < count && !owner.containsKey(tp)) {
                        owner.put(tp, id);
                        owned.get(id).add(tp);
                    }
                }
            });
        }
        // 2. Unowned partitions, most constrained first, to the least loaded eligible member.
        List<Partition> unowned = new ArrayList<>();
        for (Map.Entry<UUID, List<String>> e : new TreeMap<>(subscribers).entrySet()) {
            for (int p = 0; p < partitionCounts.get(e.getKey()); p++) {
                Partition tp = new Partition(e.getKey(), p);
                if (!owner.containsKey(tp)) {
                    unowned.add(tp);
                }
            }
        }
        unowned.sort(Comparator.comparingInt((Partition tp) -> subscribers.get(tp.topic()).size()).thenComparing(ORDER));
        for (Partition tp : unowned) {
            String to = leastLoaded(subscribers.get(tp.topic()), owned);
            owner.put(tp, to);
            owned.get(to).add(tp);
        }
        // 3. Balance: one move at a time, always from the most loaded member that can give, so no member
        //    gives more than it must (a member draining itself below its share would take others' back).
        boolean moved = true;
        while (moved) {
            moved = false;
            List<String> byLoad = new ArrayList<>(ids);
            byLoad.sort(Comparator.comparingInt((String id) -> -owned.get(id).size()).thenComparing(id -> id));
            search:
            for (String from : byLoad) {
                for (Partition tp : owned.get(from).descendingSet()) {
                    String to = leastLoaded(subscribers.get(tp.topic()), owned);
                    if (owned.get(to).size() < owned.get(from).size() - 1) {
                        owned.get(from).remove(tp);
                        owned.get(to).add(tp);
                        owner.put(tp, to);
                        moved = true;
                        break search;
                    }
                }
            }
        }
        Map<String, Assignment> result = new TreeMap<>();
        owned.forEach((id, ps) -> {
            Map<UUID, Set<Integer>> m = new TreeMap<>();
            for (Partition tp : ps) {
                m.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(tp.partition());
            }
            result.put(id, new Assignment(m));
        });
        return result;
    }

    private static String leastLoaded(List<String> candidates, Map<String, TreeSet<Partition>> owned) {
        String best = null;
        for (String id : candidates) {
            if (best == null || owned.get(id).size() < owned.get(best).size()) {
                best = id;
            }
        }
        return best;
    }
}
