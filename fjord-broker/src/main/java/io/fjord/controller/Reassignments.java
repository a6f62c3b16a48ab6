package io.fjord.controller;

import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.ChangeResult;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AlterPartitionReassignments with Kafka's semantics. A target T for current replicas R makes the
 * replicas T ++ (R \ T), with T \ R being added and R \ T being removed. The reassignment completes
 * once every added replica is in the ISR: the replicas become T, the ISR keeps only members of T, and a
 * leader outside T hands over to the first member of T that is alive and in the ISR. A reassignment
 * that adds a broker stays ongoing until the partition's leader adds it to the ISR (AlterPartition, once
 * it caught up); one that only reorders or shrinks completes at once. Cancelling goes back to the
 * replicas minus those added.
 */
final class Reassignments {

    private Reassignments() {
    }

    static ChangeResult<Map<TopicPartition, ApiError>> alter(MetadataImage image, MetadataCommand.AlterReassignments command) {
        BrokerStates states = new BrokerStates(image.brokers());
        Map<String, TopicImage> changed = new LinkedHashMap<>();
        Map<TopicPartition, ApiError> results = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, List<Integer>> e : command.targets().entrySet()) {
            TopicPartition tp = e.getKey();
            TopicImage topic = changed.getOrDefault(tp.topic(), image.topicImage(tp.topic()));
            if (topic == null || tp.partition() < 0 || tp.partition() >= topic.partitionCount()) {
                results.put(tp, new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION.message()));
                continue;
            }
            PartitionInfo before = topic.info().partitions().get(tp.partition());
            try {
                PartitionInfo after = e.getValue() == null ? cancel(before, states) : reassign(before, e.getValue(), states);
                if (after != before) {
                    changed.put(tp.topic(), PartitionRewriter.replace(topic, after));
                }
                results.put(tp, ApiError.NONE);
            } catch (ApiException ex) {
                results.put(tp, ex.error());
            }
        }
        return PartitionRewriter.withTopics(image, changed, results);
    }

    private static PartitionInfo reassign(PartitionInfo p, List<Integer> target, BrokerStates states) {
        validate(target, states);
        // The starting point is the original replicas: those an earlier reassignment is still adding are dropped
        // unless they are in sync (then they hold every record and count as replicas), so the ISR stays within.
        List<Integer> current = new ArrayList<>(p.replicas());
        current.removeIf(r -> p.addingReplicas().contains(r) && !p.isr().contains(r));
        PartitionChange change = new PartitionChange(p);
        change.adding = new ArrayList<>(target.stream().filter(r -> !current.contains(r)).toList());
        change.removing = new ArrayList<>(current.stream().filter(r -> !target.contains(r)).toList());
        change.replicas = new ArrayList<>(target);
        change.replicas.addAll(change.removing);
        maybeComplete(change, states);
        return change.build(states);
    }

    private static PartitionInfo cancel(PartitionInfo p, BrokerStates states) {
        if (!p.reassigning()) {
            throw new ApiException(Errors.NO_REASSIGNMENT_IN_PROGRESS,
                    "No ongoing reassignment for partition " + p.partition() + ".");
        }
        PartitionChange change = new PartitionChange(p);
        change.replicas.removeAll(p.addingReplicas());
        change.isr.removeAll(p.addingReplicas());
        if (change.isr.isEmpty()) {
            // Only added replicas were in sync (an unclean election picked one): the original replicas have
            // to start from one of them again, as Kafka's revert does.
            // A live one if any, else one that may come back (fenced); never one in controlled shutdown, which
            // must not join an ISR: if that is all there is, the cancellation waits until one registers again.
            int pick = change.replicas.stream().filter(states::alive).findFirst()
                    .orElse(change.replicas.stream().filter(r -> !states.shuttingDown(r)).findFirst().orElse(-1));
            if (pick == -1) {
                throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "Cannot cancel the reassignment of partition "
                        + p.partition() + " now: every original replica is in controlled shutdown.");
            }
            change.isr.add(pick);
        }
        change.adding.clear();
        change.removing.clear();
        change.electIfNeeded(states);
        return change.build(states);
    }

    /** Finishes the reassignment in {@code change} if every added replica is in sync and the ISR keeps a member. */
    static void maybeComplete(PartitionChange change, BrokerStates states) {
        if (change.adding.isEmpty() && change.removing.isEmpty()) {
            return;
        }
        if (!change.isr.containsAll(change.adding)) {
            return;
        }
        List<Integer> target = new ArrayList<>(change.replicas);
        target.removeAll(change.removing);
        List<Integer> isr = new ArrayList<>(change.isr);
        isr.retainAll(target);
        if (isr.isEmpty()) {
            return; // every in-sync replica is being removed: wait rather than leave nobody in sync
        }
        change.replicas = target;
        change.isr = isr;
        change.adding.clear();
        change.removing.clear();
        change.electIfNeeded(states);
    }

    private static void validate(List<Integer> target, BrokerStates states) {
        if (target.isEmpty()) {
            throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
        for (int broker : target) {
            if (!states.registered(broker)) {
                throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker "
                        + broker + ", but no such broker is registered.");
            }
            if (!seen.add(broker)) {
                throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes the broker " + broker + " more than once.");
            }
        }
    }
}
