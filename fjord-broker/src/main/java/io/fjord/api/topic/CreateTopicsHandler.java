package io.fjord.api.topic;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.config.ConfigEntry;
import io.fjord.config.ConfigResolver;
import io.fjord.config.TopicConfigs;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.TopicSpec;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.CreateTopicsRequestData;
import io.fjord.protocol.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import io.fjord.protocol.message.CreateTopicsRequestData.CreatableTopic;
import io.fjord.protocol.message.CreateTopicsRequestData.CreatableTopicConfig;
import io.fjord.protocol.message.CreateTopicsResponseData;
import io.fjord.protocol.message.CreateTopicsResponseData.CreatableTopicConfigs;
import io.fjord.protocol.message.CreateTopicsResponseData.CreatableTopicResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTopics, answered as a KRaft cluster answers it: names checked, duplicates in one request
 * refused, then the metadata store (the controller) decides on each topic. From v5 a created topic's
 * answer carries its partition count, replication factor and every config with its source, also for
 * validate-only requests; from v7 its id.
 */
public final class CreateTopicsHandler extends AbstractApiHandler {
    /** Kafka's own metadata log; nobody may create a topic of that name. */
    static final String CLUSTER_METADATA_TOPIC = "__cluster_metadata";

    private final MetadataStore store;
    private final ConfigResolver configs;
    private final int nodeId;

    public CreateTopicsHandler(MetadataStore store, ConfigResolver configs, int nodeId) {
        super(ApiKey.CREATE_TOPICS, 2, 7);
        this.store = store;
        this.configs = configs;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        CreateTopicsRequestData request = (CreateTopicsRequestData) body;
        long deadline = Deadlines.fromTimeoutMs(request.timeoutMs());
        Set<String> order = new LinkedHashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (CreatableTopic topic : request.topics()) {
            if (!order.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        Map<String, CreatableTopicResult> results = new HashMap<>();
        List<TopicSpec> specs = new ArrayList<>();
        for (CreatableTopic topic : request.topics()) {
            String name = topic.name();
            if (duplicates.contains(name)) {
                results.put(name, error(name, new ApiError(Errors.INVALID_REQUEST, "Duplicate topic name.")));
            } else if (CLUSTER_METADATA_TOPIC.equals(name)) {
                results.put(name, error(name, new ApiError(Errors.INVALID_REQUEST,
                        "Creation of internal topic " + CLUSTER_METADATA_TOPIC + " is prohibited.")));
            } else {
                ApiError nulls = nullConfigs(topic);
                if (nulls != null) {
                    results.put(name, error(name, nulls));
                } else {
                    specs.add(spec(topic));
                }
            }
        }
        if (specs.isEmpty()) {
            return CompletableFuture.completedFuture(respond(order, results));
        }
        return store.createTopics(specs, request.validateOnly(), deadline).handle((created, failure) -> {
            for (int i = 0; i < specs.size(); i++) {
                TopicSpec spec = specs.get(i);
                results.put(spec.name(), failure != null
                        ? error(spec.name(), ApiError.fromThrowable(failure))
                        : result(spec, created.get(i)));
            }
            return respond(order, results);
        });
    }

    /** Kafka's controller refuses null config values before anything else about the topic. */
    private static ApiError nullConfigs(CreatableTopic topic) {
        List<String> nulls = new ArrayList<>();
        for (CreatableTopicConfig config : topic.configs()) {
            if (config.value() == null) {
                nulls.add(config.name());
            }
        }
        return nulls.isEmpty() ? null : new ApiError(Errors.INVALID_CONFIG,
                "Null value not supported for topic configs: " + String.join(",", nulls));
    }

    private static TopicSpec spec(CreatableTopic topic) {
        List<TopicSpec.Assignment> assignments = new ArrayList<>();
        for (CreatableReplicaAssignment a : topic.assignments()) {
            assignments.add(new TopicSpec.Assignment(a.partitionIndex(), a.brokerIds()));
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (CreatableTopicConfig config : topic.configs()) {
            overrides.put(config.name(), config.value());
        }
        return new TopicSpec(topic.name(), topic.numPartitions(), topic.replicationFactor(), assignments, overrides);
    }

    private CreatableTopicResult result(TopicSpec spec, CreatedTopic created) {
        if (created.error().isFailure()) {
            return error(spec.name(), created.error());
        }
        List<CreatableTopicConfigs> described = new ArrayList<>();
        // The store accepted these overrides, so they validate; the response reports them resolved.
        Map<String, String> overrides = TopicConfigs.validate(spec.configs());
        for (ConfigEntry entry : configs.topicEntries(overrides, store.image().brokerLayers(nodeId))) {
            described.add(new CreatableTopicConfigs()
                    .setName(entry.name())
                    .setValue(entry.sensitive() ? null : entry.value())
                    .setReadOnly(entry.readOnly())
                    .setConfigSource(entry.source().id)
                    .setIsSensitive(entry.sensitive()));
        }
        return new CreatableTopicResult()
                .setName(spec.name())
                .setTopicId(created.topicId())
                .setErrorCode(Errors.NONE.code())
                .setErrorMessage(null)
                .setNumPartitions(created.numPartitions())
                .setReplicationFactor(created.replicationFactor())
                .setTopicConfigErrorCode(Errors.NONE.code())
                .setConfigs(described);
    }

    private static CreatableTopicResult error(String name, ApiError error) {
        return new CreatableTopicResult()
                .setName(name)
                .setErrorCode(error.code())
                .setErrorMessage(error.messageOrDefault());
    }

    private static CreateTopicsResponseData respond(Set<String> order, Map<String, CreatableTopicResult> results) {
        List<CreatableTopicResult> topics = new ArrayList<>(order.size());
        for (String name : order) {
            topics.add(results.get(name));
        }
        return new CreateTopicsResponseData().setTopics(topics);
    }
}
