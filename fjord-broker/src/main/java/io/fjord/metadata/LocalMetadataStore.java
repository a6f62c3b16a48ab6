package io.fjord.metadata;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigResource;
import io.fjord.controller.ControllerLogic;
import io.fjord.controller.ElectionType;
import io.fjord.controller.MetadataCommand;
import io.fjord.controller.QuorumState;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata store of a single node: the image lives in memory and in one file in the first log
 * directory, rewritten whole (atomically) on every change. Every change is a {@link MetadataCommand}
 * applied by {@link ControllerLogic}, the same decisions a controller quorum makes.
 *
 * <p>One writer thread applies changes in arrival order. It takes every change queued at the moment,
 * applies them one after the other, writes the resulting image once, tells the
 * listeners, publishes it, and only then completes the changes' futures: a burst of changes (say,
 * auto-created topics) shares one fsync, and nothing is acknowledged before it is on disk.
 */
public final class LocalMetadataStore implements MetadataStore {
    private static final Logger log = LoggerFactory.getLogger(LocalMetadataStore.class);

    private final MetadataSnapshotFile file;
    private final int nodeId;
    private final int defaultPartitions;
    private final short defaultReplicationFactor;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private final Pending<Void> stop = new Pending<>("stop", NO_DEADLINE, image -> null, new CompletableFuture<>());
    private Thread writer;
    private volatile MetadataImage image;
    private boolean closed;

    private LocalMetadataStore(MetadataSnapshotFile file, MetadataImage image, int nodeId, int defaultPartitions,
                               short defaultReplicationFactor) {
        this.file = file;
        this.image = image;
        this.nodeId = nodeId;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
    }

    /**
     * Loads the image stored in {@code dir} (empty when there is none yet). Changes are taken once
     * {@link #start()} is called, so listeners can be added in between.
     *
     * @param nodeId                   this node: the only controller, so always the active one
     * @param defaultPartitions        num.partitions, for topics created without a partition count
     * @param defaultReplicationFactor default.replication.factor, for topics created without one
     *
     * @throws IOException when a stored image exists but cannot be read
     */
    public static LocalMetadataStore open(Path dir, int nodeId, int defaultPartitions, short defaultReplicationFactor)
            throws IOException {
        MetadataSnapshotFile file = new MetadataSnapshotFile(dir);
        MetadataImage loaded = file.read();
        log.info("Loaded metadata image version {} from {}: {} topic(s)", loaded.version(), file.path(), loaded.topics().size());
        return new LocalMetadataStore(file, loaded, nodeId, defaultPartitions, defaultReplicationFactor);
    }

    public void start() {
        synchronized (lifecycle) {
            if (writer != null || closed) {
                throw new IllegalStateException("metadata store already started or closed");
            }
            writer = new Thread(this::run, "fjord-metadata-writer");
            writer.setDaemon(true);
            writer.start();
        }
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
        // Ids are drawn here, by the asking node, so that applying the command stays deterministic.
        List<UUID> ids = topics.stream().map(t -> TopicIds.random()).toList();
        MetadataCommand.CreateTopics command =
                new MetadataCommand.CreateTopics(topics, ids, defaultPartitions, defaultReplicationFactor);
        if (validateOnly) {
            return submit("createTopics", deadlineNanos,
                    current -> new ChangeResult<>(current, ControllerLogic.validateCreateTopics(current, command)));
        }
        return submit("createTopics", deadlineNanos, command);
    }

    @Override
    public CompletableFuture<Map<UUID, ApiError>> deleteTopics(Collection<UUID> topicIds, long deadlineNanos) {
        return submit("deleteTopics", deadlineNanos, new MetadataCommand.DeleteTopics(List.copyOf(topicIds)));
    }

    @Override
    public CompletableFuture<Map<String, ApiError>> createPartitions(List<PartitionIncrease> increases, boolean validateOnly,
                                                                     long deadlineNanos) {
        MetadataCommand.CreatePartitions command = new MetadataCommand.CreatePartitions(increases);
        if (validateOnly) {
            return submit("createPartitions", deadlineNanos,
                    current -> new ChangeResult<>(current, ControllerLogic.validateCreatePartitions(current, command)));
        }
        return submit("createPartitions", deadlineNanos, command);
    }

    @Override
    public CompletableFuture<Map<ConfigResource, ApiError>> alterConfigs(Map<ConfigResource, ConfigChange> changes,
                                                                         boolean validateOnly, long deadlineNanos) {
        MetadataCommand.AlterConfigs command = new MetadataCommand.AlterConfigs(changes);
        if (validateOnly) {
            return submit("alterConfigs", deadlineNanos,
                    current -> new ChangeResult<>(current, ControllerLogic.validateAlterConfigs(current, command)));
        }
        return submit("alterConfigs", deadlineNanos, command);
    }

    @Override
    public CompletableFuture<Long> allocateProducerIds(int count) {
        return submit("allocateProducerIds", NO_DEADLINE, new MetadataCommand.AllocateProducerIds(count));
    }

    @Override
    public CompletableFuture<Map<TopicPartition, ApiError>> electLeaders(ElectionType type, Collection<TopicPartition> partitions,
                                                                         long deadlineNanos) {
        return submit("electLeaders", deadlineNanos,
                new MetadataCommand.ElectLeaders(type, partitions == null ? null : List.copyOf(partitions)));
    }

    @Override
    public CompletableFuture<Map<TopicPartition, ApiError>> alterPartitionReassignments(Map<TopicPartition, List<Integer>> targets,
                                                                                        long deadlineNanos) {
        return submit("alterPartitionReassignments", deadlineNanos, new MetadataCommand.AlterReassignments(targets));
    }

    /**
     * RegisterBroker, then UnfenceBroker with the epoch it answered: the node is its own controller, so
     * it is caught up at once. Both are applied in one step, so listeners never see this node's
     * partitions without their leader in between (their leader epoch still rises, as after any restart).
     */
    @Override
    public CompletableFuture<Void> registerBroker(int brokerId, String rack, List<Endpoint> endpoints) {
        MetadataCommand.RegisterBroker register = new MetadataCommand.RegisterBroker(brokerId, UUID.randomUUID(), rack, endpoints);
        return submit("registerBroker", NO_DEADLINE, current -> {
            ChangeResult<?> registered = ControllerLogic.apply(current, register);
            long epoch = (Long) registered.response();
            ChangeResult<?> unfenced = ControllerLogic.apply(registered.image(),
                    new MetadataCommand.UnfenceBroker(brokerId, epoch));
            ApiError error = (ApiError) unfenced.response();
            if (error.isFailure()) {
                throw new ApiException(error.error(), error.message());
            }
            return new ChangeResult<Void>(unfenced.image(), null);
        });
    }

    @Override
    public CompletableFuture<PartitionInfo> alterPartition(UUID topicId, int partition, int leaderId, int leaderEpoch,
                                                           int partitionEpoch, List<Integer> newIsr) {
        return submit("alterPartition", NO_DEADLINE,
                new MetadataCommand.AlterPartition(topicId, partition, leaderId, leaderEpoch, partitionEpoch, newIsr));
    }

    /** With the epoch of the broker's registration in the image (this node registered it). */
    @Override
    public CompletableFuture<Void> controlledShutdown(int brokerId) {
        return submit("controlledShutdown", NO_DEADLINE, current -> {
            BrokerRegistration registration = current.broker(brokerId);
            if (registration == null) {
                throw new ApiException(Errors.BROKER_ID_NOT_REGISTERED, "Broker " + brokerId + " is not registered.");
            }
            ChangeResult<?> result = ControllerLogic.apply(current,
                    new MetadataCommand.ControlledShutdown(brokerId, registration.epoch()));
            ApiError error = (ApiError) result.response();
            if (error.isFailure()) {
                throw new ApiException(error.error(), error.message());
            }
            return new ChangeResult<Void>(result.image(), null);
        });
    }

    /** The quorum of a single node: this node is its only voter and always the leader. */
    @Override
    public CompletableFuture<QuorumState> describeQuorum() {
        long offset = image.version();
        long now = System.currentTimeMillis();
        QuorumState.Replica self = new QuorumState.Replica(nodeId, offset, now, now);
        return CompletableFuture.completedFuture(new QuorumState(nodeId, 1, offset, List.of(self), List.of()));
    }

    @Override
    public int activeControllerId() {
        return nodeId;
    }

    /** Queues {@code command}, applied by {@link ControllerLogic} like every node of a quorum would apply it. */
    private <T> CompletableFuture<T> submit(String name, long deadlineNanos, MetadataCommand command) {
        return submit(name, deadlineNanos, current -> {
            @SuppressWarnings("unchecked")
            ChangeResult<T> result = (ChangeResult<T>) ControllerLogic.apply(current, command);
            return result;
        });
    }

    private <T> CompletableFuture<T> submit(String name, long deadlineNanos, Function<MetadataImage, ChangeResult<T>> op) {
        Pending<T> pending = new Pending<>(name, deadlineNanos, op, new CompletableFuture<>());
        synchronized (lifecycle) {
            if (closed) {
                pending.future.completeExceptionally(shuttingDown());
            } else {
                queue.add(pending);
            }
        }
        return pending.future;
    }

    private static ApiException shuttingDown() {
        return new ApiException(Errors.REQUEST_TIMED_OUT, "The metadata store is shutting down.");
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(batch);
            int stopAt = batch.indexOf(stop);
            if (stopAt >= 0) {
                applyBatch(batch.subList(0, stopAt));
                break;
            }
            applyBatch(batch);
        }
    }

    private void applyBatch(List<Pending<?>> batch) {
        MetadataImage before = image;
        MetadataImage current = before;
        List<Runnable> completions = new ArrayList<>(batch.size());
        for (Pending<?> pending : batch) {
            if (pending.deadlineNanos != NO_DEADLINE && System.nanoTime() - pending.deadlineNanos > 0) {
                pending.future.completeExceptionally(new ApiException(Errors.REQUEST_TIMED_OUT,
                        "The request timed out before the metadata change " + pending.name + " was started."));
                continue;
            }
            try {
                ChangeResult<?> result = pending.op.apply(current);
                current = result.image();
                completions.add(pending.completion(result.response()));
            } catch (ApiException e) {
                pending.future.completeExceptionally(e);
            } catch (RuntimeException | AssertionError e) {
                log.error("Metadata change {} failed", pending.name, e);
                pending.future.completeExceptionally(new ApiException(Errors.UNKNOWN_SERVER_ERROR, e.toString()));
            }
        }
        if (current != before) {
            try {
                file.write(current);
            } catch (IOException e) {
                log.error("Could not store metadata image version {} in {}; {} change(s) fail", current.version(),
                        file.path(), completions.size(), e);
                for (Pending<?> pending : batch) {
                    pending.future.completeExceptionally(new ApiException(Errors.UNKNOWN_SERVER_ERROR,
                            "Could not store the metadata change: " + e.getMessage()));
                }
                return;
            }
            // Listeners first: by the time a client can see a new topic, its partitions are open.
            for (MetadataListener listener : listeners) {
                try {
                    listener.onImage(before, current);
                } catch (RuntimeException | AssertionError e) {
                    // The change is durable already; one failing listener must not stop the others or the writer.
                    log.error("Metadata listener {} failed on image version {}", listener, current.version(), e);
                }
            }
            image = current;
        }
        completions.forEach(Runnable::run);
    }

    /** Stops the writer after the changes already queued; later ones fail. */
    @Override
    public void close() {
        Thread toJoin;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            toJoin = writer;
            queue.add(stop);
        }
        if (toJoin != null) {
            try {
                toJoin.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Pending<?> left;
        while ((left = queue.poll()) != null) {
            left.future.completeExceptionally(shuttingDown());
        }
    }

    /** A queued change and the future of whoever asked for it. */
    private record Pending<T>(String name, long deadlineNanos, Function<MetadataImage, ChangeResult<T>> op,
                              CompletableFuture<T> future) {
        Runnable completion(Object response) {
            @SuppressWarnings("unchecked")
            T typed = (T) response;
            return () -> future.complete(typed);
        }
    }
}
