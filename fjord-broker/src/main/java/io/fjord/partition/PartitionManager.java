package io.fjord.partition;

import io.fjord.config.ConfigResolver;
import io.fjord.log.Log;
import io.fjord.log.LogFlusher;
import io.fjord.log.LogRetention;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataListener;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.replication.FollowerTargets;
import io.fjord.replication.ReplicationSettings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this node holds, kept in step with the metadata image: it opens a log for every
 * partition placed on this node (recovering logs an unclean stop left behind), applies config changes
 * to live partitions, and closes and deletes the logs of deleted topics: their directories are renamed
 * to {@code <topic>-<partition>.<uuid>-delete} at once and removed after {@code file.delete.delay.ms},
 * as Kafka does. It also runs retention and the background flusher for all its logs.
 *
 * <p>Threads: images arrive on the metadata store's writer thread, one at a time; lookups come from
 * any thread and read an immutable snapshot of the partition maps.
 */
public final class PartitionManager implements PartitionLookup, MetadataListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionManager.class);
    /**
     * Threads that open logs at startup. Opening is bound by fsync latency rather than CPU, and the
     * file system commits concurrent fsyncs together, so this is more than a small machine's cores.
     */
    private static final int STARTUP_OPEN_THREADS = 8;
    /** Fewer than this many partitions per thread are opened on the calling thread: a hand-off costs more. */
    private static final int MIN_PARTITIONS_PER_OPENER = 32;

    private final Path logDir;
    private final int nodeId;
    private final ConfigResolver resolver;
    private final LogFlusher flusher;
    private final ScheduledExecutorService scheduler;
    private final LogRetention retention;
    private final long retentionCheckIntervalMs;
    private final Object lock = new Object();
    /** Partitions by topic id, indexed by partition number (null where this node holds none). */
    private volatile Map<UUID, Partition[]> byId = Map.of();
    private volatile Map<String, Partition[]> byName = Map.of();
    private boolean closed;
    /** High watermarks as last written to {@code replication-offset-checkpoint}, read at startup. */
    private final HighWatermarks highWatermarks;
    /** Set once {@link #startup} has opened the partitions: from then on new followers are handed to the fetchers at once. */
    private volatile boolean started;
    /** Whether the image being applied created a partition directory (set by the openers). */
    private final AtomicBoolean createdDirs = new AtomicBoolean();
    private final PartitionOpeners openers = new PartitionOpeners();
    /** How partitions replicate: set before {@link #startup}; a node alone never changes an ISR. */
    private volatile ReplicationSettings replication;
    /** The follower fetchers; none until the node wires them (and on a node that leads everything). */
    private volatile FollowerTargets followerTargets = FollowerTargets.NONE;

    /**
     * @param logDir                   where partition directories live (the node's first log directory)
     * @param retentionCheckIntervalMs {@code log.retention.check.interval.ms}
     * @param checkpointIntervalMs     {@code log.flush.offset.checkpoint.interval.ms}
     */
    public PartitionManager(Path logDir, int nodeId, ConfigResolver resolver, long retentionCheckIntervalMs,
                            long checkpointIntervalMs) {
        this.logDir = logDir;
        this.nodeId = nodeId;
        this.resolver = resolver;
        this.retentionCheckIntervalMs = retentionCheckIntervalMs;
        this.flusher = new LogFlusher("fjord-log-flusher", checkpointIntervalMs, System::currentTimeMillis);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fjord-log-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.retention = new LogRetention(this::logs, System::currentTimeMillis);
        this.replication = ReplicationSettings.alone(nodeId);
        this.highWatermarks = new HighWatermarks(logDir);
    }

    /** Where ISR changes go and how long a follower may lag; call before {@link #startup}. */
    public void setReplication(ReplicationSettings settings) {
        this.replication = settings;
    }

    /** {@code replica.high.watermark.checkpoint.interval.ms}; call before {@link #startup}. */
    public void setHighWatermarkCheckpointIntervalMs(long intervalMs) {
        highWatermarks.intervalMs(intervalMs);
    }

    /** The follower fetchers, told which partitions to fetch from which leader; call before {@link #startup}. */
    public void setFollowerTargets(FollowerTargets targets) {
        this.followerTargets = targets;
    }

    /**
     * Opens the partitions of {@code image} that live here, finishes deletions an earlier run left
     * undone, and sets aside (renames to {@code -stray}, keeping the data) directories of partitions
     * the metadata does not know. Then starts retention.
     */
    public void startup(MetadataImage image) {
        synchronized (lock) {
            long begin = System.nanoTime();
            cleanUpLeftovers(image);
            highWatermarks.load();
            openAtStartup(image);
            retention.schedule(scheduler, retentionCheckIntervalMs);
            scheduleIsrChecks();
            highWatermarks.schedule(scheduler, this::partitions);
            started = true;
            for (Partition p : partitions()) {
                if (!p.isLeader() && p.leaderId() >= 0) {
                    followerTargets.follow(p, p.leaderId(), p.leaderEpoch());
                }
            }
            log.info("Opened {} partition(s) in {} in {} ms", logs().size(), logDir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        }
    }

    /**
     * What {@code apply(EMPTY, image)} does, with the logs opened on several threads: opening one is
     * mostly waiting for fsyncs (and after an unclean stop, scanning its tail), so a node with many
     * partitions (the 50 of {@code __consumer_offsets} alone) would otherwise spend its start waiting on
     * them one by one. Every open, recovery included, is finished before the partitions are published.
     */
    private void openAtStartup(MetadataImage image) {
        record Pending(TopicImage topic, Partition[] slots, PartitionInfo info, PartitionConfig config) {
        }
        List<Pending> pending = new ArrayList<>();
        Map<UUID, Partition[]> ids = new HashMap<>();
        createdDirs.set(false);
        for (TopicImage topic : image.topicImages()) {
            List<PartitionInfo> infos = topic.info().partitions();
            Partition[] slots = new Partition[infos.size()];
            ids.put(topic.id(), slots);
            PartitionConfig config = null;
            for (PartitionInfo info : infos) {
                if (info.replicas().contains(nodeId)) {
                    if (config == null) {
                        config = configOf(topic, image);
                    }
                    pending.add(new Pending(topic, slots, info, config));
                }
            }
        }
        int threads = Math.min(pending.size(), STARTUP_OPEN_THREADS);
        if (threads <= 1) {
            for (Pending p : pending) {
                p.slots()[p.info().partition()] = open(p.topic(), p.info(), p.config());
            }
        } else {
            AtomicInteger next = new AtomicInteger();
            Runnable opener = () -> {
                for (int i = next.getAndIncrement(); i < pending.size(); i = next.getAndIncrement()) {
                    Pending p = pending.get(i);
                    p.slots()[p.info().partition()] = open(p.topic(), p.info(), p.config());
                }
            };
            List<Thread> workers = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                workers.add(Thread.ofPlatform().name("fjord-log-loader-" + i).daemon().start(opener));
            }
            boolean interrupted = false;
            for (Thread worker : workers) {
                // join() gives the slots the workers filled a happens-before edge to the maps built below.
                while (true) {
                    try {
                        worker.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // the opens run to the end either way: a half-opened log must not leak
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, Partition[]> names = new HashMap<>();
        for (TopicImage topic : image.topicImages()) {
            names.put(topic.name(), ids.get(topic.id()));
        }
        if (createdDirs.get()) {
            syncNewDirs();
        }
        byId = Map.copyOf(ids);
        byName = Map.copyOf(names);
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        synchronized (lock) {
            if (!closed) {
                apply(previous, current);
            }
        }
    }

    @Override
    public Partition partition(String topic, int partition) {
        return pick(byName.get(topic), partition);
    }

    @Override
    public Partition partition(UUID topicId, int partition) {
        return pick(byId.get(topicId), partition);
    }

    private static Partition pick(Partition[] partitions, int index) {
        return partitions == null || index < 0 || index >= partitions.length ? null : partitions[index];
    }

    /** Every partition held here. */
    public List<Partition> partitions() {
        List<Partition> out = new ArrayList<>();
        for (Partition[] topic : byId.values()) {
            for (Partition p : topic) {
                if (p != null) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private List<Log> logs() {
        return partitions().stream().map(Partition::log).toList();
    }

    // ---- applying images ----

    private void apply(MetadataImage previous, MetadataImage current) {
        Map<UUID, Partition[]> ids = new HashMap<>(byId);
        for (TopicImage old : previous.topicImages()) {
            if (current.topicImage(old.id()) == null) {
                Partition[] gone = ids.remove(old.id());
                if (gone != null) {
                    deleteAll(gone);
                }
            }
        }
        boolean brokerConfigsChanged = !previous.brokerLayers(nodeId).equals(current.brokerLayers(nodeId));
        createdDirs.set(false);
        for (TopicImage topic : current.topicImages()) {
            TopicImage before = previous.topicImage(topic.id());
            Partition[] open = ids.get(topic.id());
            if (before == topic && !brokerConfigsChanged && open != null) {
                continue; // untouched by this change: images share unchanged topics
            }
            boolean reconfigure = before != null
                    && (brokerConfigsChanged || !before.configs().equals(topic.configs()));
            ids.put(topic.id(), update(topic, open, current, reconfigure));
        }
        Map<String, Partition[]> names = new HashMap<>();
        for (TopicImage topic : current.topicImages()) {
            names.put(topic.name(), ids.get(topic.id()));
        }
        if (createdDirs.get()) {
            syncNewDirs();
        }
        byId = Map.copyOf(ids);
        byName = Map.copyOf(names);
    }

    /**
     * One fsync of the log directory makes every partition directory created by this image durable,
     * so a log that fsyncs its own directory before reporting offsets durable is reachable after a
     * crash. The logs themselves skip all fsyncs while new and empty.
     */
    private void syncNewDirs() {
        try {
            PartitionDirs.fsyncDir(logDir);
        } catch (IOException e) {
            // Not fatal: the topic is in the metadata image and a lost directory is created again on open.
            log.warn("Could not fsync {} after creating partition directories", logDir, e);
        }
    }

    /** The topic's partitions after opening those new to this node and applying changed configs. */
    private Partition[] update(TopicImage topic, Partition[] open, MetadataImage image, boolean reconfigure) {
        List<PartitionInfo> infos = topic.info().partitions();
        Partition[] next = new Partition[infos.size()];
        if (open != null) {
            System.arraycopy(open, 0, next, 0, Math.min(open.length, next.length));
        }
        PartitionConfig config = null;
        List<PartitionInfo> toOpen = new ArrayList<>();
        for (PartitionInfo info : infos) {
            Partition existing = next[info.partition()];
            if (existing != null) {
                // Leadership and the ISR move with every image that touches the topic (election, fencing,
                // ISR changes, reassignment); the fetchers follow the leadership.
                tellFetchers(existing, existing.applyState(info));
            }
            if (!info.replicas().contains(nodeId) || (existing != null && !reconfigure)) {
                continue;
            }
            if (config == null) {
                config = configOf(topic, image);
            }
            if (existing == null) {
                toOpen.add(info);
            } else if (!existing.config().equals(config)) {
                existing.updateConfig(config);
            }
        }
        openAll(topic, toOpen, config, next);
        return next;
    }

    /**
     * Opens {@code infos} into {@code into}. Many at once (a new topic of many partitions, or a start)
     * are spread over a few threads: opening is mostly small file system calls, and the metadata
     * writer waits for all of them before the change is answered.
     */
    private void openAll(TopicImage topic, List<PartitionInfo> infos, PartitionConfig config, Partition[] into) {
        // The calling thread takes a share too.
        int chunks = Math.min(openers.threads() + 1, infos.size() / MIN_PARTITIONS_PER_OPENER);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 1; c < chunks; c++) {
            List<PartitionInfo> chunk = infos.subList(infos.size() * c / chunks, infos.size() * (c + 1) / chunks);
            running.add(openers.submit(() -> openEach(topic, chunk, config, into)));
        }
        openEach(topic, chunks <= 1 ? infos : infos.subList(0, infos.size() / chunks), config, into);
        for (Future<?> f : running) {
            openers.await(f);
        }
    }

    private void openEach(TopicImage topic, List<PartitionInfo> infos, PartitionConfig config, Partition[] into) {
        for (PartitionInfo info : infos) {
            into[info.partition()] = open(topic, info, config);
        }
    }

    private PartitionConfig configOf(TopicImage topic, MetadataImage image) {
        return PartitionConfigs.from(resolver.effectiveTopicConfig(topic.configs(), image.brokerLayers(nodeId)));
    }

    private Partition open(TopicImage topic, PartitionInfo info, PartitionConfig config) {
        TopicPartition tp = new TopicPartition(topic.name(), info.partition());
        Path dir = logDir.resolve(PartitionDirs.dirName(tp));
        try {
            boolean exists = Files.isDirectory(dir);
            UUID onDisk = exists ? PartitionDirs.readTopicId(dir) : null;
            if (onDisk != null && !onDisk.equals(topic.id())) {
                // Left by an earlier topic of the same name whose deletion did not finish.
                scheduleDelete(PartitionDirs.retire(dir, tp, PartitionDirs.DELETE_SUFFIX), 0);
                exists = false;
            }
            if (!exists) {
                Files.createDirectories(dir);
                createdDirs.set(true);
            }
            if (!topic.id().equals(onDisk)) {
                PartitionDirs.writeTopicId(dir, topic.id());
            }
            Log partitionLog = exists ? Log.open(dir, config.log(), flusher) : Log.create(dir, config.log(), flusher);
            Partition partition = new Partition(tp, topic.id(), partitionLog, config, info,
                    highWatermarks.checkpointed(tp), replication);
            if (started) {
                tellFetchers(partition, partition.leaderId() < 0 || partition.isLeader() ? Partition.RoleChange.NONE
                        : Partition.RoleChange.FOLLOWER);
            }
            return partition;
        } catch (IOException | RuntimeException e) {
            log.error("Could not open partition {}; it stays offline", tp, e);
            return null;
        }
    }

    private void deleteAll(Partition[] partitions) {
        for (Partition p : partitions) {
            if (p == null) {
                continue;
            }
            TopicPartition tp = p.topicPartition();
            followerTargets.unfollow(p);
            try {
                p.close();
                Path retired = PartitionDirs.retire(p.log().dir(), tp, PartitionDirs.DELETE_SUFFIX);
                scheduleDelete(retired, p.config().log().fileDeleteDelayMs());
                log.info("Deleted partition {} (files in {})", tp, retired.getFileName());
            } catch (IOException | RuntimeException e) {
                log.error("Could not delete partition {}", tp, e);
            }
        }
    }

    private void scheduleDelete(Path dir, long delayMs) {
        scheduler.schedule(() -> {
            try {
                PartitionDirs.deleteRecursively(dir);
            } catch (IOException e) {
                log.warn("Could not remove {}; the next start tries again", dir, e);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private void tellFetchers(Partition partition, Partition.RoleChange change) {
        switch (change) {
            case FOLLOWER -> followerTargets.follow(partition, partition.leaderId(), partition.leaderEpoch());
            case BECAME_LEADER, NO_LEADER -> followerTargets.unfollow(partition);
            case NONE -> {
            }
        }
    }

    /** Leaders drop followers that lag for replica.lag.time.max.ms; checked at half that period, as Kafka does. */
    private void scheduleIsrChecks() {
        long period = Math.max(1, replication.replicaLagTimeMaxMs() / 2);
        scheduler.scheduleWithFixedDelay(() -> {
            for (Partition p : partitions()) {
                try {
                    p.maybeShrinkIsr();
                } catch (RuntimeException e) {
                    log.warn("ISR check of {} failed", p.topicPartition(), e);
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Deletions an earlier run left undone, and directories the metadata does not account for. */
    private void cleanUpLeftovers(MetadataImage image) {
        if (!Files.isDirectory(logDir)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(logDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.endsWith(PartitionDirs.DELETE_SUFFIX)) {
                    scheduleDelete(dir, 0);
                    continue;
                }
                TopicPartition tp = PartitionDirs.parse(name);
                if (tp == null || holds(image, tp)) {
                    continue;
                }
                Path stray = PartitionDirs.retire(dir, tp, PartitionDirs.STRAY_SUFFIX);
                log.warn("Partition directory {} belongs to no partition in the metadata; kept as {}", name,
                        stray.getFileName());
            }
        } catch (IOException e) {
            log.error("Could not scan {} for leftover partition directories", logDir, e);
        }
    }

    private boolean holds(MetadataImage image, TopicPartition tp) {
        TopicImage topic = image.topicImage(tp.topic());
        if (topic == null || tp.partition() >= topic.partitionCount()) {
            return false;
        }
        return topic.info().partitions().get(tp.partition()).replicas().contains(nodeId);
    }

    /** Closes every partition cleanly (each log leaves its clean-shutdown marker), then the background threads. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            retention.close();
            highWatermarks.write(partitions());
            for (Partition p : partitions()) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    log.error("Could not close partition {} cleanly", p.topicPartition(), e);
                }
            }
            byId = Map.of();
            byName = Map.of();
        }
        flusher.close();
        scheduler.shutdownNow();
        openers.close();
    }
}
