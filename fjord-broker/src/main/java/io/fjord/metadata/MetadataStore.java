package io.fjord.metadata;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigResource;
import io.fjord.controller.ElectionType;
import io.fjord.controller.QuorumState;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The cluster metadata: the current image, and the changes that make the next one. A change is
 * durable before its future completes, and listeners have seen the new image by then. Changes are
 * applied one at a time in arrival order.
 *
 * <p>Futures fail with {@link ApiException} when the whole request fails: REQUEST_TIMED_OUT when the
 * deadline passed before the change was started, UNKNOWN_SERVER_ERROR when it could not be stored.
 * Deadlines are {@link System#nanoTime()} values, {@link #NO_DEADLINE} for none.
 *
 * <p>Kept narrow on purpose: a replicated (Raft) implementation only has to provide these.
 */
public interface MetadataStore extends AutoCloseable {
    long NO_DEADLINE = Long.MAX_VALUE;

    /** The latest image; safe to read from any thread. */
    MetadataImage image();

    /** Adds a listener for every later image; register before the store starts taking changes. */
    void addListener(MetadataListener listener);

    /** Creates topics; one result per spec, in order. With {@code validateOnly} nothing changes. */
    CompletableFuture<List<CreatedTopic>> createTopics(List<TopicSpec> topics, boolean validateOnly, long deadlineNanos);

    /** Deletes topics by id: NONE or UNKNOWN_TOPIC_ID for each. */
    CompletableFuture<Map<UUID, ApiError>> deleteTopics(Collection<UUID> topicIds, long deadlineNanos);

    /** Adds partitions; an error or NONE per topic name. */
    CompletableFuture<Map<String, ApiError>> createPartitions(List<PartitionIncrease> increases, boolean validateOnly,
                                                              long deadlineNanos);

    /** Changes config overrides of topics and brokers; an error or NONE per resource. */
    CompletableFuture<Map<ConfigResource, ApiError>> alterConfigs(Map<ConfigResource, ConfigChange> changes,
                                                                  boolean validateOnly, long deadlineNanos);

    /**
     * ElectLeaders: an error or NONE per partition (ELECTION_NOT_NEEDED when the leader already is the
     * one the election would pick). {@code partitions} null means every partition.
     */
    CompletableFuture<Map<TopicPartition, ApiError>> electLeaders(ElectionType type, Collection<TopicPartition> partitions,
                                                                  long deadlineNanos);

    /**
     * AlterPartitionReassignments: a target replica list per partition, or null to cancel an ongoing
     * reassignment; an error or NONE per partition.
     */
    CompletableFuture<Map<TopicPartition, ApiError>> alterPartitionReassignments(Map<TopicPartition, List<Integer>> targets,
                                                                                 long deadlineNanos);

    /**
     * Registers this node's broker with the cluster (again after every restart) and completes once it
     * is unfenced, that is once it may lead partitions and clients may be sent to it.
     */
    CompletableFuture<Void> registerBroker(int brokerId, String rack, List<Endpoint> endpoints);

    /**
     * AlterPartition: the leader {@code leaderId} of a partition sets its ISR to {@code newIsr}, based on
     * the leader and partition epochs it knows. Completes with the partition after the change, once this
     * node's image has it; fails with an {@link ApiException} carrying Kafka's error when the change is
     * refused (UNKNOWN_TOPIC_ID, UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH,
     * INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA, INVALID_REQUEST).
     */
    CompletableFuture<PartitionInfo> alterPartition(UUID topicId, int partition, int leaderId, int leaderEpoch,
                                                    int partitionEpoch, List<Integer> newIsr);

    /**
     * Controlled shutdown of this node's broker {@code brokerId}, with the broker epoch of its current
     * registration: its leaderships move to other in-sync replicas and it leaves the ISRs it can leave.
     * Completes once this node's image shows that; fails with an {@link ApiException} when the broker is
     * not registered by this node (BROKER_ID_NOT_REGISTERED) or the controller refused (STALE_BROKER_EPOCH).
     */
    CompletableFuture<Void> controlledShutdown(int brokerId);

    /** The controller quorum, for DescribeQuorum; fails with an {@link ApiException} when it cannot be reached. */
    CompletableFuture<QuorumState> describeQuorum();

    /** The node id of the active controller, or -1 when none is known right now. */
    int activeControllerId();

    /** Reserves {@code count} producer ids never handed out before, also across restarts; completes with the first. */
    CompletableFuture<Long> allocateProducerIds(int count);

    /**
     * Blocking form of {@link #allocateProducerIds}: the first of {@code size} fresh ids. Waits for a
     * disk write, so call it once per block, not per producer, and not on a network thread if avoidable.
     */
    default long allocateProducerIdBlock(int size) {
        try {
            return allocateProducerIds(size).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Stops taking changes; pending ones fail. */
    @Override
    void close();
}
