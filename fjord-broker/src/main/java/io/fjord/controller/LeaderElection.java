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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ElectLeaders. PREFERRED makes the first replica the leader if it is alive and in the ISR. UNCLEAN
 * only acts on a partition without a leader: the first alive ISR member, else the first alive replica
 * (which then is the whole ISR, accepting that records only the lost ones had are gone).
 */
final class LeaderElection {

    private LeaderElection() {
    }

    static ChangeResult<Map<TopicPartition, ApiError>> elect(MetadataImage image, MetadataCommand.ElectLeaders command) {
        BrokerStates states = new BrokerStates(image.brokers());
        boolean all = command.partitions() == null;
        List<TopicPartition> partitions = all ? everyPartition(image) : command.partitions();
        Map<String, TopicImage> changed = new LinkedHashMap<>();
        Map<TopicPartition, ApiError> results = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            TopicImage topic = changed.getOrDefault(tp.topic(), image.topicImage(tp.topic()));
            if (topic == null || tp.partition() < 0 || tp.partition() >= topic.partitionCount()) {
                results.put(tp, new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION.message()));
                continue;
            }
            PartitionInfo before = topic.info().partitions().get(tp.partition());
            try {
                PartitionInfo after = command.type() == ElectionType.PREFERRED
                        ? preferred(tp, before, states)
                        : unclean(tp, before, states);
                changed.put(tp.topic(), PartitionRewriter.replace(topic, after));
                results.put(tp, ApiError.NONE);
            } catch (ApiException e) {
                // Asked for every partition, Kafka leaves out those that already have the leader the election would pick.
                if (!(all && e.error().error() == Errors.ELECTION_NOT_NEEDED)) {
                    results.put(tp, e.error());
                }
            }
        }
        return PartitionRewriter.withTopics(image, changed, results);
    }

    private static PartitionInfo preferred(TopicPartition tp, PartitionInfo p, BrokerStates states) {
        int preferred = p.replicas().get(0);
        if (p.leaderId() == preferred) {
            throw new ApiException(Errors.ELECTION_NOT_NEEDED, "Leader election not needed for topic partition " + tp + ".");
        }
        if (!states.alive(preferred) || !p.isr().contains(preferred)) {
            throw new ApiException(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "Failed to elect leader for partition " + tp
                    + " under strategy PREFERRED: broker " + preferred + " is not alive and in sync.");
        }
        PartitionChange change = new PartitionChange(p);
        change.leader = preferred;
        return change.build(states);
    }

    private static PartitionInfo unclean(TopicPartition tp, PartitionInfo p, BrokerStates states) {
        if (p.leaderId() != -1) {
            throw new ApiException(Errors.ELECTION_NOT_NEEDED, "Leader election not needed for topic partition " + tp + ".");
        }
        PartitionChange change = new PartitionChange(p);
        int leader = change.firstAliveInIsr(states);
        if (leader == -1) {
            leader = p.replicas().stream().filter(states::alive).findFirst().orElse(-1);
            if (leader == -1) {
                throw new ApiException(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE, "Failed to elect leader for partition " + tp
                        + " under strategy UNCLEAN: no replica is alive.");
            }
            change.isr = new ArrayList<>(List.of(leader));
        }
        change.leader = leader;
        Reassignments.maybeComplete(change, states);
        return change.build(states);
    }

    private static List<TopicPartition> everyPartition(MetadataImage image) {
        List<TopicPartition> out = new ArrayList<>();
        for (TopicImage topic : image.topicImages()) {
            for (int p = 0; p < topic.partitionCount(); p++) {
                out.add(new TopicPartition(topic.name(), p));
            }
        }
        return out;
    }
}
