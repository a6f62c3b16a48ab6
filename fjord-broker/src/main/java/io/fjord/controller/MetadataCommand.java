package io.fjord.controller;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigResource;
import io.fjord.metadata.PartitionIncrease;
import io.fjord.metadata.TopicSpec;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One entry of the cluster metadata log: a change, as asked for. Every node applies the same entries
 * in the same order with {@link ControllerLogic}, which is deterministic (no clock, no randomness
 * beyond what the entry and its log offset carry), so every node reaches the same image. Decisions
 * that depend on time (a broker missed its lease) are taken by the active controller alone and enter
 * the log as entries of their own ({@link FenceBroker}).
 */
public sealed interface MetadataCommand {

    /**
     * Creates topics; counts and replication factors of -1 mean the given defaults of the node that
     * asked. {@code topicIds} holds one fresh random id per topic, drawn by the node that asked, so
     * that applying the entry stays deterministic.
     */
    record CreateTopics(List<TopicSpec> topics, List<UUID> topicIds, int defaultPartitions, short defaultReplicationFactor)
            implements MetadataCommand {
        public CreateTopics {
            topics = List.copyOf(topics);
            topicIds = List.copyOf(topicIds);
            if (topicIds.size() != topics.size()) {
                throw new IllegalArgumentException(topics.size() + " topics but " + topicIds.size() + " ids");
            }
        }
    }

    record DeleteTopics(List<UUID> topicIds) implements MetadataCommand {
        public DeleteTopics {
            topicIds = List.copyOf(topicIds);
        }
    }

    record CreatePartitions(List<PartitionIncrease> increases) implements MetadataCommand {
        public CreatePartitions {
            increases = List.copyOf(increases);
        }
    }

    record AlterConfigs(Map<ConfigResource, ConfigChange> changes) implements MetadataCommand {
        public AlterConfigs {
            changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
        }
    }

    record AllocateProducerIds(int count) implements MetadataCommand {
    }

    /**
     * A broker (re)starting; answered with its new broker epoch (the version of the image the entry
     * makes). It is fenced until an {@link UnfenceBroker}.
     */
    record RegisterBroker(int brokerId, UUID incarnationId, String rack, List<Endpoint> endpoints)
            implements MetadataCommand {
        public RegisterBroker {
            endpoints = List.copyOf(endpoints);
        }
    }

    /** The active controller saw no heartbeat from this incarnation within broker.session.timeout.ms. */
    record FenceBroker(int brokerId, long brokerEpoch) implements MetadataCommand {
    }

    /** A registered, fenced broker heartbeats and is caught up: it may lead again. */
    record UnfenceBroker(int brokerId, long brokerEpoch) implements MetadataCommand {
    }

    /** ElectLeaders; {@code partitions} null for every partition. */
    record ElectLeaders(ElectionType type, List<TopicPartition> partitions) implements MetadataCommand {
        public ElectLeaders {
            partitions = partitions == null ? null : List.copyOf(partitions);
        }
    }

    /** AlterPartitionReassignments: a target replica list per partition, or null to cancel its reassignment. */
    record AlterReassignments(Map<TopicPartition, List<Integer>> targets) implements MetadataCommand {
        public AlterReassignments {
            Map<TopicPartition, List<Integer>> copy = new LinkedHashMap<>();
            targets.forEach((tp, replicas) -> copy.put(tp, replicas == null ? null : List.copyOf(replicas)));
            targets = Collections.unmodifiableMap(copy);
        }

        /** The partitions in request order (values may be null, which Map.copyOf would refuse). */
        public List<TopicPartition> partitions() {
            return new ArrayList<>(targets.keySet());
        }
    }

    /**
     * AlterPartition (KIP-497): the leader of a partition asks to change its ISR, naming the leader and
     * partition epochs it knows, so a change based on an outdated state is refused. Answered with the
     * partition after the change.
     */
    record AlterPartition(UUID topicId, int partition, int leaderId, int leaderEpoch, int partitionEpoch,
                          List<Integer> newIsr) implements MetadataCommand {
        public AlterPartition {
            newIsr = List.copyOf(newIsr);
        }
    }

    /**
     * A broker is stopping (Kafka's BrokerHeartbeat with wantShutDown): its leaderships move to other
     * in-sync replicas and it leaves the ISRs it can leave, before it stops. Answered with an ApiError.
     */
    record ControlledShutdown(int brokerId, long brokerEpoch) implements MetadataCommand {
    }

    /** Sets the cluster id when the image has none yet (the first active controller's first entry); answered with the id in force. */
    record InitCluster(String clusterId) implements MetadataCommand {
    }
}
