package io.fjord.server;

import io.fjord.api.ApiRegistry;
import io.fjord.api.DescribeClusterHandler;
import io.fjord.api.DescribeQuorumHandler;
import io.fjord.api.MetadataHandler;
import io.fjord.api.config.AlterConfigsHandler;
import io.fjord.api.config.DescribeConfigsHandler;
import io.fjord.api.config.IncrementalAlterConfigsHandler;
import io.fjord.api.partition.AlterPartitionReassignmentsHandler;
import io.fjord.api.partition.ElectLeadersHandler;
import io.fjord.api.partition.ListPartitionReassignmentsHandler;
import io.fjord.api.topic.CreatePartitionsHandler;
import io.fjord.api.topic.CreateTopicsHandler;
import io.fjord.api.topic.DeleteTopicsHandler;
import io.fjord.api.topic.DescribeTopicPartitionsHandler;
import io.fjord.config.ConfigResolver;
import io.fjord.fetch.FetchHandler;
import io.fjord.fetch.FetchSessionCache;
import io.fjord.group.DeleteGroupsHandler;
import io.fjord.group.DescribeGroupsHandler;
import io.fjord.group.FindCoordinatorHandler;
import io.fjord.group.GroupCoordinator;
import io.fjord.group.GroupSettings;
import io.fjord.group.HeartbeatHandler;
import io.fjord.group.JoinGroupHandler;
import io.fjord.group.LeaveGroupHandler;
import io.fjord.group.ListGroupsHandler;
import io.fjord.group.OffsetCommitHandler;
import io.fjord.group.OffsetDeleteHandler;
import io.fjord.group.OffsetFetchHandler;
import io.fjord.group.OffsetsTopicConfig;
import io.fjord.group.OffsetsTopicLog;
import io.fjord.group.OffsetsTopicManager;
import io.fjord.group.SyncGroupHandler;
import io.fjord.group.consumer.ConsumerGroupDescribeHandler;
import io.fjord.group.consumer.ConsumerGroupHeartbeatHandler;
import io.fjord.controller.raft.ClusterMetadataStore;
import io.fjord.metadata.AutoTopicCreator;
import io.fjord.metadata.ImageClusterView;
import io.fjord.metadata.LocalMetadataStore;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.TopicCreator;
import io.fjord.partition.PartitionManager;
import io.fjord.produce.InitProducerIdHandler;
import io.fjord.produce.ProduceHandler;
import io.fjord.produce.ProducerIdBlocks;
import io.fjord.replication.OffsetForLeaderEpochHandler;
import io.fjord.replication.ReplicaFetcherManager;
import io.fjord.replication.ReplicationSettings;
import io.fjord.network.Endpoint;
import io.fjord.offsets.DeleteRecordsHandler;
import io.fjord.offsets.ListOffsetsHandler;
import io.fjord.network.SocketServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Fjord node: its log directories, its listeners and the APIs it serves, from start to stop. */
public final class FjordNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FjordNode.class);
    private static final AtomicBoolean WARMED_UP = new AtomicBoolean();

    private enum State { NEW, RUNNING, STOPPED }

    private final NodeConfig config;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private State state = State.NEW;
    private LogDirs logDirs;
    private SocketServer socketServer;
    private MetadataStore metadata;
    private PartitionManager partitions;
    /** Fetches the partitions this broker follows from their leaders; null on a controller-only node. */
    private ReplicaFetcherManager replicaFetchers;
    private GroupCoordinator groupCoordinator;
    private TopicCreator topicCreator;
    /** Changes off the start thread when the node takes the quorum's cluster id. */
    private volatile String clusterId;
    /**
     * The quorum store while start() runs: close() closes it without the monitor start() holds, which
     * fails a registration that waits for an unreachable quorum, so a stop signal is not ignored.
     */
    private volatile ClusterMetadataStore starting;
    private volatile boolean closeRequested;
    private List<Endpoint> boundListeners = List.of();
    private List<Endpoint> advertisedListeners = List.of();

    public FjordNode(NodeConfig config) {
        this.config = config;
    }

    /**
     * Starts the node and returns once it accepts connections.
     *
     * @throws StartException when the log directories or listeners cannot be taken
     */
    public synchronized void start() {
        if (state == State.STOPPED) {
            // A shutdown signal can beat the start; the process is on its way out.
            throw new StartException("node " + config.nodeId() + " was stopped before it started");
        }
        if (state != State.NEW) {
            throw new IllegalStateException("node " + config.nodeId() + " was already started");
        }
        warmUp();
        try {
            logDirs = LogDirs.open(config.logDirs(), config.nodeId());
            clusterId = logDirs.clusterId();
            int nodeId = config.nodeId();
            ConfigResolver configs = new ConfigResolver(NodeConfig.DEFAULTS, config.originals());
            if (!config.hasRole(ProcessRole.BROKER)) {
                startControllerOnly();
                starting = null;
                state = State.RUNNING;
                // Its own generated id is not the cluster's until the quorum says so.
                String quorumId = metadata.image().clusterId();
                log.info("Fjord node {} ready{}: controller only, quorum port {}; {}", nodeId, sinceProcessStart(),
                        config.controllerListener().port(), quorumId == null ? "cluster id not yet known" : "cluster id " + quorumId);
                return;
            }
            startMetadataAndPartitions(configs);
            ImageClusterView cluster = new ImageClusterView(metadata::image, metadata::activeControllerId, clusterId, nodeId,
                    config.hasRole(ProcessRole.BROKER));
            OffsetsTopicConfig offsetsConfig = config.offsetsTopicConfig();
            OffsetsTopicLog offsetsLog = new OffsetsTopicLog(partitions, () -> OffsetsTopicManager.partitionCount(metadata),
                    System::currentTimeMillis, offsetsConfig.snapshotBytes(), offsetsConfig.commitTimeoutMs());
            groupCoordinator = new GroupCoordinator(new GroupSettings(config.groupMinSessionTimeoutMs(),
                    config.groupMaxSessionTimeoutMs(), config.groupInitialRebalanceDelayMs(), config.groupMaxSize()), offsetsLog);
            offsetsLog.snapshotOn(groupCoordinator::execute);
            groupCoordinator.configureConsumerGroups(config.consumerGroupSettings(), metadata::image);
            OffsetsTopicManager offsetsTopic = new OffsetsTopicManager(metadata, partitions, groupCoordinator, offsetsLog,
                    offsetsConfig, () -> cluster.aliveBrokers().size());
            // Off the startup path: queued on the coordinator thread, ahead of any group request.
            offsetsTopic.loadExisting();
            groupCoordinator.setAvailability(offsetsTopic::groupApiError);
            groupCoordinator.startOffsetExpiration(offsetsConfig.retentionMs(), offsetsConfig.retentionCheckIntervalMs());
            ApiRegistry apis = ApiRegistry.of(List.of(
                    new MetadataHandler(cluster, topicCreator),
                    new DescribeClusterHandler(cluster),
                    new ProduceHandler(partitions, topicCreator, cluster),
                    new InitProducerIdHandler(new ProducerIdBlocks(metadata::allocateProducerIds)),
                    new FetchHandler(partitions, cluster,
                            new FetchSessionCache(config.maxIncrementalFetchSessionCacheSlots()), config.fetchMaxBytes(),
                            config.replicaSelectorClass()),
                    new OffsetForLeaderEpochHandler(partitions, cluster),
                    new ListOffsetsHandler(partitions, cluster),
                    new DeleteRecordsHandler(partitions, cluster, nodeId),
                    new CreateTopicsHandler(metadata, configs, nodeId),
                    new DeleteTopicsHandler(metadata, config.deleteTopicEnable()),
                    new CreatePartitionsHandler(metadata),
                    new DescribeTopicPartitionsHandler(cluster, config.maxRequestPartitionSizeLimit()),
                    new DescribeConfigsHandler(metadata, configs, nodeId),
                    new AlterConfigsHandler(metadata, nodeId),
                    new IncrementalAlterConfigsHandler(metadata, nodeId),
                    new FindCoordinatorHandler(cluster, nodeId, offsetsTopic),
                    new JoinGroupHandler(groupCoordinator),
                    new SyncGroupHandler(groupCoordinator),
                    new HeartbeatHandler(groupCoordinator),
                    new LeaveGroupHandler(groupCoordinator),
                    new OffsetCommitHandler(groupCoordinator, cluster, config.offsetMetadataMaxBytes()),
                    new OffsetFetchHandler(groupCoordinator, cluster),
                    new ListGroupsHandler(groupCoordinator),
                    new DescribeGroupsHandler(groupCoordinator),
                    new ConsumerGroupHeartbeatHandler(groupCoordinator),
                    new ConsumerGroupDescribeHandler(groupCoordinator, metadata::image),
                    new DeleteGroupsHandler(groupCoordinator),
                    new OffsetDeleteHandler(groupCoordinator, cluster),
                    new ElectLeadersHandler(metadata),
                    new AlterPartitionReassignmentsHandler(metadata),
                    new ListPartitionReassignmentsHandler(cluster),
                    new DescribeQuorumHandler(metadata)));
            socketServer = new SocketServer(config.brokerListeners(), config.socketRequestMaxBytes(), config.numNetworkThreads(), apis);
            try {
                boundListeners = socketServer.bind();
            } catch (IllegalStateException e) {
                throw new StartException(e.getMessage(), e);
            }
            advertisedListeners = config.advertisedListeners(boundListeners);
            cluster.publish(advertisedListeners);
            // Before clients can connect: the image then has this broker, unfenced, leading its partitions.
            registerBroker();
            starting = null;
            socketServer.startAccepting();
        } catch (RuntimeException e) {
            starting = null;
            release();
            state = State.STOPPED;
            stopped.countDown();
            throw e;
        }
        state = State.RUNNING;
        log.info("Fjord node {} ready{}: listening on {}, advertised as {}; roles {}; cluster id {}",
                config.nodeId(), sinceProcessStart(), join(boundListeners), join(advertisedListeners),
                config.processRoles().stream().map(ProcessRole::configName).collect(Collectors.joining(",")), clusterId);
    }

    /**
     * Registers this broker with the cluster and waits until it is unfenced: with a quorum, that is when
     * the node has caught up with the metadata log and its partitions are open. Clients are let in only then.
     */
    private void registerBroker() {
        CompletableFuture<Void> registered = metadata.registerBroker(config.nodeId(), config.brokerRack(), advertisedListeners);
        while (true) {
            try {
                registered.get(5, TimeUnit.SECONDS);
                break;
            } catch (TimeoutException e) {
                // Without a reachable quorum this can last forever: say so, rather than look hung.
                log.warn("Broker {} waiting for the controller quorum ({}={}) to register it", config.nodeId(),
                        NodeConfig.CONTROLLER_QUORUM_VOTERS, config.originals().get(NodeConfig.CONTROLLER_QUORUM_VOTERS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartException("interrupted while registering broker " + config.nodeId(), e);
            } catch (ExecutionException e) {
                if (closeRequested) {
                    throw new StartException("node " + config.nodeId() + " was stopped before it started", e.getCause());
                }
                // The caught-up callback refused the quorum's image (another cluster's): its reason is the start error.
                for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                    if (cause instanceof StartException refused) {
                        throw refused;
                    }
                }
                throw new StartException("broker " + config.nodeId() + " could not register: " + e.getCause(), e.getCause());
            }
        }
        if (config.hasQuorum()) {
            adoptClusterId();
        }
    }

    /**
     * The cluster id check for an image that had none yet when this broker caught up: a quorum that was
     * just formed takes its id a moment after its first entries.
     */
    private void adoptClusterId() {
        String quorumId = metadata.image().clusterId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (quorumId == null && System.nanoTime() < deadline && !closeRequested) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartException("interrupted while waiting for the cluster id", e);
            }
            quorumId = metadata.image().clusterId();
        }
        if (closeRequested) {
            throw new StartException("node " + config.nodeId() + " was stopped before it started");
        }
        if (quorumId == null || quorumId.equals(clusterId)) {
            return;
        }
        clusterId = logDirs.adoptClusterId(quorumId);
    }

    /**
     * Before partitions open from the caught-up image: a node must not clean up (as strays) or serve
     * partitions of a cluster its directories do not belong to.
     */
    private void checkClusterId(MetadataImage image) {
        String quorumId = image.clusterId();
        if (quorumId != null && !quorumId.equals(clusterId)) {
            clusterId = logDirs.adoptClusterId(quorumId);
            log.info("Node {} joined cluster {}", config.nodeId(), clusterId);
        }
    }

    /** A controller-only node: the metadata quorum and nothing that serves clients. */
    private void startControllerOnly() {
        ClusterMetadataStore store = openClusterStore();
        metadata = store;
        ControllerClusterId follower = new ControllerClusterId();
        store.addListener((previous, image) -> follower.check(image));
        store.activateWithoutBroker(follower::check);
    }

    /**
     * A controller must stay in the quorum whatever its directories say (the other voters need it), so a
     * cluster id it may not take is reported, not a reason to stop.
     */
    private final class ControllerClusterId {
        private boolean settled;

        synchronized void check(MetadataImage image) {
            String quorumId = image.clusterId();
            if (settled || quorumId == null) {
                return;
            }
            settled = true;
            if (quorumId.equals(clusterId)) {
                return;
            }
            try {
                clusterId = logDirs.adoptClusterId(quorumId);
                log.info("Controller {} joined cluster {}", config.nodeId(), clusterId);
            } catch (StartException e) {
                log.error("Controller {}: {}", config.nodeId(), e.getMessage());
            }
        }
    }

    private ClusterMetadataStore openClusterStore() {
        ClusterMetadataStore store;
        try {
            store = ClusterMetadataStore.open(config.quorumSettings(), config.numPartitions(),
                    config.defaultReplicationFactor(), clusterId);
        } catch (IOException e) {
            throw new StartException("cannot start the metadata quorum: " + e.getMessage(), e);
        }
        starting = store;
        try {
            if (closeRequested) {
                throw new StartException("node " + config.nodeId() + " was stopped before it started");
            }
            store.start();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e instanceof StartException se ? se : new StartException("cannot start the metadata quorum: " + e.getMessage(), e);
        }
        return store;
    }

    /**
     * Loads the metadata image from the first log directory, opens (and if need be recovers) every
     * partition it places here, then lets the store take changes. Partitions follow every later image.
     */
    private void startMetadataAndPartitions(ConfigResolver configs) {
        Path dataDir = config.logDirs().get(0);
        if (config.hasQuorum()) {
            partitions = new PartitionManager(dataDir, config.nodeId(), configs, config.logRetentionCheckIntervalMs(),
                    config.logFlushOffsetCheckpointIntervalMs());
            ClusterMetadataStore store = openClusterStore();
            metadata = store;
            startReplicaFetchers(store);
            store.addListener(partitions);
            // Partitions open from the first image that holds this broker's registration, not a stale one.
            store.onCaughtUp(image -> {
                checkClusterId(image);
                partitions.startup(image);
            });
            topicCreator = new AutoTopicCreator(metadata, config.autoCreateTopicsEnable());
            return;
        }
        LocalMetadataStore local;
        try {
            local = LocalMetadataStore.open(dataDir, config.nodeId(), config.numPartitions(),
                    config.defaultReplicationFactor());
        } catch (IOException e) {
            throw new StartException(e.getMessage(), e);
        }
        metadata = local;
        partitions = new PartitionManager(dataDir, config.nodeId(), configs, config.logRetentionCheckIntervalMs(),
                config.logFlushOffsetCheckpointIntervalMs());
        startReplicaFetchers(local);
        partitions.startup(local.image());
        local.addListener(partitions);
        local.start();
        topicCreator = new AutoTopicCreator(metadata, config.autoCreateTopicsEnable());
    }

    /**
     * The follower side of replication, handed to the partitions before they open from the first image
     * (which may already make this node follow some). Leaders are looked up in the store's current image.
     */
    private void startReplicaFetchers(MetadataStore store) {
        replicaFetchers = new ReplicaFetcherManager(config.replicaFetcherSettings(), store::image);
        partitions.setFollowerTargets(replicaFetchers);
        partitions.setReplication(new ReplicationSettings(config.nodeId(), config.replicaLagTimeMaxMs(),
                store::alterPartition, System::currentTimeMillis));
        partitions.setHighWatermarkCheckpointIntervalMs(config.replicaHighWatermarkCheckpointIntervalMs());
    }

    /**
     * Starts loading the heavy parts of a node (Netty and its native transport, the protocol's
     * API table) on background threads. Calling this as early as possible in a process that will
     * start a node takes a good part of the class loading off the path to ready; calling it twice
     * is harmless.
     */
    public static void warmUp() {
        if (WARMED_UP.compareAndSet(false, true)) {
            SocketServer.warmUp();
            Thread protocol = new Thread(ApiRegistry::warmUp, "fjord-protocol-warmup");
            protocol.setDaemon(true);
            protocol.start();
        }
    }

    private static String sinceProcessStart() {
        return ProcessAge.millis().map(ms -> " in " + ms + " ms").orElse("");
    }

    private static String join(List<Endpoint> endpoints) {
        return endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(","));
    }

    /** Stops the node: no new connections, open ones closed, threads gone. Safe to call more than once. */
    @Override
    public void close() {
        closeRequested = true;
        ClusterMetadataStore pending = starting;
        if (pending != null) {
            // start() holds the monitor while it waits for the quorum; this ends the wait, and start() cleans up.
            pending.close();
        }
        synchronized (this) {
            boolean running = state == State.RUNNING;
            state = State.STOPPED;
            if (!running) {
                stopped.countDown();
                return;
            }
            long begin = System.nanoTime();
            // While the listeners still serve: clients keep being answered (with NOT_LEADER_OR_FOLLOWER and the
            // new leader, once it moved) until leadership is elsewhere.
            controlledShutdown();
            release();
            log.info("Fjord node {} shut down cleanly in {} ms", config.nodeId(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        }
        stopped.countDown();
    }

    /**
     * Kafka's controlled shutdown: a broker of a cluster asks the controller to move its leaderships to
     * other in-sync replicas and take it out of the ISRs, and waits for that (at most one session
     * timeout, after which the controller would fence it anyway) before it stops serving. Skipped on a
     * single node, when {@code controlled.shutdown.enable} is false, and when no other broker could take
     * over (the partitions are unavailable either way; waiting would only delay the stop).
     */
    private void controlledShutdown() {
        if (!config.hasRole(ProcessRole.BROKER) || !config.hasQuorum() || !config.controlledShutdownEnable()
                || metadata == null) {
            return;
        }
        int nodeId = config.nodeId();
        MetadataImage before = metadata.image();
        boolean someoneElse = before.brokers().values().stream().anyMatch(b -> b.id() != nodeId && b.usable());
        if (!someoneElse) {
            log.info("controlled shutdown of broker {} skipped: no other broker can take over its leaderships", nodeId);
            return;
        }
        int bound = config.brokerSessionTimeoutMs();
        long start = System.nanoTime();
        try {
            metadata.controlledShutdown(nodeId).get(bound, TimeUnit.MILLISECONDS);
            MetadataImage after = metadata.image();
            int moved = 0;
            int leaderless = 0;
            for (var topic : before.topics()) {
                var now = after.topic(topic.topicId());
                for (var p : topic.partitions()) {
                    if (p.leaderId() != nodeId || now == null || p.partition() >= now.partitions().size()) {
                        continue;
                    }
                    int leader = now.partitions().get(p.partition()).leaderId();
                    if (leader == -1) {
                        leaderless++;
                    } else if (leader != nodeId) {
                        moved++;
                    }
                }
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (leaderless == 0) {
                log.info("controlled shutdown of broker {}: moved {} leadership(s) in {} ms", nodeId, moved, ms);
            } else {
                log.info("controlled shutdown of broker {}: moved {} leadership(s) in {} ms; {} partition(s) had no other"
                        + " in-sync replica and have no leader until it returns", nodeId, moved, ms, leaderless);
            }
        } catch (TimeoutException e) {
            log.warn("controlled shutdown of broker {}: the controller did not confirm within {} ms ({}); stopping anyway",
                    nodeId, bound, NodeConfig.BROKER_SESSION_TIMEOUT_MS);
        } catch (ExecutionException e) {
            log.warn("controlled shutdown of broker {} failed: {}; stopping anyway", nodeId, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("controlled shutdown of broker {} interrupted; stopping anyway", nodeId);
        } catch (RuntimeException e) {
            // The stop itself must go on whatever went wrong here.
            log.warn("controlled shutdown of broker {} failed; stopping anyway", nodeId, e);
        }
    }

    private void release() {
        if (socketServer != null) {
            socketServer.close();
        }
        // Before the partitions close: no fetcher may append to a log being closed.
        if (replicaFetchers != null) {
            replicaFetchers.close();
        }
        // No more requests: finish queued metadata changes, then close every log cleanly.
        if (metadata != null) {
            metadata.close();
        }
        if (groupCoordinator != null) {
            groupCoordinator.close();
        }
        if (partitions != null) {
            partitions.close();
        }
        if (logDirs != null) {
            logDirs.close();
        }
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    public NodeConfig config() {
        return config;
    }

    /** The cluster metadata (topics, configs, producer id blocks); null before {@link #start()}. */
    public synchronized MetadataStore metadata() {
        return metadata;
    }

    /** The partitions this node holds; null before {@link #start()}. */
    public synchronized PartitionManager partitions() {
        return partitions;
    }

    /** The follower side of replication; null before {@link #start()} and on a controller-only node. */
    public synchronized ReplicaFetcherManager replicaFetchers() {
        return replicaFetchers;
    }

    /** Creates topics on first use when auto.create.topics.enable is on; null before {@link #start()}. */
    public synchronized TopicCreator topicCreator() {
        return topicCreator;
    }

    /** The group coordinator (classic and KIP-848 groups, offsets); null before {@link #start()}. */
    public synchronized GroupCoordinator groupCoordinator() {
        return groupCoordinator;
    }

    public int nodeId() {
        return config.nodeId();
    }

    /** The cluster id from meta.properties, known once started. */
    public synchronized String clusterId() {
        return clusterId;
    }

    /** The listeners with the ports they really bound. */
    public synchronized List<Endpoint> boundListeners() {
        return boundListeners;
    }

    public synchronized List<Endpoint> advertisedListeners() {
        return advertisedListeners;
    }

    /** The port {@code listenerName} is bound to; -1 when there is no such listener or the node is not running. */
    public synchronized int boundPort(String listenerName) {
        for (Endpoint endpoint : boundListeners) {
            if (endpoint.listenerName().equals(listenerName)) {
                return endpoint.port();
            }
        }
        return -1;
    }
}
