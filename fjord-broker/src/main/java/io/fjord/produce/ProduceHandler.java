package io.fjord.produce;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.CloseConnectionException;
import io.fjord.api.RequestContext;
import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.CurrentLeader;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicCreator;
import io.fjord.metadata.TopicNames;
import io.fjord.network.Endpoint;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionLookup;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.BaseRecords;
import io.fjord.protocol.Errors;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceRequestData.PartitionProduceData;
import io.fjord.protocol.message.ProduceRequestData.TopicProduceData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.message.ProduceResponseData.NodeEndpoint;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import io.fjord.protocol.message.ProduceResponseData.TopicProduceResponse;
import io.fjord.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce: every version Kafka 4 accepts, v3 (the first with record batch v2) to v13 (topics by id).
 * ApiVersions advertises it from v0 as Kafka 4 does, because librdkafka before 2.10 refuses to produce
 * compressed batches to a broker whose Produce range starts above v0 (KAFKA-18659); a v0-2 request is
 * still refused, by closing the connection, as Kafka does.
 *
 * <p>Each partition's batch is appended on the calling event loop ({@link LeaderAppender}): validation
 * and the write are short, and fsync is the flusher thread's job. acks=1 is answered once the batch is
 * in the leader's log. acks=-1 is refused with NOT_ENOUGH_REPLICAS while the ISR is smaller than
 * min.insync.replicas, and otherwise answered once every ISR member has the batch (the high watermark
 * passed it), or with REQUEST_TIMED_OUT when timeoutMs runs out first ({@link DurableResponse}); a
 * leader alone in its ISR answers at once. With {@code fjord.flush.group.commit} the answer also waits,
 * off the event loop, until the flusher has fsynced the batch.
 * acks=0 gets no response; if any partition failed, the connection is closed instead, so the producer
 * notices and refreshes its metadata.
 *
 * <p>Only the partition's leader appends: a partition led elsewhere (or by nobody) is refused with
 * NOT_LEADER_OR_FOLLOWER, and from v10 the refusal names the current leader and its endpoint (KIP-951),
 * so the producer can go there without a metadata round trip.
 */
public final class ProduceHandler extends AbstractApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);

    /** What ApiVersions lists (KAFKA-18659); requests below {@link #lowestVersion()} are still refused. */
    static final short ADVERTISED_LOWEST_VERSION = 0;
    /** From v13 topics are named by id. */
    private static final short FIRST_TOPIC_ID_VERSION = 13;
    /** Kafka lets only its admin tooling write to internal topics through Produce. */
    private static final String ADMIN_CLIENT_ID = "__admin_client";
    private static final int TRANSACTIONAL_FLAG = 0x10;
    /** From v10 a NOT_LEADER_OR_FOLLOWER answer carries CurrentLeader and NodeEndpoints (KIP-951). */
    private static final short FIRST_LEADER_HINT_VERSION = 10;

    private final PartitionLookup partitions;
    private final TopicCreator topicCreator;
    private final LeaderAppender appender;
    private final LongSupplier clock;
    private final DurableResponse.Flushes flushes;
    /** The cluster, for partitions led elsewhere; null where every partition held here is led here (tests). */
    private final ClusterView cluster;

    public ProduceHandler(PartitionLookup partitions, TopicCreator topicCreator) {
        this(partitions, topicCreator, TimestampLimits.KAFKA_DEFAULTS, System::currentTimeMillis);
    }

    /** @param cluster where partitions this node holds no leader of are led, for NOT_LEADER_OR_FOLLOWER and its hints */
    public ProduceHandler(PartitionLookup partitions, TopicCreator topicCreator, ClusterView cluster) {
        this(partitions, topicCreator, TimestampLimits.KAFKA_DEFAULTS, System::currentTimeMillis,
                DurableResponse.Flushes.LOG_FLUSHER, cluster);
    }

    public ProduceHandler(PartitionLookup partitions, TopicCreator topicCreator, TimestampLimits timestampLimits,
            LongSupplier clock) {
        this(partitions, topicCreator, timestampLimits, clock, DurableResponse.Flushes.LOG_FLUSHER);
    }

    ProduceHandler(PartitionLookup partitions, TopicCreator topicCreator, TimestampLimits timestampLimits,
            LongSupplier clock, DurableResponse.Flushes flushes) {
        this(partitions, topicCreator, timestampLimits, clock, flushes, null);
    }

    ProduceHandler(PartitionLookup partitions, TopicCreator topicCreator, TimestampLimits timestampLimits,
            LongSupplier clock, DurableResponse.Flushes flushes, ClusterView cluster) {
        super(ApiKey.PRODUCE);
        this.cluster = cluster;
        this.partitions = partitions;
        this.topicCreator = topicCreator;
        this.appender = new LeaderAppender(timestampLimits);
        this.clock = clock;
        this.flushes = flushes;
    }

    @Override
    public short advertisedLowestVersion() {
        return ADVERTISED_LOWEST_VERSION;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ProduceRequestData request = (ProduceRequestData) message;
        short acks = request.acks();
        short version = context.apiVersion();
        // Failures of the whole request, which Kafka reports on every partition.
        Errors requestError = Errors.NONE;
        if (acks != -1 && acks != 0 && acks != 1) {
            requestError = Errors.INVALID_REQUIRED_ACKS;
        } else if (hasTransactionalRecords(request)) {
            // Without a transaction coordinator no producer holds a transactional id of ours; Kafka refuses
            // transactional records it cannot authorize the same way.
            requestError = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        long now = clock.getAsLong();
        List<TopicProduceData> topics = request.topicData();
        List<TopicProduceResponse> topicResponses = new ArrayList<>(topics.size());
        ProduceResponseData response = new ProduceResponseData();
        // Only for requests that must wait for an fsync; the usual request never allocates one.
        DurableResponse durable = null;
        String firstFailure = null;
        for (TopicProduceData topic : topics) {
            TopicProduceResponse topicResponse = new TopicProduceResponse();
            if (version >= FIRST_TOPIC_ID_VERSION) {
                topicResponse.setTopicId(topic.topicId());
            } else {
                topicResponse.setName(topic.name());
            }
            List<PartitionProduceResponse> partitionResponses = new ArrayList<>(topic.partitionData().size());
            for (PartitionProduceData data : topic.partitionData()) {
                Partition partition = requestError != Errors.NONE ? null : lookup(version, topic, data);
                AppendResult result = requestError != Errors.NONE
                        ? AppendResult.failed(requestError, null)
                        : appendOne(context, version, acks, topic, data, partition, now);
                if (result.error() != Errors.NONE) {
                    if (firstFailure == null) {
                        firstFailure = describe(topic, data.index(), version) + ": " + result.error()
                                + (result.message() != null ? " (" + result.message() + ")" : "");
                    }
                    LOG.debug("Produce to {} from {} (correlation id {}) failed: {} {}", describe(topic, data.index(), version),
                            context.clientId(), context.correlationId(), result.error(), result.message());
                }
                PartitionProduceResponse entry = new PartitionProduceResponse()
                        .setIndex(data.index())
                        .setErrorCode(result.error().code())
                        .setBaseOffset(result.baseOffset())
                        .setLogAppendTimeMs(result.logAppendTime())
                        .setLogStartOffset(result.logStartOffset())
                        .setRecordErrors(result.recordErrors())
                        .setErrorMessage(result.message());
                if (result.error() == Errors.NOT_LEADER_OR_FOLLOWER && version >= FIRST_LEADER_HINT_VERSION
                        && cluster != null) {
                    addLeaderHint(context, response, version, topic, entry);
                }
                partitionResponses.add(entry);
                if (acks == -1 && result.error() == Errors.NONE) {
                    int minIsr = partition.effectiveMinInSyncReplicas();
                    CompletableFuture<Long> replicated = partition.awaitReplication(result.lastOffset());
                    if (!replicated.isDone() || replicated.isCompletedExceptionally()) {
                        if (durable == null) {
                            durable = new DurableResponse(response, context);
                        }
                        durable.awaitReplication(partition, result.lastOffset(), replicated, minIsr, entry);
                    } else {
                        DurableResponse.checkInSync(partition, minIsr, entry);
                    }
                }
                if (acks != 0 && result.error() == Errors.NONE && partition.config().log().groupCommit()) {
                    CompletableFuture<Long> flushed = flushes.flushed(partition, result.lastOffset());
                    if (!flushed.isDone() || flushed.isCompletedExceptionally()) {
                        if (durable == null) {
                            durable = new DurableResponse(response, context);
                        }
                        durable.await(partition, result.lastOffset(), flushed, entry);
                    }
                }
            }
            topicResponses.add(topicResponse.setPartitionResponses(partitionResponses));
        }
        if (acks == 0) {
            return firstFailure == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new CloseConnectionException("acks=0 produce failed: " + firstFailure));
        }
        response.setResponses(topicResponses);
        return durable == null ? CompletableFuture.completedFuture(response)
                : durable.seal(context.eventLoop(), request.timeoutMs());
    }

    private Partition lookup(short version, TopicProduceData topic, PartitionProduceData data) {
        return version >= FIRST_TOPIC_ID_VERSION
                ? partitions.partition(topic.topicId(), data.index())
                : partitions.partition(topic.name(), data.index());
    }

    private AppendResult appendOne(RequestContext context, short version, short acks, TopicProduceData topic,
            PartitionProduceData data, Partition partition, long now) {
        if (partition == null ? inImage(version, topic, data.index()) : !partition.isLeader()) {
            // Kafka: a partition the metadata has but this node does not lead, whether it is a follower
            // here or holds no replica at all. Also when there is no leader right now (-1), and when this
            // node leads it but has not opened it yet (Kafka's getPartitionOrError).
            return AppendResult.failed(Errors.NOT_LEADER_OR_FOLLOWER, null);
        }
        if (version >= FIRST_TOPIC_ID_VERSION) {
            if (partition == null) {
                return AppendResult.failed(Errors.UNKNOWN_TOPIC_ID, null);
            }
        } else {
            if (partition == null) {
                // Clients retry UNKNOWN_TOPIC_OR_PARTITION; by then the topic may exist.
                if (!TopicNames.isInternal(topic.name())) {
                    topicCreator.autoCreate(topic.name());
                }
                return AppendResult.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
            }
        }
        String topicName = partition.topicPartition().topic();
        if (TopicNames.isInternal(topicName) && !ADMIN_CLIENT_ID.equals(context.clientId())) {
            return AppendResult.failed(Errors.INVALID_TOPIC_EXCEPTION, "cannot produce to internal topic " + topicName);
        }
        BaseRecords records = data.records();
        if (records instanceof MemoryRecords memory) {
            ByteBuffer owned = memory.ownedBuffer();
            if (owned != null) {
                return appender.append(partition, owned, true, acks, version, now);
            }
        }
        return appender.append(partition, buffer(records), false, acks, version, now);
    }

    /**
     * Whether the image has the partition this node holds no open replica of: led elsewhere, leaderless,
     * or led here but not opened yet (offline or still opening). Only a partition the image lacks is unknown.
     */
    private boolean inImage(short version, TopicProduceData topic, int index) {
        if (cluster == null) {
            return false;
        }
        PartitionInfo info = CurrentLeader.partitionInfo(cluster.topics(),
                topic.name(), version >= FIRST_TOPIC_ID_VERSION ? topic.topicId() : null, index);
        return info != null;
    }

    /** CurrentLeader on the partition, and the leader's endpoint on the request's listener once per response. */
    private void addLeaderHint(RequestContext context, ProduceResponseData response, short version, TopicProduceData topic,
            PartitionProduceResponse entry) {
        CurrentLeader leader = CurrentLeader.of(cluster, topic.name(),
                version >= FIRST_TOPIC_ID_VERSION ? topic.topicId() : null, entry.index());
        entry.currentLeader().setLeaderId(leader.leaderId()).setLeaderEpoch(leader.leaderEpoch());
        BrokerNode node = leader.node();
        Endpoint endpoint = node == null ? null : node.endpoint(context.listenerName());
        if (endpoint == null) {
            return;
        }
        for (NodeEndpoint known : response.nodeEndpoints()) {
            if (known.nodeId() == node.id()) {
                return;
            }
        }
        response.nodeEndpoints().add(new NodeEndpoint()
                .setNodeId(node.id())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(node.rack()));
    }

    private static ByteBuffer buffer(BaseRecords records) {
        if (records instanceof MemoryRecords memory) {
            return memory.buffer();
        }
        return null;
    }

    /** Kafka looks at the first batch of each partition, as the transactional flag is the same on all of them. */
    private static boolean hasTransactionalRecords(ProduceRequestData request) {
        for (TopicProduceData topic : request.topicData()) {
            for (PartitionProduceData data : topic.partitionData()) {
                ByteBuffer records = buffer(data.records());
                if (records != null && records.remaining() >= RecordBatch.HEADER_SIZE
                        && records.get(records.position() + RecordBatch.MAGIC_OFFSET) == RecordBatch.MAGIC
                        && (records.getShort(records.position() + RecordBatch.ATTRIBUTES_OFFSET) & TRANSACTIONAL_FLAG) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(TopicProduceData topic, int partition, short version) {
        return (version >= FIRST_TOPIC_ID_VERSION ? String.valueOf(topic.topicId()) : topic.name()) + "-" + partition;
    }
}
