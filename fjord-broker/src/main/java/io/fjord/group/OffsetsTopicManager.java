package io.fjord.group;

import io.fjord.metadata.LocalMetadataStore;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataListener;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.TopicImage;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicSpec;
import io.fjord.partition.Partition;
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
 *
 * <p>Only the partitions this node leads are served: one is loaded when a metadata image makes this
 * node its leader, and unloaded (its groups dropped from memory, nothing written) when an image gives
 * it to another broker, as Kafka's coordinator follows leadership (onElection / onResignation). Groups
 * of a partition not led here get NOT_COORDINATOR, which sends clients back to FindCoordinator.
 */
public final class OffsetsTopicManager implements FindCoordinatorHandler.CoordinatorGate, MetadataListener {
    private static final Logger log = LoggerFactory.getLogger(OffsetsTopicManager.class);
    private static final long CREATE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final MetadataStore store;
    private final PartitionLookup partitions;
    private final GroupCoordinator coordinator;
    private final OffsetsTopicLog topicLog;
    private final OffsetsTopicConfig config;
    private final IntSupplier liveBrokers;
    private final AtomicBoolean creating = new AtomicBoolean();
    /** Whether the wait for enough brokers was logged (once, not on every FindCoordinator). */
    private final AtomicBoolean waitingForBrokers = new AtomicBoolean();
    private final Set<Integer> loading = ConcurrentHashMap.newKeySet();
    private final Set<Integer> loaded = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean listening = new AtomicBoolean();
    /** The version of the newest image reconciled; read and written on the coordinator thread only. */
    private long reconciledVersion = -1;

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
        if (listening.compareAndSet(false, true)) {
            // From here on every image that touches the topic reconciles leadership; the image read
            // below covers what came before (an older image queued later is skipped by its version).
            store.addListener(this);
        }
        MetadataImage image = store.image();
        coordinator.execute(() -> reconcile(image));
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        // Images share unchanged topics: the same object means no leader of the topic moved.
        TopicImage before = previous.topicImage(OffsetsTopic.NAME);
        TopicImage after = current.topicImage(OffsetsTopic.NAME);
        if (before != after) {
            coordinator.execute(() -> reconcile(current));
        }
    }

    /**
     * On the coordinator thread: loads the partitions this node leads and has not loaded, and unloads
     * those it no longer leads. Leadership is read from the partitions (which follow every image before
     * this listener is told), the partition count from {@code image}.
     */
    private void reconcile(MetadataImage image) {
        if (image.version() < reconciledVersion) {
            return;
        }
        reconciledVersion = image.version();
        TopicImage topic = image.topicImage(OffsetsTopic.NAME);
        int n = topic == null ? 0 : topic.partitionCount();
        for (int p = 0; p < n; p++) {
            if (ledHere(p)) {
                ensureLoaded(p);
            } else if (loading.contains(p)) {
                unload(p, n);
            }
        }
        for (Integer p : Set.copyOf(loading)) {
            if (p >= n) {
                unload(p, n);
            }
        }
    }

    private boolean ledHere(int p) {
        Partition partition = partitions.partition(OffsetsTopic.NAME, p);
        return partition != null && partition.isLeader();
    }

    /** Drops the groups of partition {@code p} from memory; on the coordinator thread. */
    private void unload(int p, int partitionCount) {
        loaded.remove(p);
        loading.remove(p);
        int dropped = coordinator.unloadGroups(groupId -> partitionCount > 0
                ? OffsetsTopic.partitionFor(groupId, partitionCount) == p : true);
        log.info("Unloaded {}-{}: this node no longer leads it; {} group(s) dropped", OffsetsTopic.NAME, p, dropped);
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
        Partition partition = partitions.partition(OffsetsTopic.NAME, p);
        if (partition == null) {
            // No replica here of a partition the metadata has: another broker leads it (or none does, and
            // FindCoordinator says so). Partitions are opened before the image that has them is published.
            return inImage(p) ? Errors.NOT_COORDINATOR : Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (!partition.isLeader()) {
            return Errors.NOT_COORDINATOR;
        }
        if (!loaded.contains(p)) {
            // Kafka loads every partition it leads, not just the one asked for: a group in another
            // partition must be answered as unknown, not as loading.
            loadLedPartitions();
            return whileLoading;
        }
        return Errors.NONE;
    }

    /** Whether the latest image has partition {@code p} of the topic. */
    private boolean inImage(int p) {
        TopicInfo topic = store.image().topic(OffsetsTopic.NAME);
        return topic != null && p < topic.partitions().size();
    }

    /** Queues the loading of every partition this node leads that is not loaded or loading. */
    private void loadLedPartitions() {
        int n = partitionCount(store);
        for (int p = 0; p < n; p++) {
            if (ledHere(p)) {
                ensureLoaded(p);
            }
        }
    }

    private void ensureLoaded(int p) {
        if (!loading.add(p)) {
            return;
        }
        coordinator.execute(() -> {
            if (!loading.contains(p) || loaded.contains(p)) {
                return; // unloaded before its turn came, or loaded by an earlier task
            }
            if (!ledHere(p)) {
                // Asked for by a request that saw this node lead just before an image moved the leader.
                loading.remove(p);
                return;
            }
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

    /**
     * Asks the metadata store for the topic, once at a time; FindCoordinator is answered without waiting.
     * In a cluster (a controller quorum decides) the topic waits, as in Kafka, until
     * offsets.topic.replication.factor brokers are alive: created earlier with fewer replicas it would
     * keep that replication factor for good. A single node without a quorum (LocalMetadataStore) can
     * never have more brokers, so there the factor is capped at the live brokers instead, which lets the
     * default of 3 work on one node.
     */
    private void createTopic() {
        int brokers = Math.max(1, liveBrokers.getAsInt());
        short rf = config.replicationFactor();
        boolean quorum = !(store instanceof LocalMetadataStore);
        if (quorum && rf > brokers) {
            if (!waitingForBrokers.getAndSet(true)) {
                log.warn("{} waits for {} alive broker(s) ({}); {} alive: group coordinators are not available until then",
                        OffsetsTopic.NAME, rf, OffsetsTopicConfig.REPLICATION_FACTOR, brokers);
            }
            return;
        }
        if (!creating.compareAndSet(false, true)) {
            return;
        }
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
