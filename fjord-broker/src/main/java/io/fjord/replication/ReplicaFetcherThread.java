package io.fjord.replication;

import io.fjord.network.Endpoint;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchRequestData.FetchPartition;
import io.fjord.protocol.message.FetchRequestData.FetchTopic;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.FetchableTopicResponse;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.protocol.message.ListOffsetsRequestData;
import io.fjord.protocol.message.ListOffsetsResponseData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches every partition this node follows from one leader broker (Kafka's ReplicaFetcherThread, with
 * num.replica.fetchers=1): one connection, one Fetch in flight, all partitions in it. A partition whose
 * fetch failed waits {@code replica.fetch.backoff.ms} while the others go on; a failed connection makes all
 * wait and is opened again, with the leader's endpoint looked up afresh. No fetch session is used (every
 * fetch is a full one), which costs request bytes but no state to lose.
 *
 * <p>Threads: partitions are added and removed from the metadata thread ({@link #add}, {@link #remove})
 * while the fetcher thread runs; both take {@link #lock}. An answer is applied only to a partition whose
 * state is still the very one the request was built from.
 */
final class ReplicaFetcherThread {
    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcherThread.class);
    /** Fetch v15+ carries ReplicaState (KIP-903), v13+ topic ids; v17 is what the brief and Kafka 3.8+ send. */
    static final short LOWEST_FETCH_VERSION = 13;
    static final short HIGHEST_FETCH_VERSION = 17;
    private static final short LOWEST_LIST_OFFSETS_VERSION = 4; // currentLeaderEpoch
    private static final short HIGHEST_LIST_OFFSETS_VERSION = 9;
    private static final long EARLIEST_TIMESTAMP = -2;
    private static final long LATEST_TIMESTAMP = -1;
    /** How often repeated connection failures are logged at WARN. */
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final int leaderId;
    private final FetcherSettings settings;
    private final IntFunction<Endpoint> endpoints;
    private final FetchResponseProcessor processor;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private final LinkedHashMap<TopicIdPartition, PartitionFetchState> states = new LinkedHashMap<>();
    /** No fetch before this (a failed connection); guarded by {@link #lock}. */
    private long backoffUntilNanos;
    private final Thread thread;
    private volatile boolean running = true;
    /** Written by the fetcher thread only; closed by {@link #shutdown} from others to end a blocked read. */
    private volatile BrokerConnection connection;
    private Endpoint connectedTo;
    private int failures;
    private long lastWarnNanos;

    /**
     * @param endpoints the leader's endpoint on the inter-broker listener, from the current image; null when unknown
     */
    ReplicaFetcherThread(int leaderId, FetcherSettings settings, IntFunction<Endpoint> endpoints) {
        this.leaderId = leaderId;
        this.settings = settings;
        this.endpoints = endpoints;
        this.processor = new FetchResponseProcessor(leaderId);
        this.name = "fjord-replica-fetcher-" + settings.nodeId() + "-leader-" + leaderId;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    }

    int leaderId() {
        return leaderId;
    }

    void start() {
        thread.start();
    }

    /**
     * Fetches {@code replica} from now on in {@code leaderEpoch}. A partition already here in the same
     * epoch keeps its state (a repeated image changes nothing); another epoch starts afresh, so answers
     * to fetches in the old epoch are dropped.
     */
    void add(TopicIdPartition key, FollowerLog replica, int leaderEpoch) {
        lock.lock();
        try {
            PartitionFetchState existing = states.get(key);
            // equals, not identity: the manager wraps the same Partition anew on every image.
            if (existing != null && existing.log.equals(replica) && existing.leaderEpoch == leaderEpoch) {
                return;
            }
            states.put(key, new PartitionFetchState(key, replica, leaderId, leaderEpoch));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops fetching {@code key}; answers already on their way for it are dropped. */
    boolean remove(TopicIdPartition key) {
        lock.lock();
        try {
            return states.remove(key) != null;
        } finally {
            lock.unlock();
        }
    }

    int partitionCount() {
        lock.lock();
        try {
            return states.size();
        } finally {
            lock.unlock();
        }
    }

    Set<TopicIdPartition> partitions() {
        lock.lock();
        try {
            return Set.copyOf(states.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** The epoch {@code key} is fetched in here, or -1 when it is not. */
    int leaderEpochOf(TopicIdPartition key) {
        lock.lock();
        try {
            PartitionFetchState state = states.get(key);
            return state == null ? -1 : state.leaderEpoch;
        } finally {
            lock.unlock();
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Asks the thread to stop and ends a fetch in flight; returns at once. */
    void shutdown() {
        running = false;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        BrokerConnection current = connection;
        if (current != null) {
            current.close();
        }
    }

    /** Waits up to {@code timeoutMs} for the thread to end; true when it did. */
    boolean join(long timeoutMs) throws InterruptedException {
        return thread.join(java.time.Duration.ofMillis(timeoutMs));
    }

    // ---- the fetcher thread ----

    private void run() {
        log.debug("{} started", name);
        try {
            while (running) {
                List<PartitionFetchState> ready = awaitReady();
                if (ready.isEmpty()) {
                    continue;
                }
                try {
                    fetch(connect(), ready);
                    if (failures > 0) {
                        log.info("Fetching from leader {} at {} again after {} failed attempt(s)", leaderId, connectedTo,
                                failures);
                        failures = 0;
                    }
                } catch (IOException | RuntimeException e) {
                    closeConnection();
                    if (running) {
                        onConnectionFailure(e);
                    }
                }
            }
        } finally {
            closeConnection();
            log.debug("{} stopped", name);
        }
    }

    /**
     * The partitions that may be fetched now, waiting (until one may, or something changes) when there
     * are none; empty when woken for another reason.
     */
    private List<PartitionFetchState> awaitReady() {
        lock.lock();
        try {
            long now = System.nanoTime();
            List<PartitionFetchState> ready = new ArrayList<>();
            long wakeAt = Long.MAX_VALUE;
            if (now - backoffUntilNanos < 0) {
                wakeAt = backoffUntilNanos;
            } else {
                for (PartitionFetchState state : states.values()) {
                    if (now - state.delayedUntilNanos >= 0) {
                        ready.add(state);
                    } else {
                        wakeAt = Math.min(wakeAt, state.delayedUntilNanos);
                    }
                }
            }
            if (!ready.isEmpty() || !running) {
                return ready;
            }
            if (wakeAt == Long.MAX_VALUE) {
                // Nothing to fetch: the manager stops a thread left without partitions, or adds one, and
                // either signals. The bound is only a safety net (a backoff of 0 must not spin here).
                changed.await(1, TimeUnit.SECONDS);
            } else {
                changed.awaitNanos(wakeAt - now);
            }
            return List.of();
        } catch (InterruptedException e) {
            running = false;
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    /** The connection to the leader, opened (or opened again) at its current endpoint. */
    private BrokerConnection connect() throws IOException {
        Endpoint endpoint = endpoints.apply(leaderId);
        if (endpoint == null) {
            throw new IOException("broker " + leaderId + " has no endpoint on listener " + settings.listenerName()
                    + " in the metadata");
        }
        BrokerConnection current = connection;
        if (current != null && !current.isClosed() && endpoint.equals(connectedTo)) {
            return current;
        }
        closeConnection();
        String host = endpoint.host().isEmpty() ? "localhost" : endpoint.host();
        BrokerConnection opened = new BrokerConnection(host, endpoint.port(), "fjord-replica-fetcher-" + settings.nodeId(),
                FetcherSettings.MAX_RESPONSE_FRAME_BYTES);
        // Published before connecting: a paused leader accepts the connection but never answers ApiVersions,
        // and shutdown() must be able to end that wait rather than sit out the socket timeout.
        connection = opened;
        connectedTo = endpoint;
        if (!running) {
            // shutdown() may have looked at the field before it was set.
            opened.close();
            throw new IOException("fetcher stopping");
        }
        opened.connect(settings.socketTimeoutMs(), settings.socketTimeoutMs());
        log.debug("{} connected to {}", name, endpoint);
        return opened;
    }

    private void closeConnection() {
        BrokerConnection current = connection;
        if (current != null) {
            current.close();
            connection = null;
        }
    }

    private void onConnectionFailure(Exception e) {
        failures++;
        long now = System.nanoTime();
        String what = "Fetch from leader " + leaderId + (connectedTo != null ? " at " + connectedTo : "") + " failed";
        if (failures == 1) {
            log.info("{} ({}); retrying in {} ms", what, e.getMessage(), settings.backoffMs());
            lastWarnNanos = now;
        } else if (now - lastWarnNanos >= WARN_INTERVAL_NANOS || failures == 2) {
            log.warn("{} {} times in a row, the latest: {}; retrying every {} ms", what, failures, e.toString(),
                    settings.backoffMs());
            lastWarnNanos = now;
        } else {
            log.debug("{} ({})", what, e.toString());
        }
        if (e instanceof RuntimeException) {
            log.error("Unexpected failure in {}", name, e);
        }
        lock.lock();
        try {
            backoffUntilNanos = now + TimeUnit.MILLISECONDS.toNanos(settings.backoffMs());
        } finally {
            lock.unlock();
        }
    }

    /** What one partition was fetched with. */
    private record Requested(PartitionFetchState state, long fetchOffset) {
    }

    private void fetch(BrokerConnection conn, List<PartitionFetchState> ready) throws IOException {
        short version = conn.version(ApiKey.FETCH, LOWEST_FETCH_VERSION, HIGHEST_FETCH_VERSION);
        if (version < 0) {
            throw new IOException(conn.address() + " does not serve Fetch v" + LOWEST_FETCH_VERSION + " or later");
        }
        Map<TopicIdPartition, Requested> requested = new HashMap<>();
        FetchRequestData request = buildRequest(ready, version, requested);
        if (requested.isEmpty()) {
            return;
        }
        FetchResponseData response = conn.send(ApiKey.FETCH, version, request);
        Errors topError = Errors.forCode(response.errorCode());
        if (topError != Errors.NONE) {
            // Not a connection failure (the leader answered), but nothing in the answer can be used.
            log.warn("Leader {} answered a fetch with {}; retrying after backoff", leaderId,
                    topError != null ? topError : "error code " + response.errorCode());
            delay(requested.values().stream().map(Requested::state).toList());
            return;
        }
        LeaderOffsets offsets = new ListOffsetsClient(conn);
        List<PartitionFetchState> delayed = new ArrayList<>();
        for (FetchableTopicResponse topic : response.responses()) {
            for (PartitionData data : topic.partitions()) {
                Requested sent = requested.get(new TopicIdPartition(topic.topicId(), data.partitionIndex()));
                if (sent == null || !isCurrent(sent.state())) {
                    continue; // not asked for, or moved to another thread or epoch since
                }
                PartitionFetchState state = sent.state();
                FetchOutcome outcome;
                try {
                    outcome = processor.process(state.log, state.leaderEpoch, sent.fetchOffset(), data, offsets);
                } catch (IOException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // One partition's failure (a closed log, a refused append) must not stop the others.
                    log.error("Could not apply fetched data of {} from leader {}", state.log.topicPartition(), leaderId, e);
                    outcome = FetchOutcome.BACK_OFF;
                }
                if (outcome.delays()) {
                    delayed.add(state);
                }
            }
        }
        delay(delayed);
    }

    private FetchRequestData buildRequest(List<PartitionFetchState> ready, short version,
            Map<TopicIdPartition, Requested> requested) {
        Map<UUID, FetchTopic> topics = new LinkedHashMap<>();
        List<PartitionFetchState> failed = new ArrayList<>();
        for (PartitionFetchState state : ready) {
            FetchPartition partition;
            long fetchOffset;
            try {
                fetchOffset = state.log.logEndOffset();
                partition = new FetchPartition()
                        .setPartition(state.key.partition())
                        .setCurrentLeaderEpoch(state.leaderEpoch)
                        .setFetchOffset(fetchOffset)
                        .setLastFetchedEpoch(state.log.latestEpoch())
                        .setLogStartOffset(state.log.logStartOffset())
                        .setPartitionMaxBytes(settings.partitionMaxBytes());
            } catch (RuntimeException e) {
                log.error("Cannot fetch {}: its log is unreadable", state.log.topicPartition(), e);
                failed.add(state);
                continue;
            }
            topics.computeIfAbsent(state.key.topicId(), id -> new FetchTopic().setTopicId(id).setPartitions(new ArrayList<>()))
                    .partitions().add(partition);
            requested.put(state.key, new Requested(state, fetchOffset));
        }
        delay(failed);
        FetchRequestData request = new FetchRequestData()
                .setMaxWaitMs(settings.maxWaitMs())
                .setMinBytes(settings.minBytes())
                .setMaxBytes(settings.maxBytes())
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(new ArrayList<>(topics.values()))
                .setForgottenTopicsData(new ArrayList<>())
                .setRackId("");
        if (version >= 15) {
            request.setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(settings.nodeId()).setReplicaEpoch(-1));
        } else {
            request.setReplicaId(settings.nodeId());
        }
        return request;
    }

    private boolean isCurrent(PartitionFetchState state) {
        lock.lock();
        try {
            return states.get(state.key) == state;
        } finally {
            lock.unlock();
        }
    }

    private void delay(List<PartitionFetchState> delayed) {
        if (delayed.isEmpty()) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.backoffMs());
        lock.lock();
        try {
            for (PartitionFetchState state : delayed) {
                state.delayedUntilNanos = until;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The leader's offsets by ListOffsets on the fetch connection, sent as this replica (log end, not high watermark). */
    private final class ListOffsetsClient implements LeaderOffsets {
        private final BrokerConnection conn;

        ListOffsetsClient(BrokerConnection conn) {
            this.conn = conn;
        }

        @Override
        public long earliest(FollowerLog replica, int leaderEpoch) throws IOException {
            return offset(replica, leaderEpoch, EARLIEST_TIMESTAMP);
        }

        @Override
        public long latest(FollowerLog replica, int leaderEpoch) throws IOException {
            return offset(replica, leaderEpoch, LATEST_TIMESTAMP);
        }

        private long offset(FollowerLog replica, int leaderEpoch, long timestamp) throws IOException {
            short version = conn.version(ApiKey.LIST_OFFSETS, LOWEST_LIST_OFFSETS_VERSION, HIGHEST_LIST_OFFSETS_VERSION);
            if (version < 0) {
                throw new IOException(conn.address() + " does not serve ListOffsets v" + LOWEST_LIST_OFFSETS_VERSION
                        + " or later");
            }
            ListOffsetsRequestData request = new ListOffsetsRequestData()
                    .setReplicaId(settings.nodeId())
                    .setIsolationLevel((byte) 0)
                    .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                            .setName(replica.topicPartition().topic())
                            .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                    .setPartitionIndex(replica.topicPartition().partition())
                                    .setCurrentLeaderEpoch(leaderEpoch)
                                    .setTimestamp(timestamp)))));
            ListOffsetsResponseData response = conn.send(ApiKey.LIST_OFFSETS, version, request);
            for (ListOffsetsResponseData.ListOffsetsTopicResponse topic : response.topics()) {
                for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : topic.partitions()) {
                    if (p.partitionIndex() != replica.topicPartition().partition()) {
                        continue;
                    }
                    if (p.errorCode() != Errors.NONE.code()) {
                        log.info("Leader {} answered ListOffsets for {} with {}", leaderId, replica.topicPartition(),
                                BrokerConnection.errorName(p.errorCode()));
                        return -1;
                    }
                    return p.offset();
                }
            }
            return -1;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
