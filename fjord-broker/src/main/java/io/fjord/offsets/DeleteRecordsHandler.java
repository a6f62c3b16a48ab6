package io.fjord.offsets;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.log.LogClosedException;
import io.fjord.log.LogStorageException;
import io.fjord.log.OffsetOutOfRangeException;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.CurrentLeader;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicInfo;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionLookup;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DeleteRecordsRequestData;
import io.fjord.protocol.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import io.fjord.protocol.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import io.fjord.protocol.message.DeleteRecordsResponseData;
import io.fjord.protocol.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import io.fjord.protocol.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRecords, versions 0 to 2: moves a partition's log start offset up to the offset asked
 * (-1 meaning the high watermark), never past the high watermark (OFFSET_OUT_OF_RANGE), and answers
 * the new low watermark. Segments wholly below it are deleted, after sends still reading them finish.
 * Internal topics are refused (INVALID_TOPIC_EXCEPTION), as in Kafka.
 *
 * <p>With one replica the low watermark is the leader's log start offset, reached at once, so the
 * request's timeout never comes into play. Only the leader deletes: a partition led elsewhere (or by
 * nobody) is NOT_LEADER_OR_FOLLOWER, as in Kafka.
 */
public final class DeleteRecordsHandler extends AbstractApiHandler {
    private static final Logger log = LoggerFactory.getLogger(DeleteRecordsHandler.class);
    private static final long HIGH_WATERMARK = -1;
    /** Kafka's internal topics, for when the topic registry does not say. */
    private static final Set<String> INTERNAL_TOPICS = Set.of("__consumer_offsets", "__transaction_state",
            "__share_group_state");

    private final PartitionLookup partitions;
    private final ClusterView cluster;
    /** This node, or -1 when not known (tests of one node): then a partition not held here is unknown. */
    private final int nodeId;

    public DeleteRecordsHandler(PartitionLookup partitions, ClusterView cluster) {
        this(partitions, cluster, -1);
    }

    public DeleteRecordsHandler(PartitionLookup partitions, ClusterView cluster, int nodeId) {
        super(ApiKey.DELETE_RECORDS, 0, 2);
        this.partitions = partitions;
        this.cluster = cluster;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DeleteRecordsRequestData request = (DeleteRecordsRequestData) message;
        List<DeleteRecordsTopicResult> topics = new ArrayList<>(request.topics().size());
        for (DeleteRecordsTopic topic : request.topics()) {
            List<DeleteRecordsPartitionResult> results = new ArrayList<>(topic.partitions().size());
            for (DeleteRecordsPartition p : topic.partitions()) {
                results.add(delete(topic.name(), p));
            }
            topics.add(new DeleteRecordsTopicResult().setName(topic.name()).setPartitions(results));
        }
        return CompletableFuture.completedFuture(new DeleteRecordsResponseData().setTopics(topics));
    }

    private DeleteRecordsPartitionResult delete(String topic, DeleteRecordsPartition request) {
        if (isInternal(topic)) {
            return result(request, Errors.INVALID_TOPIC_EXCEPTION, -1);
        }
        Partition partition = partitions.partition(topic, request.partitionIndex());
        if (partition == null) {
            PartitionInfo info = nodeId < 0 ? null
                    : CurrentLeader.partitionInfo(cluster.topics(), topic, null, request.partitionIndex());
            // Kafka's getPartitionOrError: a partition the image has is NOT_LEADER_OR_FOLLOWER even when this
            // node leads it but has not opened it (offline or still opening); only an unknown one is unknown.
            return result(request, info != null ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION, -1);
        }
        if (!partition.isLeader()) {
            return result(request, Errors.NOT_LEADER_OR_FOLLOWER, -1);
        }
        long highWatermark = partition.highWatermark();
        long offset = request.offset() == HIGH_WATERMARK ? highWatermark : request.offset();
        if (offset < 0 || offset > highWatermark) {
            return result(request, Errors.OFFSET_OUT_OF_RANGE, -1);
        }
        try {
            // Deleting files is quick: the log unlinks whole segments (and defers the unlink while sends read them).
            partition.log().deleteRecordsBefore(offset);
            return result(request, Errors.NONE, partition.logStartOffset());
        } catch (OffsetOutOfRangeException e) {
            return result(request, Errors.OFFSET_OUT_OF_RANGE, -1);
        } catch (LogClosedException e) {
            return result(request, Errors.UNKNOWN_TOPIC_OR_PARTITION, -1);
        } catch (LogStorageException e) {
            log.error("DeleteRecords on {}-{} before offset {} failed", topic, request.partitionIndex(), offset, e);
            return result(request, Errors.KAFKA_STORAGE_ERROR, -1);
        }
    }

    private boolean isInternal(String topic) {
        TopicInfo info = cluster.topics().topic(topic);
        return info != null ? info.internal() : INTERNAL_TOPICS.contains(topic);
    }

    private static DeleteRecordsPartitionResult result(DeleteRecordsPartition request, Errors error, long lowWatermark) {
        return new DeleteRecordsPartitionResult()
                .setPartitionIndex(request.partitionIndex())
                .setErrorCode(error.code())
                .setLowWatermark(lowWatermark);
    }
}
