package io.fjord.metadata;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigResource;
import io.fjord.protocol.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
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
 * directory, rewritten whole (atomically) on every change.
 *
 * <p>One writer thread applies changes in arrival order. It takes every change queued at the moment,
 * applies them one after the other, writes the resulting image once, tells the
 * listeners, publishes it, and only then completes the changes' futures: a burst of changes (say,
 * auto-created topics) shares one fsync, and nothing is acknowledged before it is on disk.
 */
public final class LocalMetadataStore implements MetadataStore {
    private static final Logger log = LoggerFactory.getLogger(LocalMetadataStore.class);

    private final MetadataSnapshotFile file;
    private final Placement placement;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private final Pending<Void> stop = new Pending<>("stop", NO_DEADLINE, image -> null, new CompletableFuture<>());
    private Thread writer;
    private volatile MetadataImage image;
    private boolean closed;

    private LocalMetadataStore(MetadataSnapshotFile file, MetadataImage image, Placement placement) {
        this.file = file;
        this.image = image;
        this.placement = placement;
    }

    /**
     * Loads the image stored in {@code dir} (empty when there is none yet). Changes are taken once
     * {@link #start()} is called, so listeners can be added in between.
     *
     * @throws IOException when a stored image exists but cannot be read
     */
    public static LocalMetadataStore open(Path dir, Placement placement) throws IOException {
        MetadataSnapshotFile file = new MetadataSnapshotFile(dir);
        MetadataImage loaded = file.read();
        log.info("Loaded metadata image version {} from {}: {} topic(s)", loaded.version(), file.path(), loaded.topics().size());
        return new LocalMetadataStore(file, loaded, placement);
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
        List<TopicSpec> copy = List.copyOf(topics);
        return submit("createTopics", deadlineNanos,
                current -> TopicOperations.createTopics(current, copy, validateOnly, placement));
    }

    @Override
    public CompletableFuture<Map<UUID, ApiError>> deleteTopics(Collection<UUID> topicIds, long deadlineNanos) {
        List<UUID> copy = List.copyOf(topicIds);
        return submit("deleteTopics", deadlineNanos, current -> TopicOperations.deleteTopics(current, copy));
    }

    @Override
    public CompletableFuture<Map<String, ApiError>> createPartitions(List<PartitionIncrease> increases, boolean validateOnly,
                                                                     long deadlineNanos) {
        List<PartitionIncrease> copy = List.copyOf(increases);
        return submit("createPartitions", deadlineNanos,
                current -> TopicOperations.createPartitions(current, copy, validateOnly, placement));
    }

    @Override
    public CompletableFuture<Map<ConfigResource, ApiError>> alterConfigs(Map<ConfigResource, ConfigChange> changes,
                                                                         boolean validateOnly, long deadlineNanos) {
        Map<ConfigResource, ConfigChange> copy = new LinkedHashMap<>(changes);
        return submit("alterConfigs", deadlineNanos, current -> ConfigOperations.alterConfigs(current, copy, validateOnly));
    }

    @Override
    public CompletableFuture<Long> allocateProducerIds(int count) {
        return submit("allocateProducerIds", NO_DEADLINE, current -> {
            if (count <= 0) {
                throw new ApiException(Errors.INVALID_REQUEST, "cannot allocate " + count + " producer ids");
            }
            long first = current.nextProducerId();
            if (first > Long.MAX_VALUE - count) {
                throw new ApiException(Errors.UNKNOWN_SERVER_ERROR, "producer ids exhausted");
            }
            return new ChangeResult<>(current.toBuilder().nextProducerId(first + count).build(), first);
        });
    }

    @Override
    public CompletableFuture<Map<io.fjord.partition.TopicPartition, ApiError>> electLeaders(
            io.fjord.controller.ElectionType type, Collection<io.fjord.partition.TopicPartition> partitions, long deadlineNanos) {
        // SKELETON: ControllerLogic takes this over.
        return CompletableFuture.failedFuture(new ApiException(Errors.UNSUPPORTED_VERSION, "not yet"));
    }

    @Override
    public CompletableFuture<Map<io.fjord.partition.TopicPartition, ApiError>> alterPartitionReassignments(
            Map<io.fjord.partition.TopicPartition, List<Integer>> targets, long deadlineNanos) {
        // SKELETON: ControllerLogic takes this over.
        return CompletableFuture.failedFuture(new ApiException(Errors.UNSUPPORTED_VERSION, "not yet"));
    }

    @Override
    public CompletableFuture<Void> registerBroker(int brokerId, String rack, List<io.fjord.network.Endpoint> endpoints) {
        // SKELETON: a RegisterBroker + UnfenceBroker through ControllerLogic.
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<io.fjord.controller.QuorumState> describeQuorum() {
        // SKELETON
        return CompletableFuture.failedFuture(new ApiException(Errors.UNSUPPORTED_VERSION, "not yet"));
    }

    @Override
    public int activeControllerId() {
        return -1; // SKELETON
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
