package io.fjord.api.topic;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.AuthorizedOperations;
import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicIds;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicNames;
import io.fjord.metadata.TopicRegistry;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeTopicPartitionsRequestData;
import io.fjord.protocol.message.DescribeTopicPartitionsRequestData.TopicRequest;
import io.fjord.protocol.message.DescribeTopicPartitionsResponseData;
import io.fjord.protocol.message.DescribeTopicPartitionsResponseData.Cursor;
import io.fjord.protocol.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import io.fjord.protocol.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeTopicPartitions (KIP-966): topics in name order, at most {@code response_partition_limit}
 * partitions per answer (capped by {@code max.request.partition.size.limit}), and a cursor naming
 * where the next request should resume when the limit cut the answer short. An empty topic list
 * means every topic; unknown topics are reported only when named.
 */
public final class DescribeTopicPartitionsHandler extends AbstractApiHandler {
    private final ClusterView cluster;
    private final int maxPartitionLimit;

    public DescribeTopicPartitionsHandler(ClusterView cluster, int maxPartitionLimit) {
        super(ApiKey.DESCRIBE_TOPIC_PARTITIONS, 0, 0);
        this.cluster = cluster;
        this.maxPartitionLimit = maxPartitionLimit;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        return CompletableFuture.completedFuture(respond(context, (DescribeTopicPartitionsRequestData) body));
    }

    DescribeTopicPartitionsResponseData respond(RequestContext context, DescribeTopicPartitionsRequestData request) {
        TopicRegistry registry = cluster.topics();
        boolean allTopics = request.topics().isEmpty();
        DescribeTopicPartitionsRequestData.Cursor cursor = request.cursor();
        String cursorTopic = cursor == null ? "" : cursor.topicName();
        TreeSet<String> names = new TreeSet<>();
        if (allTopics) {
            registry.topics().forEach(t -> names.add(t.name()));
        } else {
            request.topics().forEach(t -> names.add(t.name()));
            if (cursor != null && !names.contains(cursor.topicName())) {
                // A cursor must point into the topics asked for.
                return invalid(request);
            }
        }
        if (cursor != null && cursor.partitionIndex() < 0) {
            return invalid(request);
        }

        Set<Integer> alive = aliveOn(context.listenerName());
        int remaining = Math.max(Math.min(maxPartitionLimit, request.responsePartitionLimit()), 1);
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData();
        for (String name : names.tailSet(cursorTopic, true)) {
            if (remaining == 0) {
                // The previous topic filled the answer exactly: resume at the start of this one.
                response.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(0));
                break;
            }
            TopicInfo topic = registry.topic(name);
            if (topic == null) {
                if (!allTopics) {
                    response.topics().add(unknown(name));
                }
                continue;
            }
            int start = name.equals(cursorTopic) ? cursor.partitionIndex() : 0;
            int end = Math.min(topic.partitions().size(), start + remaining);
            List<DescribeTopicPartitionsResponsePartition> partitions = new ArrayList<>();
            for (int p = start; p < end; p++) {
                partitions.add(partition(topic.partitions().get(p), alive));
            }
            response.topics().add(new DescribeTopicPartitionsResponseTopic()
                    .setErrorCode(Errors.NONE.code())
                    .setName(name)
                    .setTopicId(topic.topicId())
                    .setIsInternal(topic.internal())
                    .setPartitions(partitions)
                    .setTopicAuthorizedOperations(AuthorizedOperations.ALL_TOPIC_OPERATIONS));
            if (end < topic.partitions().size()) {
                response.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(end));
                break;
            }
            remaining -= partitions.size();
        }
        return response;
    }

    private Set<Integer> aliveOn(String listenerName) {
        Set<Integer> alive = new HashSet<>();
        for (BrokerNode broker : cluster.aliveBrokers()) {
            if (broker.endpoint(listenerName) != null && !broker.fenced()) {
                alive.add(broker.id());
            }
        }
        return alive;
    }

    private static DescribeTopicPartitionsResponsePartition partition(PartitionInfo p, Set<Integer> alive) {
        return new DescribeTopicPartitionsResponsePartition()
                .setErrorCode(Errors.NONE.code())
                .setPartitionIndex(p.partition())
                .setLeaderId(alive.contains(p.leaderId()) ? p.leaderId() : -1)
                .setLeaderEpoch(p.leaderEpoch())
                .setReplicaNodes(new ArrayList<>(p.replicas()))
                .setIsrNodes(new ArrayList<>(p.isr()))
                .setEligibleLeaderReplicas(new ArrayList<>())
                .setLastKnownElr(new ArrayList<>())
                .setOfflineReplicas(new ArrayList<>(p.offlineReplicas()));
    }

    private static DescribeTopicPartitionsResponseTopic unknown(String name) {
        Errors error = TopicNames.isValid(name) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.INVALID_TOPIC_EXCEPTION;
        return new DescribeTopicPartitionsResponseTopic()
                .setErrorCode(error.code())
                .setName(name)
                .setTopicId(TopicIds.ZERO)
                .setIsInternal(TopicNames.isInternal(name))
                .setTopicAuthorizedOperations(AuthorizedOperations.ALL_TOPIC_OPERATIONS);
    }

    /** The whole request fails: every topic it names carries the error, as Kafka's error response does. */
    private static DescribeTopicPartitionsResponseData invalid(DescribeTopicPartitionsRequestData request) {
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData();
        for (TopicRequest topic : request.topics()) {
            response.topics().add(new DescribeTopicPartitionsResponseTopic()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setName(topic.name())
                    .setTopicId(TopicIds.ZERO));
        }
        return response;
    }
}
