package io.fjord.fetch;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.ClusterView;
import io.fjord.partition.PartitionLookup;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchRequestData.FetchPartition;
import io.fjord.protocol.message.FetchRequestData.FetchTopic;
import io.fjord.protocol.message.FetchRequestData.ForgottenTopic;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Fetch, for consumers: versions 4 to 18, the range Kafka 4.3 serves (0-3 were removed in 4.0;
 * v13+ names topics by id). Reads each partition from its fetch offset up to the high watermark
 * (read_uncommitted) or last stable offset (read_committed), within partition_max_bytes and the
 * response's max_bytes, and answers with slices of the segment files that the network layer sends
 * with sendfile. When fewer than min_bytes are there, the fetch waits up to max_wait_ms and is woken
 * by appends ({@link DelayedFetch}). Incremental fetch sessions (KIP-227) go through
 * {@link FetchManager}.
 *
 * <p>Fetches from replicas (replica id &ge; 0) are the followers of this node's partitions: they read up
 * to the log end offset, report their progress (which moves the high watermark and the ISR) and learn
 * where their log diverges from the leader's ({@link io.fjord.partition.Partition#readForFollower}).
 * From v11 a follower serves consumers too, up to its own high watermark, and with
 * {@code replica.selector.class} set a leader sends consumers to a follower in their rack (KIP-392).
 */
public final class FetchHandler extends AbstractApiHandler {
    /** Kafka's {@code fetch.max.bytes} default: 55 MiB. */
    public static final int DEFAULT_FETCH_MAX_BYTES = 55 * 1024 * 1024;
    static final short LOWEST_VERSION = 4;
    static final short HIGHEST_VERSION = 18;
    private static final byte READ_COMMITTED = 1;
    /** The replica.selector.class values Fjord provides: Kafka's two selectors. */
    public static final java.util.Set<String> REPLICA_SELECTORS = ReadReplicaSelector.KNOWN;

    private final FetchManager sessions;
    private final PartitionReader reader;
    private final FetchResponses responses;
    private final int fetchMaxBytes;

    /** @param fetchMaxBytes {@code fetch.max.bytes}: the most one response may carry */
    public FetchHandler(PartitionLookup partitions, ClusterView cluster, FetchSessionCache sessionCache, int fetchMaxBytes) {
        this(partitions, cluster, sessionCache, fetchMaxBytes, "");
    }

    /** @param replicaSelectorClass {@code replica.selector.class}; "" keeps consumers on leaders */
    public FetchHandler(PartitionLookup partitions, ClusterView cluster, FetchSessionCache sessionCache, int fetchMaxBytes,
            String replicaSelectorClass) {
        super(ApiKey.FETCH, LOWEST_VERSION, HIGHEST_VERSION);
        this.sessions = new FetchManager(sessionCache);
        this.reader = new PartitionReader(partitions, cluster::topics, ReadReplicaSelector.of(replicaSelectorClass, cluster));
        this.responses = new FetchResponses(cluster);
        this.fetchMaxBytes = fetchMaxBytes;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        FetchRequestData request = (FetchRequestData) message;
        short version = context.apiVersion();
        FetchParams params = params(request, version, context.listenerName());
        FetchContext fetch = sessions.newContext(version, request.sessionId(), request.sessionEpoch(),
                params.fromFollower(), partitions(request, version), forgotten(request, version));

        FetchPass pass = FetchPass.run(reader, fetch.partitions(), params);
        if (params.maxWaitMs() <= 0 || fetch.partitions().isEmpty() || pass.satisfies(params)) {
            return CompletableFuture.completedFuture(answer(fetch, pass, params));
        }
        ScheduledExecutorService executor = context.eventLoop() != null ? context.eventLoop() : Fallback.EXECUTOR;
        return new DelayedFetch(executor, pass, () -> FetchPass.run(reader, fetch.partitions(), params), params,
                next -> answer(fetch, next, params)).start();
    }

    private ApiMessage answer(FetchContext fetch, FetchPass pass, FetchParams params) {
        return responses.build(fetch.answer(pass.results()), params);
    }

    private FetchParams params(FetchRequestData request, short version, String listenerName) {
        int replicaId = version >= 15 ? request.replicaState().replicaId() : request.replicaId();
        int maxBytes = Math.min(request.maxBytes(), fetchMaxBytes);
        // As Kafka: asking for more than may be sent would only ever wait the whole max_wait.
        int minBytes = Math.min(request.minBytes(), maxBytes);
        String rackId = version >= PartitionReader.FIRST_FOLLOWER_READ_VERSION ? request.rackId() : "";
        return new FetchParams(version, replicaId, request.maxWaitMs(), minBytes, maxBytes,
                request.isolationLevel() == READ_COMMITTED, listenerName, rackId == null ? "" : rackId);
    }

    /** The partitions the request names, in order; a partition named twice keeps its last entry, as in Kafka. */
    private static LinkedHashMap<FetchKey, PartitionRequest> partitions(FetchRequestData request, short version) {
        LinkedHashMap<FetchKey, PartitionRequest> partitions = new LinkedHashMap<>();
        for (FetchTopic topic : request.topics()) {
            for (FetchPartition p : topic.partitions()) {
                partitions.put(key(version, topic.topic(), topic.topicId(), p.partition()),
                        new PartitionRequest(p.fetchOffset(), p.partitionMaxBytes(), p.currentLeaderEpoch(),
                                p.lastFetchedEpoch(), p.logStartOffset()));
            }
        }
        return partitions;
    }

    private static List<FetchKey> forgotten(FetchRequestData request, short version) {
        List<FetchKey> keys = new ArrayList<>();
        for (ForgottenTopic topic : request.forgottenTopicsData()) {
            for (int partition : topic.partitions()) {
                keys.add(key(version, topic.topic(), topic.topicId(), partition));
            }
        }
        return keys;
    }

    private static FetchKey key(short version, String topic, UUID topicId, int partition) {
        return version >= 13 ? FetchKey.byId(topicId, partition) : FetchKey.byName(topic, partition);
    }

    /** Where long polls wait when the handler is called outside a server (tests): one daemon thread. */
    private static final class Fallback {
        static final ScheduledExecutorService EXECUTOR =
                new DefaultEventExecutor(new DefaultThreadFactory("fjord-fetch-wait", true));
    }
}
