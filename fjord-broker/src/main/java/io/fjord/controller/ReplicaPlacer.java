package io.fjord.controller;

import io.fjord.metadata.ApiException;
import io.fjord.metadata.BrokerRegistration;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where new partitions go: Kafka's replica assignment, made deterministic. Leaders go round robin over
 * the brokers from a start offset, so a topic of P partitions on N brokers gives each broker floor(P/N)
 * or ceil(P/N) leaderships; followers follow the leader at a shift that grows every N partitions.
 * When brokers have a {@code broker.rack}, the broker list alternates racks and each partition takes
 * distinct racks before it takes a second broker of one rack (Kafka's rack-aware assignment).
 *
 * <p>Kafka draws the start offset and the first shift at random; here the caller passes them (derived
 * from the topic id the command carries) so that every node applying the entry places alike.
 */
public final class ReplicaPlacer {
    private static final String NO_RACK = "";

    private ReplicaPlacer() {
    }

    /**
     * @param usable         the brokers new replicas may go to (unfenced), any order
     * @param firstPartition index of the first partition to place (continues the round robin of a topic)
     * @param startIndex     where the round robin starts, any int (taken modulo the broker count)
     * @param shift          the first follower shift, any int
     * @throws ApiException INVALID_REPLICATION_FACTOR when there are fewer usable brokers than replicas
     */
    public static List<List<Integer>> place(List<BrokerRegistration> usable, int firstPartition, int count,
                                            int replicationFactor, int startIndex, int shift) {
        if (replicationFactor > usable.size()) {
            throw new ApiException(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                    + replicationFactor + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only " + usable.size() + " broker(s) are registered.");
        }
        List<BrokerRegistration> sorted = new ArrayList<>(usable);
        sorted.sort(Comparator.comparingInt(BrokerRegistration::id));
        boolean rackAware = sorted.stream().anyMatch(b -> b.rack() != null);
        int n = sorted.size();
        int start = Math.floorMod(startIndex, n);
        int firstShift = n > 1 ? Math.floorMod(shift, n - 1) : 0;
        return rackAware
                ? rackAware(sorted, firstPartition, count, replicationFactor, start, firstShift)
                : rackUnaware(sorted, firstPartition, count, replicationFactor, start, firstShift);
    }

    private static List<List<Integer>> rackUnaware(List<BrokerRegistration> brokers, int firstPartition, int count,
                                                   int replicationFactor, int start, int firstShift) {
        int n = brokers.size();
        List<List<Integer>> out = new ArrayList<>(count);
        for (int p = firstPartition; p < firstPartition + count; p++) {
            // The shift moves on every n partitions so the followers of one leader are not always the same brokers.
            int shift = firstShift + p / n;
            int first = (p + start) % n;
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            replicas.add(brokers.get(first).id());
            for (int j = 0; j < replicationFactor - 1; j++) {
                replicas.add(brokers.get(replicaIndex(first, shift, j, n)).id());
            }
            out.add(replicas);
        }
        return out;
    }

    private static List<List<Integer>> rackAware(List<BrokerRegistration> brokers, int firstPartition, int count,
                                                 int replicationFactor, int start, int firstShift) {
        List<BrokerRegistration> arranged = rackAlternated(brokers);
        int n = arranged.size();
        int numRacks = (int) arranged.stream().map(ReplicaPlacer::rackOf).distinct().count();
        List<List<Integer>> out = new ArrayList<>(count);
        for (int p = firstPartition; p < firstPartition + count; p++) {
            int shift = firstShift + p / n;
            int first = (p + start) % n;
            BrokerRegistration leader = arranged.get(first);
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            Set<String> racks = new HashSet<>();
            Set<Integer> taken = new HashSet<>();
            replicas.add(leader.id());
            racks.add(rackOf(leader));
            taken.add(leader.id());
            int k = 0;
            while (replicas.size() < replicationFactor) {
                BrokerRegistration candidate = arranged.get(replicaIndex(first, shift * numRacks, k, n));
                k++;
                // A rack already used is fine only once every rack has a replica; a broker never twice.
                boolean rackOk = !racks.contains(rackOf(candidate)) || racks.size() == numRacks;
                if (rackOk && !taken.contains(candidate.id())) {
                    replicas.add(candidate.id());
                    racks.add(rackOf(candidate));
                    taken.add(candidate.id());
                }
            }
            out.add(replicas);
        }
        return out;
    }

    /** Kafka's follower index: never the leader itself, stepping through the other n - 1 brokers. */
    private static int replicaIndex(int first, int shift, int j, int n) {
        int offset = 1 + (shift + j) % (n - 1);
        return (first + offset) % n;
    }

    /** The brokers ordered rack by rack in turn (racks in name order, brokers by id within a rack). */
    static List<BrokerRegistration> rackAlternated(List<BrokerRegistration> brokers) {
        Map<String, List<BrokerRegistration>> byRack = new TreeMap<>();
        for (BrokerRegistration b : brokers) {
            byRack.computeIfAbsent(rackOf(b), r -> new ArrayList<>()).add(b);
        }
        List<Iterator<BrokerRegistration>> iterators = new ArrayList<>();
        byRack.values().forEach(list -> iterators.add(list.iterator()));
        List<BrokerRegistration> out = new ArrayList<>(brokers.size());
        int rack = 0;
        while (out.size() < brokers.size()) {
            Iterator<BrokerRegistration> it = iterators.get(rack);
            if (it.hasNext()) {
                out.add(it.next());
            }
            rack = (rack + 1) % iterators.size();
        }
        return out;
    }

    /** Brokers without a rack count as one rack of their own, as Kafka's placer treats an absent rack. */
    static String rackOf(BrokerRegistration broker) {
        return Objects.requireNonNullElse(broker.rack(), NO_RACK);
    }
}
