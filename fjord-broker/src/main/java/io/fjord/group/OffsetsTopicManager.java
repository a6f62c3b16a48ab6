package io.fjord.group;

import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicSpec;
import io.fjord.partition.PartitionLookup;
import io.fjord.protocol.Errors;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can coordinate a group yet, and what it takes to get there, as Kafka does it:
 * {@code __consumer_offsets} is created on first need (the first FindCoordinator for a group), never at
 * startup; a partition's records are loaded into the coordinator, on its thread, before its groups are
 * served. Until then FindCoordinator answers COORDINATOR_NOT_AVAILABLE, which clients retry.
 */
public final class OffsetsTopicManager implements FindCoordinatorHandler.CoordinatorGate {
    private static final Logger log = LoggerFactory.getLogger(OffsetsTopicManager.class);
    private static final long CREATE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final MetadataStore store;
    private final PartitionLookup partitions;
    private final GroupCoordinator coordinator;
    private final OffsetsTopicLog topicLog;
    private final OffsetsTopicConfig config;
    private final IntSupplier liveBrokers;
    private final AtomicBoolean creating = new AtomicBoolean();
    private final Set<Integer> loading = ConcurrentHashMap.newKeySet();
    private final Set<Integer> loaded = ConcurrentHashMap.newKeySet();

    public OffsetsTopicManager(MetadataStore store, PartitionLookup partitions, GroupCoordinator coordinator,
            OffsetsTopicLog topicLog, OffsetsTopicConfig config, IntSupplier liveBrokers) {
        this.store = store;
        this.partitions = partitions;
        this.coordinator = coordinator;
        this.topicLog = topicLog;
        this.config = config;
        this.liveBrokers = liveBrokers;
    }

    /** The topic's partition count, 0 while it does not exist. */
    public static int partitionCount(MetadataStore store) {
        TopicInfo topic = store.image().topic(OffsetsTopic.NAME);
        return topic == null ? 0 : topic.partitions().size();
    }

    /**
     * Queues the loading of every partition of the topic held here on the coordinator thread; returns at
     * once (startup must not wait for it). Requests queued behind it on that thread see the loaded state.
     */
    public void loadExisting() {
        int n = partitionCount(store);
        for (int p = 0; p < n; p++) {
            if (partitions.partition(OffsetsTopic.NAME, p) != null) {
                ensureLoaded(p);
            }
        }
    }

    @Override
    public Errors groupCoordinatorError(String groupId) {
        return availability(groupId, Errors.COORDINATOR_NOT_AVAILABLE);
    }

    /**
     * What a group API answers for {@code groupId} (NONE when it can be served), as Kafka's coordinator
     * does: COORDINATOR_NOT_AVAILABLE while the topic or partition is missing (and the topic is then
     * asked for), COORDINATOR_LOAD_IN_PROGRESS while the partition is being loaded.
     */
    public Errors groupApiError(String groupId) {
        return availability(groupId, Errors.COORDINATOR_LOAD_IN_PROGRESS);
    }

    /** NONE when {@code groupId}'s partition is loaded; otherwise starts what is missing and says why. */
    private Errors availability(String groupId, Errors whileLoading) {
        int n = partitionCount(store);
        if (n == 0) {
            createTopic();
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        int p = OffsetsTopic.partitionFor(groupId, n);
        if (partitions.partition(OffsetsTopic.NAME, p) == null) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (!loaded.contains(p)) {
            // Kafka loads every partition it leads, not just the one asked for: a group in another
            // partition must be answered as unknown, not as loading.
            loadExisting();
            return whileLoading;
        }
        return Errors.NONE;
    }

    private void ensureLoaded(int p) {
        if (!loading.add(p)) {
            return;
        }
        coordinator.execute(() -> {
            long begin = System.nanoTime();
            try {
                OffsetsPartitionState state = topicLog.replay(p);
                coordinator.loadPartition(state);
                loaded.add(p);
                if (!state.groups().isEmpty() || !state.offsets().isEmpty()) {
                    log.info("Loaded {}-{}: {} group(s), offsets of {} group(s) in {} ms", OffsetsTopic.NAME, p,
                            state.groups().size(), state.offsets().size(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
                }
            } catch (RuntimeException e) {
                loading.remove(p);
                log.error("Cannot load {}-{}; its groups stay unavailable until a retry", OffsetsTopic.NAME, p, e);
            }
        });
    }

    /** Asks the metadata store for the topic, once at a time; FindCoordinator is answered without waiting. */
    private void createTopic() {
        if (!creating.compareAndSet(false, true)) {
            return;
        }
        int brokers = Math.max(1, liveBrokers.getAsInt());
        short rf = config.replicationFactor();
        if (rf > brokers) {
            log.warn("{} wants replication factor {} ({}) but only {} broker(s) are alive; creating it with {}",
                    OffsetsTopic.NAME, rf, OffsetsTopicConfig.REPLICATION_FACTOR, brokers, brokers);
            rf = (short) brokers;
        }
        TopicSpec spec = new TopicSpec(OffsetsTopic.NAME, config.numPartitions(), rf, List.of(), Map.of(
                "cleanup.policy", "compact",
                "segment.bytes", Integer.toString(config.segmentBytes()),
                "compression.type", "producer"));
        store.createTopics(List.of(spec), false, System.nanoTime() + CREATE_TIMEOUT_NANOS)
                .whenComplete((results, failure) -> {
                    creating.set(false);
                    if (failure != null) {
                        log.warn("Creating {} failed: {}", OffsetsTopic.NAME, failure.toString());
                    } else if (results.get(0).error().isFailure()
                            && results.get(0).error().error() != Errors.TOPIC_ALREADY_EXISTS) {
                        log.warn("Creating {} failed: {} {}", OffsetsTopic.NAME, results.get(0).error().error(),
                                results.get(0).error().messageOrDefault());
                    } else if (results.get(0).error().isSuccess()) {
                        log.info("Created {} with {} partition(s), replication factor {}", OffsetsTopic.NAME,
                                results.get(0).numPartitions(), results.get(0).replicationFactor());
                    }
                });
    }
}
