package io.fjord.group.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The server-side "range" assignor: per topic, the members subscribed to it (in member id order) get
 * consecutive ranges of partitions, the first {@code partitions % members} one partition more. Members
 * with the same subscriptions therefore get the same partition numbers of co-partitioned topics
 * (same partition count), which is what joins across topics need.
 *
 * <p>Unlike Kafka's server-side range assignor this one is not sticky: ranges follow member order
 * alone, so a membership change can move more partitions than strictly needed.
 */
public final class RangeAssignor implements ConsumerGroupAssignor {
    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(Map<String, MemberSubscription> members, Map<UUID, Integer> partitionCounts) {
        Map<String, Map<UUID, Set<Integer>>> result = new TreeMap<>();
        for (String id : members.keySet()) {
            result.put(id, new TreeMap<>());
        }
        for (Map.Entry<UUID, Integer> topic : new TreeMap<>(partitionCounts).entrySet()) {
            List<String> subscribers = new ArrayList<>();
            for (String id : result.keySet()) {
                if (members.get(id).topicIds().contains(topic.getKey())) {
                    subscribers.add(id);
                }
            }
            if (subscribers.isEmpty()) {
                continue;
            }
            int count = topic.getValue();
            int base = count / subscribers.size();
            int extra = count % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int take = base + (i < extra ? 1 : 0);
                Set<Integer> range = new TreeSet<>();
                for (int p = next; p < next + take; p++) {
                    range.add(p);
                }
                next += take;
                result.get(subscribers.get(i)).put(topic.getKey(), range);
            }
        }
        Map<String, Assignment> out = new TreeMap<>();
        result.forEach((id, m) -> out.put(id, new Assignment(m)));
        return out;
    }
}
