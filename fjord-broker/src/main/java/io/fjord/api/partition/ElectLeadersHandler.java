package io.fjord.api.partition;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.api.topic.Deadlines;
import io.fjord.controller.ElectionType;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.TopicInfo;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ElectLeadersRequestData;
import io.fjord.protocol.message.ElectLeadersRequestData.TopicPartitions;
import io.fjord.protocol.message.ElectLeadersResponseData;
import io.fjord.protocol.message.ElectLeadersResponseData.PartitionResult;
import io.fjord.protocol.message.ElectLeadersResponseData.ReplicaElectionResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ElectLeaders, v0 to v2: a preferred (v0 knows no other) or unclean leader election for the partitions
 * named, or for every partition when the list is null. The metadata store decides (and forwards to
 * the active controller); this shapes Kafka's answer: one result per partition asked for, and for
 * "every partition" one entry per topic listing only the partitions where something happened or
 * failed (ELECTION_NOT_NEEDED ones are left out, as Kafka's ReplicationControlManager does). A failure
 * of the whole request is the top-level error (v1+) and every named partition's.
 */
public final class ElectLeadersHandler extends AbstractApiHandler {
    private final MetadataStore store;

    public ElectLeadersHandler(MetadataStore store) {
        super(ApiKey.ELECT_LEADERS, 0, 2);
        this.store = store;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        ElectLeadersRequestData request = (ElectLeadersRequestData) body;
        short version = context.apiVersion();
        ElectionType type = version >= 1 ? ElectionType.forValue(request.electionType()) : ElectionType.PREFERRED;
        if (type == null) {
            return CompletableFuture.completedFuture(failed(request, version,
                    new ApiError(Errors.INVALID_REQUEST, "Unknown election type " + request.electionType())));
        }
        List<TopicPartition> partitions = null;
        if (request.topicPartitions() != null) {
            Set<TopicPartition> named = new LinkedHashSet<>();
            for (TopicPartitions topic : request.topicPartitions()) {
                for (int p : topic.partitions()) {
                    named.add(new TopicPartition(topic.topic(), p));
                }
            }
            partitions = new ArrayList<>(named);
        }
        long deadline = Deadlines.fromTimeoutMs(request.timeoutMs());
        // The image the election is answered from for "every partition": topics created meanwhile are not listed.
        List<String> allTopics = partitions != null ? null
                : store.image().topics().stream().map(TopicInfo::name).toList();
        return store.electLeaders(type, partitions, deadline).handle((results, failure) -> failure != null
                ? failed(request, version, ApiError.fromThrowable(failure))
                : answer(request, allTopics, results));
    }

    private static ElectLeadersResponseData answer(ElectLeadersRequestData request, List<String> allTopics,
            Map<TopicPartition, ApiError> results) {
        List<ReplicaElectionResult> topics = new ArrayList<>();
        if (request.topicPartitions() == null) {
            for (String name : allTopics) {
                ReplicaElectionResult topic = new ReplicaElectionResult().setTopic(name);
                results.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(name) && e.getValue().error() != Errors.ELECTION_NOT_NEEDED)
                        .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.partition(), b.partition())))
                        .forEach(e -> topic.partitionResult().add(result(e.getKey().partition(), e.getValue())));
                topics.add(topic);
            }
        } else {
            for (TopicPartitions requested : request.topicPartitions()) {
                ReplicaElectionResult topic = new ReplicaElectionResult().setTopic(requested.topic());
                for (int p : requested.partitions()) {
                    ApiError error = results.get(new TopicPartition(requested.topic(), p));
                    topic.partitionResult().add(result(p, error != null ? error
                            : new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, null)));
                }
                topics.add(topic);
            }
        }
        return new ElectLeadersResponseData().setReplicaElectionResults(topics);
    }

    /** Kafka's ElectLeadersRequest.getErrorResponse: the error on top (v1+) and on every partition named. */
    private static ElectLeadersResponseData failed(ElectLeadersRequestData request, short version, ApiError error) {
        List<ReplicaElectionResult> topics = new ArrayList<>();
        if (request.topicPartitions() != null) {
            for (TopicPartitions requested : request.topicPartitions()) {
                ReplicaElectionResult topic = new ReplicaElectionResult().setTopic(requested.topic());
                for (int p : requested.partitions()) {
                    topic.partitionResult().add(result(p, error));
                }
                topics.add(topic);
            }
        }
        ElectLeadersResponseData response = new ElectLeadersResponseData().setReplicaElectionResults(topics);
        if (version >= 1) {
            response.setErrorCode(error.code());
        }
        return response;
    }

    private static PartitionResult result(int partition, ApiError error) {
        return new PartitionResult()
                .setPartitionId(partition)
                .setErrorCode(error.code())
                .setErrorMessage(error.isFailure() ? error.messageOrDefault() : null);
    }
}
