package io.fjord.controller.raft;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigResource;
import io.fjord.controller.ControllerLogic;
import io.fjord.controller.ElectionType;
import io.fjord.controller.MetadataCommand;
import io.fjord.controller.MetadataCommandCodec;
import io.fjord.controller.QuorumState;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataListener;
import io.fjord.metadata.MetadataSnapshotFile;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.PartitionIncrease;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicIds;
import io.fjord.metadata.TopicSpec;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster metadata of a node in a controller quorum. Changes become entries of the metadata log,
 * replicated by the Apache Ratis group of the controllers and applied on every controller by
 * {@link MetadataStateMachine}; a change's future completes once this node's own image has it, so a
 * client that created a topic through this node finds it here right away. Controllers read the image
 * their state machine keeps; broker-only nodes receive it in heartbeat answers and keep the latest copy
 * on disk so they restart from it.
 */
public final class ClusterMetadataStore implements MetadataStore {
    private static final Logger log = LoggerFactory.getLogger(ClusterMetadataStore.class);
    /** One Raft group per cluster; its id is fixed so every node names the same group without agreeing first. */
    private static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("fjord-cluster-metadata".getBytes(StandardCharsets.UTF_8)));
    /** How long a change waits for this node to apply it after the quorum did, before answering anyway. */
    private static final long CATCH_UP_WAIT_MS = 10_000;
    private static final long PRODUCER_ID_TIMEOUT_MS = 30_000;
    private static final int QUERY_ATTEMPTS = 30;

    private final QuorumSettings settings;
    private final int defaultPartitions;
    private final short defaultReplicationFactor;
    private final ImagePublisher publisher;
    private final ScheduledExecutorService scheduler;
    private final RaftGroup group;
    private final RaftClient client;
    /**
     * The active controller's own decisions (fence, unfence, cluster id) go through a client of their own:
     * a Ratis client orders its requests, and a heartbeat held by the leader while it unfences the broker
     * must not wait behind, or in front of, the entry it is waiting for. Replaced after a failure: a Ratis
     * client without retries closes its request window on the first failed request (a send while this
     * node was not the leader), and every later send would fail with AlreadyClosedException, leaving a
     * node that becomes the active controller unable to fence anyone.
     */
    private volatile RaftClient dutiesClient;
    /** Added to the election timeout for the command client's request timeout. */
    private static final long COMMAND_TIMEOUT_MARGIN_MS = 500;
    /**
     * Heartbeats and DescribeQuorum: retried a bounded number of times, since the asker sends a fresh
     * query anyway (a heartbeat) or should get an answer (DescribeQuorum) rather than wait forever.
     */
    private final RaftClient queryClient;
    private final MetadataSnapshotFile brokerImageFile;
    private final ControllerDuties duties;
    private final RaftServer server;
    private final BrokerHeartbeater heartbeater;
    private volatile int lastKnownLeader = -1;
    private volatile Consumer<MetadataImage> startup = image -> { };
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    private ClusterMetadataStore(QuorumSettings settings, int defaultPartitions, short defaultReplicationFactor,
                                 String localClusterId) throws IOException {
        this.settings = settings;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
        Files.createDirectories(settings.metadataDir());
        this.brokerImageFile = settings.controller() ? null : new MetadataSnapshotFile(settings.metadataDir());
        this.publisher = new ImagePublisher(brokerImageFile == null ? MetadataImage.EMPTY : brokerImageFile.read());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fjord-controller-timer");
            t.setDaemon(true);
            return t;
        });
        List<RaftPeer> peers = new ArrayList<>();
        for (QuorumVoter voter : settings.voters()) {
            peers.add(RaftPeer.newBuilder().setId(peerId(voter.id())).setAddress(voter.address()).build());
        }
        this.group = RaftGroup.valueOf(GROUP_ID, peers);
        RaftProperties properties = properties(settings);
        this.client = newClient(commandProperties(properties, settings),
                RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)));
        this.queryClient = newClient(properties, RetryPolicies.retryUpToMaximumCountWithFixedSleep(QUERY_ATTEMPTS,
                TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)));
        if (settings.controller()) {
            // Pinned to this node with no retries: a decision taken while this node was the active
            // controller must not be carried to the next one if it loses leadership meanwhile (a controller
            // that stalled past every lease would otherwise have its successor fence healthy brokers).
            this.dutiesClient = newDutiesClient(properties);
            this.duties = new ControllerDuties(settings, publisher, command -> submitDuty(properties, command),
                    () -> localClusterId, scheduler);
            MetadataStateMachine stateMachine = new MetadataStateMachine(publisher, duties, this::raftServerStopped);
            boolean formatted = Files.isDirectory(settings.metadataDir().resolve(GROUP_ID.getUuid().toString()));
            this.server = RaftServer.newBuilder()
                    .setServerId(peerId(settings.nodeId()))
                    .setGroup(group)
                    .setProperties(properties)
                    .setParameters(new Parameters())
                    .setStateMachine(stateMachine)
                    .setOption(formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                    .build();
        } else {
            this.dutiesClient = null;
            this.duties = null;
            this.server = null;
        }
        this.heartbeater = settings.broker()
                ? new BrokerHeartbeater(settings, publisher, command -> submit(client, command), this::query,
                        settings.controller() ? null : this::receiveImage)
                : null;
    }

    /**
     * Creates the store; nothing runs until {@link #start()}.
     *
     * @param localClusterId this node's cluster id, proposed as the cluster's if this node is the first active controller
     */
    public static ClusterMetadataStore open(QuorumSettings settings, int defaultPartitions, short defaultReplicationFactor,
                                            String localClusterId) throws IOException {
        return new ClusterMetadataStore(settings, defaultPartitions, defaultReplicationFactor, localClusterId);
    }

    private RaftClient newDutiesClient(RaftProperties properties) {
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setParameters(new Parameters())
                .setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setLeaderId(peerId(settings.nodeId()))
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    /** A decision of the active controller, through a duties client that is replaced once a send failed. */
    private CompletableFuture<CommandReply> submitDuty(RaftProperties properties, MetadataCommand command) {
        RaftClient via = dutiesClient;
        return submit(via, command).whenComplete((reply, error) -> {
            if (error != null && !closed) {
                synchronized (this) {
                    if (dutiesClient == via && !closed) {
                        dutiesClient = newDutiesClient(properties);
                        try {
                            via.close();
                        } catch (IOException e) {
                            log.debug("Closing a failed duties client: {}", e.toString());
                        }
                    }
                }
            }
        });
    }

    private RaftClient newClient(RaftProperties properties, org.apache.ratis.retry.RetryPolicy retryPolicy) {
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setParameters(new Parameters())
                .setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(retryPolicy)
                .build();
    }

    private static RaftProperties properties(QuorumSettings settings) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(settings.metadataDir().toFile()));
        QuorumVoter self = settings.self();
        if (self != null) {
            GrpcConfigKeys.Server.setHost(properties, self.host());
            GrpcConfigKeys.Server.setPort(properties, self.port());
        }
        // Kafka's controller.quorum.election.timeout.ms: a follower waits between it and twice it before
        // standing for election, so a dead leader is replaced within about two timeouts.
        int election = settings.electionTimeoutMs();
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2L * election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(Math.max(3000, 2L * election),
                TimeUnit.MILLISECONDS));
        // The image is small: snapshot it often, so a restarted controller loads one file and replays little.
        // The log before a snapshot is dropped only once every follower has it (Ratis's default): dropping it
        // regardless made Ratis 3.2.2's leader fail to feed a follower that had stopped just at the snapshot.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, settings.snapshotEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, false);
        RaftServerConfigKeys.Log.setPurgeGap(properties, settings.snapshotEntries());
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("8MB"));
        // A heartbeat answer may be held for a heartbeat interval (the long poll of broker-only nodes); past
        // that and an election timeout, the controller asked is taken for gone and the client tries another.
        // Short enough that a broker's heartbeats reach a new leader well within broker.session.timeout.ms.
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
                TimeDuration.valueOf((long) settings.heartbeatIntervalMs() + election, TimeUnit.MILLISECONDS));
        return properties;
    }

    /**
     * The command client's own timeout: commands are never held by the leader (unlike heartbeats, which are
     * long polls), so an election timeout and a margin are enough to give up on a controller that stopped
     * (frozen, not dead: its connection stays open) and try the next. Ratis deduplicates a retried command.
     * A leader's ISR change behind a frozen controller otherwise waited a whole heartbeat interval more.
     */
    private static RaftProperties commandProperties(RaftProperties shared, QuorumSettings settings) {
        RaftProperties properties = new RaftProperties(shared);
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
                TimeDuration.valueOf(settings.electionTimeoutMs() + COMMAND_TIMEOUT_MARGIN_MS, TimeUnit.MILLISECONDS));
        return properties;
    }

    private static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    /** Starts the Raft server of a controller; brokers start heartbeating in {@link #registerBroker}. */
    public void start() throws IOException {
        if (server != null) {
            server.start();
            duties.start(server.getDivision(GROUP_ID));
            log.info("Controller {} joined the metadata quorum {} (Raft port {})", settings.nodeId(),
                    settings.voters().stream().map(v -> v.id() + "@" + v.address()).toList(), settings.self().port());
        }
    }

    @Override
    public MetadataImage image() {
        return publisher.image();
    }

    @Override
    public void addListener(MetadataListener listener) {
        publisher.addListener(listener);
    }

    /**
     * Runs {@code startupWithImage} with the image once this node has caught up with its own registration,
     * then tells listeners of every later image. Call before {@link #registerBroker}.
     */
    public void onCaughtUp(Consumer<MetadataImage> startupWithImage) {
        this.startup = startupWithImage;
    }

    @Override
    public CompletableFuture<Void> registerBroker(int brokerId, String rack, List<Endpoint> endpoints) {
        if (heartbeater == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("node " + settings.nodeId() + " is not a broker"));
        }
        return heartbeater.start(rack, endpoints, () -> publisher.activate(startup));
    }

    /**
     * The Raft server stopped without being asked to (Ratis gives up on a division after an unrecoverable
     * error). This node's image no longer follows the log, so its broker must not keep leading: it stops
     * heartbeating and the active controller fences it.
     */
    private void raftServerStopped() {
        if (closed) {
            return;
        }
        log.error("The Raft server of controller {} stopped on its own; its metadata no longer follows the quorum."
                + " The node's broker stops heartbeating and will be fenced; restart the node", settings.nodeId());
        if (heartbeater != null) {
            heartbeater.close();
        }
    }

    /** Controller-only nodes: listeners follow the log from the image at hand. */
    public void activateWithoutBroker(Consumer<MetadataImage> startupWithImage) {
        publisher.activate(startupWithImage);
    }

    private void receiveImage(MetadataImage image) {
        if (image.version() <= publisher.image().version()) {
            return;
        }
        try {
            brokerImageFile.write(image);
        } catch (IOException e) {
            // Only the restart path reads it; serving goes on from memory.
            log.warn("Could not keep metadata image version {} in {}: {}", image.version(), brokerImageFile.path(), e.toString());
        }
        publisher.publish(image);
    }

    // ---- changes

    @Override
    public CompletableFuture<List<CreatedTopic>> createTopics(List<TopicSpec> topics, boolean validateOnly, long deadlineNanos) {
        List<UUID> ids = new ArrayList<>(topics.size());
        for (int i = 0; i < topics.size(); i++) {
            ids.add(TopicIds.random());
        }
        MetadataCommand.CreateTopics command = new MetadataCommand.CreateTopics(topics, ids, defaultPartitions,
                defaultReplicationFactor);
        if (validateOnly) {
            return local(() -> ControllerLogic.validateCreateTopics(image(), command));
        }
        return change(command, deadlineNanos);
    }

    @Override
    public CompletableFuture<Map<UUID, ApiError>> deleteTopics(Collection<UUID> topicIds, long deadlineNanos) {
        return change(new MetadataCommand.DeleteTopics(List.copyOf(topicIds)), deadlineNanos);
    }

    @Override
    public CompletableFuture<Map<String, ApiError>> createPartitions(List<PartitionIncrease> increases, boolean validateOnly,
                                                                     long deadlineNanos) {
        MetadataCommand.CreatePartitions command = new MetadataCommand.CreatePartitions(increases);
        if (validateOnly) {
            return local(() -> ControllerLogic.validateCreatePartitions(image(), command));
        }
        return change(command, deadlineNanos);
    }

    @Override
    public CompletableFuture<Map<ConfigResource, ApiError>> alterConfigs(Map<ConfigResource, ConfigChange> changes,
                                                                         boolean validateOnly, long deadlineNanos) {
        MetadataCommand.AlterConfigs command = new MetadataCommand.AlterConfigs(changes);
        if (validateOnly) {
            return local(() -> ControllerLogic.validateAlterConfigs(image(), command));
        }
        return change(command, deadlineNanos);
    }

    @Override
    public CompletableFuture<Map<TopicPartition, ApiError>> electLeaders(ElectionType type, Collection<TopicPartition> partitions,
                                                                         long deadlineNanos) {
        return change(new MetadataCommand.ElectLeaders(type, partitions == null ? null : List.copyOf(partitions)), deadlineNanos);
    }

    @Override
    public CompletableFuture<Map<TopicPartition, ApiError>> alterPartitionReassignments(Map<TopicPartition, List<Integer>> targets,
                                                                                        long deadlineNanos) {
        return change(new MetadataCommand.AlterReassignments(new LinkedHashMap<>(targets)), deadlineNanos);
    }

    @Override
    public CompletableFuture<Long> allocateProducerIds(int count) {
        if (count <= 0) {
            return CompletableFuture.failedFuture(new ApiException(Errors.INVALID_REQUEST, "cannot allocate " + count + " producer ids"));
        }
        // InitProducerId has no deadline of its own; without a quorum it must still get an answer.
        return change(new MetadataCommand.AllocateProducerIds(count),
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PRODUCER_ID_TIMEOUT_MS));
    }

    /**
     * Through the retrying client: the leader asking resends a refused or failed change with fresh epochs
     * anyway, so there is no deadline here; it completes once this node's image has the change.
     */
    @Override
    public CompletableFuture<PartitionInfo> alterPartition(UUID topicId, int partition, int leaderId, int leaderEpoch,
                                                           int partitionEpoch, List<Integer> newIsr) {
        return change(new MetadataCommand.AlterPartition(topicId, partition, leaderId, leaderEpoch, partitionEpoch, newIsr),
                NO_DEADLINE);
    }

    /** With the epoch this node's heartbeater registered the broker with. */
    @Override
    public CompletableFuture<Void> controlledShutdown(int brokerId) {
        if (heartbeater == null || brokerId != settings.nodeId()) {
            return CompletableFuture.failedFuture(new ApiException(Errors.BROKER_ID_NOT_REGISTERED,
                    "Broker " + brokerId + " is not registered by node " + settings.nodeId() + "."));
        }
        long epoch = heartbeater.brokerEpoch();
        if (epoch < 0) {
            return CompletableFuture.failedFuture(new ApiException(Errors.BROKER_ID_NOT_REGISTERED,
                    "Broker " + brokerId + " is not registered."));
        }
        return this.<ApiError>change(new MetadataCommand.ControlledShutdown(brokerId, epoch), NO_DEADLINE).thenApply(error -> {
            if (error.isFailure()) {
                throw new CompletionException(new ApiException(error.error(), error.message()));
            }
            return null;
        });
    }

    private static <T> CompletableFuture<T> local(java.util.function.Supplier<T> validation) {
        try {
            return CompletableFuture.completedFuture(validation.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Appends {@code command} to the metadata log and completes with its result once this node's image has it. */
    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> change(MetadataCommand command, long deadlineNanos) {
        if (closed) {
            return CompletableFuture.failedFuture(shuttingDown());
        }
        CompletableFuture<T> result = submit(client, command).thenCompose(reply -> {
            if (reply.failure() != null) {
                throw new CompletionException(new ApiException(reply.failure().error(), reply.failure().message()));
            }
            return publisher.awaitVersion(reply.imageVersion(), CATCH_UP_WAIT_MS).thenApply(image -> {
                try {
                    return (T) MetadataCommandCodec.decodeResult(command, reply.result());
                } catch (IOException e) {
                    throw new CompletionException(new ApiException(Errors.UNKNOWN_SERVER_ERROR,
                            "unreadable answer of the controller: " + e.getMessage()));
                }
            });
        });
        if (deadlineNanos != NO_DEADLINE) {
            long remainingMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
            result = result.orTimeout(remainingMs, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof java.util.concurrent.TimeoutException) {
                    return CompletableFuture.failedFuture(new ApiException(Errors.REQUEST_TIMED_OUT,
                            "The controller quorum did not apply the change in time; it may still be applied."));
                }
                return CompletableFuture.failedFuture(cause);
            });
        }
        return result;
    }

    /** Sends {@code command} through Ratis to the active controller; completes with what applying it answered. */
    private CompletableFuture<CommandReply> submit(RaftClient via, MetadataCommand command) {
        Message message = Message.valueOf(ByteString.copyFrom(MetadataCommandCodec.encode(command)));
        return via.async().send(message).thenApply(reply -> {
            noteLeader(reply);
            if (!reply.isSuccess()) {
                throw new CompletionException(new ApiException(Errors.UNKNOWN_SERVER_ERROR, "Controller "
                        + reply.getServerId() + " could not apply " + command.getClass().getSimpleName() + ": "
                        + (reply.getException() == null ? "no reason given" : reply.getException().toString())));
            }
            try {
                return CommandReply.decode(reply.getMessage().getContent().toByteArray());
            } catch (IOException e) {
                throw new CompletionException(new ApiException(Errors.UNKNOWN_SERVER_ERROR, "unreadable controller answer"));
            }
        });
    }

    /**
     * A read-only message to the active controller; unordered, so a held heartbeat delays nothing else. A
     * controller knows the leader as soon as it is elected and addresses it directly; the client's own
     * guess may still be a leader that died, which it would only give up after a request timeout.
     */
    private CompletableFuture<byte[]> query(byte[] request) {
        int leader = duties == null ? -1 : duties.leaderId();
        RaftPeerId target = leader < 0 ? null : peerId(leader);
        return queryClient.async().sendReadOnlyUnordered(Message.valueOf(ByteString.copyFrom(request)), target).thenApply(reply -> {
            noteLeader(reply);
            if (!reply.isSuccess()) {
                throw new CompletionException(reply.getException());
            }
            return reply.getMessage().getContent().toByteArray();
        });
    }

    private void noteLeader(RaftClientReply reply) {
        if (reply.isSuccess() && reply.getServerId() != null) {
            lastKnownLeader = Integer.parseInt(reply.getServerId().toString());
        }
    }

    private static ApiException shuttingDown() {
        return new ApiException(Errors.REQUEST_TIMED_OUT, "The metadata store is shutting down.");
    }

    // ---- the quorum

    @Override
    public CompletableFuture<QuorumState> describeQuorum() {
        return query(QueryMessages.describeQuorum()).thenApply(bytes -> {
            try {
                return QueryMessages.decodeQuorumState(bytes);
            } catch (IOException e) {
                throw new CompletionException(new ApiException(Errors.UNKNOWN_SERVER_ERROR, "unreadable quorum state"));
            }
        });
    }

    @Override
    public int activeControllerId() {
        if (duties != null) {
            return duties.leaderId();
        }
        return lastKnownLeader;
    }

    @Override
    public void close() {
        // A node's shutdown can close a store that its start is still setting up: only one of them does it.
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        if (heartbeater != null) {
            heartbeater.close();
        }
        if (duties != null) {
            duties.close();
        }
        scheduler.shutdownNow();
        RaftClient duty;
        synchronized (this) {
            duty = dutiesClient;
        }
        for (RaftClient c : duty == null ? List.of(client, queryClient) : List.of(client, queryClient, duty)) {
            try {
                c.close();
            } catch (IOException e) {
                log.warn("Closing a quorum client failed: {}", e.toString());
            }
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                log.warn("Closing the Raft server failed: {}", e.toString());
            }
        }
    }
}
