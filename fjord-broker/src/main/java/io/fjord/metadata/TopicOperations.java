package io.fjord.metadata;

import io.fjord.config.InvalidConfigException;
import io.fjord.config.TopicConfigs;
import io.fjord.controller.ReplicaPlacer;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The controller's decisions on topics, as pure functions from an image and a request to the next
 * image and the answer. Checks and messages follow Kafka's KRaft controller. Kept apart from any
 * store so a replicated store can run the very same logic. Replicas go to the unfenced registered
 * brokers of the image ({@link ReplicaPlacer}); topic ids come with the request, so the result
 * depends on nothing but the image and the request.
 */
public final class TopicOperations {
    /** Kafka refuses a single change that would write more metadata records than this. */
    static final int MAX_RECORDS_PER_CHANGE = 10_000;
    private static final ApiError TOO_LARGE =
            new ApiError(Errors.POLICY_VIOLATION, "Unable to perform excessively large batch operation.");

    private TopicOperations() {
    }

    /**
     * @param topicIds          the id of each new topic, in the order of {@code specs}
     * @param defaultPartitions what a partition count of -1 stands for
     * @param defaultReplicationFactor what a replication factor of -1 stands for
     */
    public static ChangeResult<List<CreatedTopic>> createTopics(MetadataImage image, List<TopicSpec> specs, List<UUID> topicIds,
                                                                int defaultPartitions, short defaultReplicationFactor) {
        Defaults defaults = new Defaults(defaultPartitions, defaultReplicationFactor, usable(image));
        MetadataImage.Builder next = image.toBuilder();
        Set<String> names = new HashSet<>();
        image.topics().forEach(t -> names.add(t.name()));
        List<CreatedTopic> results = new ArrayList<>(specs.size());
        int records = 0;
        boolean changed = false;
        for (int i = 0; i < specs.size(); i++) {
            TopicSpec spec = specs.get(i);
            CreatedTopic result;
            try {
                TopicImage topic = newTopic(spec, topicIds.get(i), names, defaults);
                records += 1 + topic.configs().size() + topic.partitionCount();
                if (records > MAX_RECORDS_PER_CHANGE) {
                    return tooLarge(image, specs);
                }
                names.add(topic.name());
                next.putTopic(topic);
                changed = true;
                result = new CreatedTopic(topic.name(), ApiError.NONE, topic.id(), topic.partitionCount(),
                        (short) topic.info().partitions().get(0).replicas().size());
            } catch (ApiException e) {
                result = CreatedTopic.failed(spec.name(), e.error());
            }
            results.add(result);
        }
        return new ChangeResult<>(changed ? next.build() : image, results);
    }

    /** What the placement of new partitions needs: the defaults of the asking node and the brokers to use. */
    private record Defaults(int partitions, short replicationFactor, List<BrokerRegistration> brokers) {
    }

    /** The brokers new replicas may go to: registered, unfenced and not in controlled shutdown (as in Kafka). */
    private static List<BrokerRegistration> usable(MetadataImage image) {
        return image.brokers().values().stream().filter(BrokerRegistration::usable).toList();
    }

    private static ChangeResult<List<CreatedTopic>> tooLarge(MetadataImage image, List<TopicSpec> specs) {
        return new ChangeResult<>(image, specs.stream().map(s -> CreatedTopic.failed(s.name(), TOO_LARGE)).toList());
    }

    /** The topic {@code spec} asks for, or an {@link ApiException} saying why it cannot be created. */
    private static TopicImage newTopic(TopicSpec spec, UUID id, Set<String> existing, Defaults defaults) {
        String name = spec.name();
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is illegal: " + invalid);
        }
        if (existing.contains(name)) {
            throw new ApiException(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        String colliding = collision(name, existing);
        if (colliding != null) {
            throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION,
                    "Topic '" + name + "' collides with existing topic: " + colliding);
        }
        Map<String, String> configs;
        try {
            configs = TopicConfigs.validate(spec.configs());
        } catch (InvalidConfigException e) {
            throw new ApiException(Errors.INVALID_CONFIG, e.getMessage());
        }
        List<List<Integer>> replicas = spec.assignments().isEmpty()
                ? automatic(spec, id, defaults)
                : manual(spec, defaults);
        List<PartitionInfo> partitions = new ArrayList<>(replicas.size());
        for (int p = 0; p < replicas.size(); p++) {
            partitions.add(newPartition(p, replicas.get(p)));
        }
        return new TopicImage(new TopicInfo(name, id, TopicNames.isInternal(name), partitions), configs);
    }

    /** Kafka keeps '.' and '_' apart because metric names would confuse them. */
    private static String collision(String name, Set<String> existing) {
        if (name.indexOf('.') < 0 && name.indexOf('_') < 0) {
            return null;
        }
        String unified = name.replace('.', '_');
        for (String other : existing) {
            if (other.replace('.', '_').equals(unified)) {
                return other;
            }
        }
        return null;
    }

    private static List<List<Integer>> automatic(TopicSpec spec, UUID id, Defaults defaults) {
        short replicationFactor = spec.replicationFactor();
        int numPartitions = spec.numPartitions();
        if (replicationFactor < -1 || replicationFactor == 0) {
            throw new ApiException(Errors.INVALID_REPLICATION_FACTOR,
                    "Replication factor must be larger than 0, or -1 to use the default value.");
        }
        if (numPartitions < -1 || numPartitions == 0) {
            throw new ApiException(Errors.INVALID_PARTITIONS,
                    "Number of partitions was set to an invalid non-positive value.");
        }
        int partitions = numPartitions == -1 ? defaults.partitions() : numPartitions;
        int factor = replicationFactor == -1 ? defaults.replicationFactor() : replicationFactor;
        // Kafka starts each topic's round robin at a random broker so leaders of many small topics spread;
        // the topic id is that random draw, made by the node that asked, so every node places alike.
        return place(0, partitions, factor, defaults.brokers(), (int) id.getLeastSignificantBits(),
                (int) id.getMostSignificantBits());
    }

    private static List<List<Integer>> place(int firstPartition, int count, int replicationFactor,
                                             List<BrokerRegistration> brokers, int startIndex, int shift) {
        if (count > MAX_RECORDS_PER_CHANGE) {
            throw new ApiException(TOO_LARGE.error(), TOO_LARGE.message());
        }
        return ReplicaPlacer.place(brokers, firstPartition, count, replicationFactor, startIndex, shift);
    }

    private static List<List<Integer>> manual(TopicSpec spec, Defaults defaults) {
        if (spec.replicationFactor() != -1) {
            throw new ApiException(Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but replication factor was not set to -1.");
        }
        if (spec.numPartitions() != -1) {
            throw new ApiException(Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but numPartitions was not set to -1.");
        }
        Map<Integer, List<Integer>> byPartition = new TreeMap<>();
        Integer replicationFactor = null;
        for (TopicSpec.Assignment assignment : spec.assignments()) {
            if (byPartition.containsKey(assignment.partition())) {
                throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT,
                        "Found multiple manual partition assignments for partition " + assignment.partition());
            }
            checkAssignment(assignment.brokerIds(), replicationFactor, defaults.brokers());
            replicationFactor = assignment.brokerIds().size();
            byPartition.put(assignment.partition(), assignment.brokerIds());
        }
        List<List<Integer>> out = new ArrayList<>(byPartition.size());
        for (int p = 0; p < byPartition.size(); p++) {
            List<Integer> replicas = byPartition.get(p);
            if (replicas == null) {
                throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT,
                        "partitions should be a consecutive 0-based integer sequence");
            }
            out.add(replicas);
        }
        return out;
    }

    private static void checkAssignment(List<Integer> brokerIds, Integer replicationFactor, List<BrokerRegistration> usable) {
        if (brokerIds.isEmpty()) {
            throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
        for (int broker : brokerIds.stream().sorted().toList()) {
            if (usable.stream().noneMatch(b -> b.id() == broker)) {
                throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker "
                        + broker + ", but no such broker is registered.");
            }
            if (!seen.add(broker)) {
                throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes the broker "
                        + broker + " more than once.");
            }
        }
        if (replicationFactor != null && brokerIds.size() != replicationFactor) {
            throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes a partition with "
                    + brokerIds.size() + " replica(s), but this is not consistent with previous partitions, which have "
                    + replicationFactor + " replica(s).");
        }
    }

    /** A new partition: every replica in sync, the first one leading, leader epoch 0. */
    private static PartitionInfo newPartition(int index, List<Integer> replicas) {
        return new PartitionInfo(index, replicas.get(0), 0, replicas, replicas, List.of());
    }

    public static ChangeResult<Map<UUID, ApiError>> deleteTopics(MetadataImage image, Collection<UUID> ids) {
        MetadataImage.Builder next = image.toBuilder();
        Map<UUID, ApiError> results = new LinkedHashMap<>();
        boolean changed = false;
        for (UUID id : ids) {
            TopicImage topic = image.topicImage(id);
            if (topic == null) {
                results.put(id, new ApiError(Errors.UNKNOWN_TOPIC_ID, Errors.UNKNOWN_TOPIC_ID.message()));
            } else if (topic.info().internal()) {
                // The coordinators' state lives there; deleting it would silently lose every group and offset.
                results.put(id, new ApiError(Errors.INVALID_TOPIC_EXCEPTION,
                        "Topic " + topic.name() + " is an internal topic and cannot be deleted."));
            } else {
                next.removeTopic(topic.name());
                changed = true;
                results.put(id, ApiError.NONE);
            }
        }
        return new ChangeResult<>(changed ? next.build() : image, results);
    }

    public static ChangeResult<Map<String, ApiError>> createPartitions(MetadataImage image, List<PartitionIncrease> increases) {
        List<BrokerRegistration> usable = usable(image);
        MetadataImage.Builder next = image.toBuilder();
        Map<String, ApiError> results = new LinkedHashMap<>();
        boolean changed = false;
        int records = 0;
        for (PartitionIncrease increase : increases) {
            try {
                TopicImage grown = grow(image.topicImage(increase.topic()), increase, usable);
                records += grown.partitionCount() - image.topicImage(increase.topic()).partitionCount();
                if (records > MAX_RECORDS_PER_CHANGE) {
                    throw new ApiException(TOO_LARGE.error(), TOO_LARGE.message());
                }
                next.putTopic(grown);
                changed = true;
                results.put(increase.topic(), ApiError.NONE);
            } catch (ApiException e) {
                results.put(increase.topic(), e.error());
            }
        }
        return new ChangeResult<>(changed ? next.build() : image, results);
    }

    private static TopicImage grow(TopicImage topic, PartitionIncrease increase, List<BrokerRegistration> usable) {
        if (topic == null) {
            throw new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION.message());
        }
        if (topic.info().internal()) {
            // A group's partition is hash % partition count: more partitions would move groups away from their records.
            throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION,
                    "Topic " + topic.name() + " is an internal topic; its partition count cannot change.");
        }
        int current = topic.partitionCount();
        if (increase.count() == current) {
            throw new ApiException(Errors.INVALID_PARTITIONS, "Topic already has " + current + " partition(s).");
        }
        if (increase.count() < current) {
            throw new ApiException(Errors.INVALID_PARTITIONS, "The topic " + topic.name() + " currently has " + current
                    + " partition(s); " + increase.count() + " would not be an increase.");
        }
        int additional = increase.count() - current;
        int replicationFactor = topic.info().partitions().get(0).replicas().size();
        List<List<Integer>> replicas;
        if (increase.assignments() != null) {
            if (increase.assignments().size() != additional) {
                throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + additional
                        + " additional partition(s), but only " + increase.assignments().size()
                        + " assignment(s) were specified.");
            }
            for (List<Integer> brokers : increase.assignments()) {
                checkAssignment(brokers, replicationFactor, usable);
            }
            replicas = increase.assignments();
        } else {
            // Continue the topic's round robin where it is: started at partition 0's first replica (as Kafka does).
            int start = firstReplicaIndex(topic, usable);
            replicas = place(current, additional, replicationFactor, usable, start, (int) topic.id().getMostSignificantBits());
        }
        List<PartitionInfo> partitions = new ArrayList<>(topic.info().partitions());
        for (int i = 0; i < additional; i++) {
            partitions.add(newPartition(current + i, replicas.get(i)));
        }
        TopicInfo info = topic.info();
        return new TopicImage(new TopicInfo(info.name(), info.topicId(), info.internal(), partitions), topic.configs());
    }

    /** Where partition 0's first replica stands among the usable brokers (by id), or a spot drawn from the topic id. */
    private static int firstReplicaIndex(TopicImage topic, List<BrokerRegistration> usable) {
        int first = topic.info().partitions().get(0).replicas().get(0);
        List<Integer> ids = usable.stream().map(BrokerRegistration::id).sorted().toList();
        int index = ids.indexOf(first);
        return index >= 0 ? index : (int) topic.id().getLeastSignificantBits();
    }
}
