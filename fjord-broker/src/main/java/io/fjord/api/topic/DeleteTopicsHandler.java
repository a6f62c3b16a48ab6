package io.fjord.api.topic;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.TopicIds;
import io.fjord.metadata.TopicInfo;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DeleteTopicsRequestData;
import io.fjord.protocol.message.DeleteTopicsRequestData.DeleteTopicState;
import io.fjord.protocol.message.DeleteTopicsResponseData;
import io.fjord.protocol.message.DeleteTopicsResponseData.DeletableTopicResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteTopics by name and, from v6, by topic id, with the checks of Kafka's controller: a topic named
 * twice (or by name and by id) is refused, an unknown name is UNKNOWN_TOPIC_OR_PARTITION, an unknown id
 * UNKNOWN_TOPIC_ID, and with {@code delete.topic.enable=false} nothing is deleted.
 */
public final class DeleteTopicsHandler extends AbstractApiHandler {
    private final MetadataStore store;
    private final boolean deleteTopicEnable;

    public DeleteTopicsHandler(MetadataStore store, boolean deleteTopicEnable) {
        super(ApiKey.DELETE_TOPICS, 1, 6);
        this.store = store;
        this.deleteTopicEnable = deleteTopicEnable;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        DeleteTopicsRequestData request = (DeleteTopicsRequestData) body;
        long deadline = Deadlines.fromTimeoutMs(request.timeoutMs());
        List<DeletableTopicResult> responses = new ArrayList<>();
        if (!deleteTopicEnable) {
            // Before v3 the protocol had no dedicated error for this.
            ApiError error = context.apiVersion() < 3
                    ? new ApiError(Errors.INVALID_REQUEST, "Topic deletion is disabled.")
                    : new ApiError(Errors.TOPIC_DELETION_DISABLED, Errors.TOPIC_DELETION_DISABLED.message());
            request.topicNames().forEach(name -> add(responses, name, TopicIds.ZERO, error));
            request.topics().forEach(t -> add(responses, t.name(), t.topicId(), error));
            return CompletableFuture.completedFuture(new DeleteTopicsResponseData().setResponses(responses));
        }

        Set<String> names = new LinkedHashSet<>();
        Set<String> duplicateNames = new LinkedHashSet<>();
        Set<UUID> ids = new LinkedHashSet<>();
        Set<UUID> duplicateIds = new LinkedHashSet<>();
        for (String name : request.topicNames()) {
            addOnce(names, duplicateNames, name);
        }
        for (DeleteTopicState topic : request.topics()) {
            boolean hasId = !TopicIds.ZERO.equals(topic.topicId());
            if (topic.name() == null && !hasId) {
                add(responses, null, TopicIds.ZERO,
                        new ApiError(Errors.INVALID_REQUEST, "Neither topic name nor id were specified."));
            } else if (topic.name() == null) {
                addOnce(ids, duplicateIds, topic.topicId());
            } else if (!hasId) {
                addOnce(names, duplicateNames, topic.name());
            } else {
                add(responses, topic.name(), topic.topicId(),
                        new ApiError(Errors.INVALID_REQUEST, "You may not specify both topic name and topic id."));
            }
        }
        duplicateNames.forEach(name -> add(responses, name, TopicIds.ZERO,
                new ApiError(Errors.INVALID_REQUEST, "Duplicate topic name.")));
        duplicateIds.forEach(id -> add(responses, null, id, new ApiError(Errors.INVALID_REQUEST, "Duplicate topic id.")));

        MetadataImage image = store.image();
        Map<UUID, String> toDelete = new LinkedHashMap<>();
        for (UUID id : ids) {
            TopicInfo topic = image.topic(id);
            if (topic == null) {
                add(responses, null, id, ApiError.of(Errors.UNKNOWN_TOPIC_ID));
            } else {
                toDelete.put(id, topic.name());
            }
        }
        for (String name : names) {
            TopicInfo topic = image.topic(name);
            if (topic == null) {
                add(responses, name, TopicIds.ZERO, ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION));
            } else if (duplicateIds.contains(topic.topicId()) || toDelete.putIfAbsent(topic.topicId(), name) != null) {
                duplicateIds.add(topic.topicId());
                toDelete.remove(topic.topicId());
                add(responses, name, topic.topicId(), new ApiError(Errors.INVALID_REQUEST,
                        "The provided topic name maps to an ID that was already supplied."));
            }
        }
        if (toDelete.isEmpty()) {
            return CompletableFuture.completedFuture(new DeleteTopicsResponseData().setResponses(responses));
        }
        return store.deleteTopics(toDelete.keySet(), deadline).handle((results, failure) -> {
            toDelete.forEach((id, name) -> add(responses, name, id,
                    failure != null ? ApiError.fromThrowable(failure) : results.get(id)));
            return new DeleteTopicsResponseData().setResponses(responses);
        });
    }

    private static <T> void addOnce(Set<T> seen, Set<T> duplicates, T item) {
        if (duplicates.contains(item) || !seen.add(item)) {
            duplicates.add(item);
            seen.remove(item);
        }
    }

    private static void add(List<DeletableTopicResult> responses, String name, UUID id, ApiError error) {
        responses.add(new DeletableTopicResult()
                .setName(name)
                .setTopicId(id)
                .setErrorCode(error.code())
                .setErrorMessage(error.messageOrDefault()));
    }
}
