package io.fjord.cluster;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigResource;
import io.fjord.controller.ElectionType;
import io.fjord.controller.QuorumState;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataListener;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.PartitionIncrease;
import io.fjord.metadata.TopicSpec;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A metadata store answering from a fixed image and canned results, recording what it was asked:
 * for handler tests of cluster situations a single node cannot reach.
 */
class StubStore implements MetadataStore {
    volatile MetadataImage image;
    final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    volatile CompletableFuture<Map<TopicPartition, ApiError>> electResult = new CompletableFuture<>();
    volatile ElectionType electedType;
    volatile Collection<TopicPartition> electedPartitions;
    volatile CompletableFuture<Map<TopicPartition, ApiError>> reassignResult = new CompletableFuture<>();
    volatile Map<TopicPartition, List<Integer>> reassignTargets;
    volatile CompletableFuture<QuorumState> quorum = new CompletableFuture<>();
    final List<TopicSpec> createRequests = new CopyOnWriteArrayList<>();

    StubStore(MetadataImage image) {
        this.image = image;
    }

    /** Publishes {@code next} as a store does: listeners first, then {@link #image()}. */
    void publish(MetadataImage next) {
        MetadataImage previous = image;
        for (MetadataListener listener : listeners) {
            listener.onImage(previous, next);
        }
        image = next;
    }

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<List<CreatedTopic>> createTopics(List<TopicSpec> topics, boolean validateOnly, long deadlineNanos) {
        createRequests.addAll(topics);
        return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Map<UUID, ApiError>> deleteTopics(Collection<UUID> topicIds, long deadlineNanos) {
        return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Map<String, ApiError>> createPartitions(List<PartitionIncrease> increases, boolean validateOnly,
            long deadlineNanos) {
        return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Map<ConfigResource, ApiError>> alterConfigs(Map<ConfigResource, ConfigChange> changes,
            boolean validateOnly, long deadlineNanos) {
        return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Map<TopicPartition, ApiError>> electLeaders(ElectionType type,
            Collection<TopicPartition> partitions, long deadlineNanos) {
        electedType = type;
        electedPartitions = partitions;
        return electResult;
    }

    @Override
    public CompletableFuture<Map<TopicPartition, ApiError>> alterPartitionReassignments(
            Map<TopicPartition, List<Integer>> targets, long deadlineNanos) {
        reassignTargets = targets;
        return reassignResult;
    }

    @Override
    public CompletableFuture<Void> registerBroker(int brokerId, String rack, List<Endpoint> endpoints) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<QuorumState> describeQuorum() {
        return quorum;
    }

    @Override
    public int activeControllerId() {
        return 3;
    }

    @Override
    public CompletableFuture<Long> allocateProducerIds(int count) {
        return new CompletableFuture<>();
    }

    @Override
    public void close() {
    }

    @Override
    public CompletableFuture<io.fjord.metadata.PartitionInfo> alterPartition(UUID topicId, int partition, int leaderId,
                                                                            int leaderEpoch, int partitionEpoch,
                                                                            List<Integer> newIsr) {
        // The handler tests on this store never change an ISR: failing loudly beats a future that never completes.
        return CompletableFuture.failedFuture(new IllegalStateException("StubStore takes no ISR changes"));
    }

    @Override
    public CompletableFuture<Void> controlledShutdown(int brokerId) {
        return CompletableFuture.failedFuture(new IllegalStateException("StubStore takes no controlled shutdown"));
    }
}
