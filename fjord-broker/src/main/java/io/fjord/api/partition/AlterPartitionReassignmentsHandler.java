package io.fjord.api.partition;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.api.topic.Deadlines;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.CurrentLeader;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.PartitionInfo;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.AlterPartitionReassignmentsRequestData;
import io.fjord.protocol.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import io.fjord.protocol.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import io.fjord.protocol.message.AlterPartitionReassignmentsResponseData;
import io.fjord.protocol.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import io.fjord.protocol.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import io.fjord.protocol.message.ApiKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * AlterPartitionReassignments, v0 and v1: a target replica list per partition, or null to cancel the
 * reassignment in progress. The metadata store decides (INVALID_REPLICA_ASSIGNMENT,
 * NO_REASSIGNMENT_IN_PROGRESS, UNKNOWN_TOPIC_OR_PARTITION...); one result per partition named, in
 * request order. v1's AllowReplicationFactorChange=false (KIP-860) is checked here against the image:
 * a target whose size differs from the partition's replication factor (its replicas without those being
 * added) is INVALID_REPLICATION_FACTOR and never reaches the store.
 */
public final class AlterPartitionReassignmentsHandler extends AbstractApiHandler {
    private final MetadataStore store;

    public AlterPartitionReassignmentsHandler(MetadataStore store) {
        super(ApiKey.ALTER_PARTITION_REASSIGNMENTS, 0, 1);
        this.store = store;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        AlterPartitionReassignmentsRequestData request = (AlterPartitionReassignmentsRequestData) body;
        boolean allowRfChange = context.apiVersion() < 1 || request.allowReplicationFactorChange();
        Map<TopicPartition, ApiError> refused = new HashMap<>();
        Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
        for (ReassignableTopic topic : request.topics()) {
            for (ReassignablePartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                ApiError rfError = allowRfChange ? null : replicationFactorChange(tp, p.replicas());
                if (rfError != null) {
                    refused.put(tp, rfError);
                    targets.remove(tp);
                } else {
                    refused.remove(tp);
                    targets.put(tp, p.replicas() == null ? null : List.copyOf(p.replicas()));
                }
            }
        }
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(answer(request, context.apiVersion(), Map.of(), refused, null));
        }
        return store.alterPartitionReassignments(targets, Deadlines.fromTimeoutMs(request.timeoutMs()))
                .handle((results, failure) -> answer(request, context.apiVersion(), results == null ? Map.of() : results,
                        refused, failure == null ? null : ApiError.fromThrowable(failure)));
    }

    /** INVALID_REPLICATION_FACTOR when {@code target} would change the partition's replica count; null otherwise. */
    private ApiError replicationFactorChange(TopicPartition tp, List<Integer> target) {
        if (target == null) {
            return null; // a cancellation restores the original replicas
        }
        PartitionInfo info = CurrentLeader.partitionInfo(store.image(), tp.topic(), null, tp.partition());
        if (info == null) {
            return null; // the store answers UNKNOWN_TOPIC_OR_PARTITION
        }
        int current = info.replicas().size() - info.addingReplicas().size();
        if (current == target.size()) {
            return null;
        }
        return new ApiError(Errors.INVALID_REPLICATION_FACTOR,
                "The replication factor is changed from " + current + " to " + target.size());
    }

    private static AlterPartitionReassignmentsResponseData answer(AlterPartitionReassignmentsRequestData request,
            short version, Map<TopicPartition, ApiError> results, Map<TopicPartition, ApiError> refused, ApiError failure) {
        List<ReassignableTopicResponse> topics = new ArrayList<>();
        for (ReassignableTopic topic : request.topics()) {
            ReassignableTopicResponse answer = new ReassignableTopicResponse().setName(topic.name());
            for (ReassignablePartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                ApiError error = refused.get(tp);
                if (error == null) {
                    error = failure != null ? failure : results.getOrDefault(tp, ApiError.NONE);
                }
                answer.partitions().add(new ReassignablePartitionResponse()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code())
                        .setErrorMessage(error.isFailure() ? error.messageOrDefault() : null));
            }
            topics.add(answer);
        }
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setResponses(topics);
        if (failure != null) {
            // Kafka's AlterPartitionReassignmentsRequest.getErrorResponse: on top as well as on every partition.
            response.setErrorCode(failure.code()).setErrorMessage(failure.messageOrDefault());
        }
        if (version >= 1) {
            response.setAllowReplicationFactorChange(request.allowReplicationFactorChange());
        }
        return response;
    }
}
