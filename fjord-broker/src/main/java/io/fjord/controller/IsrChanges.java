package io.fjord.controller;

import io.fjord.metadata.ApiException;
import io.fjord.metadata.ChangeResult;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * AlterPartition: a partition leader changes the ISR, with the rules of Kafka's KRaft controller
 * (KIP-497, KIP-841). The request names the leader epoch and partition epoch it is based on; any
 * mismatch means the leader acted on an outdated state (it was replaced, or another change came first)
 * and the request is refused, so it can refetch the state and try again. A replica may only join the
 * ISR when it is on a registered, unfenced broker that is not shutting down, since an ISR member may be
 * elected leader. The leader epoch stays; the partition epoch goes up; a reassignment waiting for its
 * added replicas to be in sync completes once they are.
 */
final class IsrChanges {

    private IsrChanges() {
    }

    static ChangeResult<PartitionInfo> alterPartition(MetadataImage image, MetadataCommand.AlterPartition command) {
        TopicImage topic = image.topicImage(command.topicId());
        if (topic == null) {
            throw new ApiException(Errors.UNKNOWN_TOPIC_ID, "No topic with id " + command.topicId() + ".");
        }
        int index = command.partition();
        if (index < 0 || index >= topic.partitionCount()) {
            throw new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "Topic " + topic.name() + " has no partition " + index + ".");
        }
        String name = topic.name() + "-" + index;
        PartitionInfo p = topic.info().partitions().get(index);
        if (command.leaderId() != p.leaderId()) {
            throw new ApiException(Errors.NOT_LEADER_OR_FOLLOWER, "Broker " + command.leaderId()
                    + " is not the leader of " + name + "; the leader is " + p.leaderId() + ".");
        }
        if (command.leaderEpoch() != p.leaderEpoch()) {
            throw new ApiException(Errors.FENCED_LEADER_EPOCH, "The leader epoch " + command.leaderEpoch() + " of " + name
                    + " in the request is not the current one, " + p.leaderEpoch() + ".");
        }
        if (command.partitionEpoch() != p.partitionEpoch()) {
            throw new ApiException(Errors.INVALID_UPDATE_VERSION, "The partition epoch " + command.partitionEpoch() + " of "
                    + name + " in the request is not the current one, " + p.partitionEpoch() + ".");
        }
        List<Integer> newIsr = command.newIsr();
        checkShape(name, newIsr, p.leaderId());
        BrokerStates states = new BrokerStates(image.brokers());
        for (int member : newIsr) {
            if (!p.replicas().contains(member)) {
                throw new ApiException(Errors.INELIGIBLE_REPLICA, "The new ISR " + newIsr + " of " + name
                        + " holds broker " + member + ", which is not a replica " + p.replicas() + ".");
            }
            if (!p.isr().contains(member) && !states.alive(member)) {
                throw new ApiException(Errors.INELIGIBLE_REPLICA, "The new ISR " + newIsr + " of " + name
                        + " adds broker " + member + ", which is " + why(image, member) + ".");
            }
        }
        if (newIsr.equals(p.isr())) {
            // Nothing to change (the leader resent a change that was applied): the state as it is.
            return new ChangeResult<>(image, p);
        }
        PartitionChange change = new PartitionChange(p);
        change.isr = new ArrayList<>(newIsr);
        Reassignments.maybeComplete(change, states);
        PartitionInfo after = change.build(states);
        return new ChangeResult<>(image.toBuilder().putTopic(PartitionRewriter.replace(topic, after)).build(), after);
    }

    private static void checkShape(String name, List<Integer> newIsr, int leader) {
        if (newIsr.isEmpty()) {
            throw new ApiException(Errors.INVALID_REQUEST, "The new ISR of " + name + " is empty.");
        }
        Set<Integer> seen = new HashSet<>();
        for (int member : newIsr) {
            if (!seen.add(member)) {
                throw new ApiException(Errors.INVALID_REQUEST, "The new ISR " + newIsr + " of " + name
                        + " holds broker " + member + " more than once.");
            }
        }
        if (!seen.contains(leader)) {
            throw new ApiException(Errors.INVALID_REQUEST, "The new ISR " + newIsr + " of " + name
                    + " does not hold its leader " + leader + ".");
        }
    }

    private static String why(MetadataImage image, int broker) {
        var registration = image.broker(broker);
        if (registration == null) {
            return "not registered";
        }
        return registration.fenced() ? "fenced" : "in controlled shutdown";
    }
}
