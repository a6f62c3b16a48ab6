package io.fjord.group.consumer;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * An immutable set of partitions named by topic id, as KIP-848 assignments are: topic id to partition
 * numbers, both in order so answers and tests do not depend on hash order. Topics without partitions
 * are left out.
 */
public record Assignment(Map<UUID, Set<Integer>> partitions) {
    public static final Assignment EMPTY = new Assignment(Map.of());

    public Assignment {
        TreeMap<UUID, Set<Integer>> copy = new TreeMap<>();
        partitions.forEach((topic, ps) -> {
            if (!ps.isEmpty()) {
                copy.put(topic, Collections.unmodifiableSet(new TreeSet<>(ps)));
            }
        });
        partitions = Collections.unmodifiableMap(copy);
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    public boolean contains(UUID topic, int partition) {
        Set<Integer> ps = partitions.get(topic);
        return ps != null && ps.contains(partition);
    }

    public int size() {
        return partitions.values().stream().mapToInt(Set::size).sum();
    }

    /** The partitions of this assignment that {@code keep} accepts. */
    public Assignment filter(BiPredicate<UUID, Integer> keep) {
        Map<UUID, Set<Integer>> out = new TreeMap<>();
        partitions.forEach((topic, ps) -> {
            for (int p : ps) {
                if (keep.test(topic, p)) {
                    out.computeIfAbsent(topic, t -> new TreeSet<>()).add(p);
                }
            }
        });
        return new Assignment(out);
    }

    public Assignment intersect(Assignment other) {
        return filter(other::contains);
    }

    public Assignment minus(Assignment other) {
        return filter((t, p) -> !other.contains(t, p));
    }

    public Assignment union(Assignment other) {
        Map<UUID, Set<Integer>> out = new TreeMap<>();
        partitions.forEach((t, ps) -> out.computeIfAbsent(t, x -> new TreeSet<>()).addAll(ps));
        other.partitions.forEach((t, ps) -> out.computeIfAbsent(t, x -> new TreeSet<>()).addAll(ps));
        return new Assignment(out);
    }

    /** Whether this and {@code other} share a partition. */
    public boolean overlaps(Assignment other) {
        return !intersect(other).isEmpty();
    }
}
