package io.fjord.api.config;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.config.ConfigEntry;
import io.fjord.config.ConfigResolver;
import io.fjord.config.ConfigResource;
import io.fjord.config.ConfigSynonym;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.TopicNames;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeConfigsRequestData;
import io.fjord.protocol.message.DescribeConfigsRequestData.DescribeConfigsResource;
import io.fjord.protocol.message.DescribeConfigsResponseData;
import io.fjord.protocol.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import io.fjord.protocol.message.DescribeConfigsResponseData.DescribeConfigsResult;
import io.fjord.protocol.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs for topics and brokers: every config (or the keys asked for) with its effective
 * value, where it comes from, and, on request, its synonyms and documentation. The BROKER resource
 * named by this node's id lists all of its configs; the one with the empty name lists the cluster-wide
 * dynamic defaults only, as Kafka does.
 */
public final class DescribeConfigsHandler extends AbstractApiHandler {
    private final MetadataStore store;
    private final ConfigResolver resolver;
    private final int nodeId;

    public DescribeConfigsHandler(MetadataStore store, ConfigResolver resolver, int nodeId) {
        super(ApiKey.DESCRIBE_CONFIGS, 1, 4);
        this.store = store;
        this.resolver = resolver;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        DescribeConfigsRequestData request = (DescribeConfigsRequestData) body;
        MetadataImage image = store.image();
        List<DescribeConfigsResult> results = new ArrayList<>();
        for (DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            try {
                List<DescribeConfigsResourceResult> configs = new ArrayList<>();
                for (ConfigEntry entry : entries(image, resource)) {
                    List<String> keys = resource.configurationKeys();
                    if (keys == null || keys.isEmpty() || keys.contains(entry.name())) {
                        configs.add(describe(entry, request.includeSynonyms(), request.includeDocumentation()));
                    }
                }
                result.setErrorCode(Errors.NONE.code()).setConfigs(configs);
            } catch (ApiException e) {
                ApiError error = e.error();
                result.setErrorCode(error.code()).setErrorMessage(error.messageOrDefault()).setConfigs(new ArrayList<>());
            }
            results.add(result);
        }
        return CompletableFuture.completedFuture(new DescribeConfigsResponseData().setResults(results));
    }

    private List<ConfigEntry> entries(MetadataImage image, DescribeConfigsResource resource) {
        String name = resource.resourceName();
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        switch (type) {
            case TOPIC -> {
                String invalid = TopicNames.invalidReason(name);
                if (invalid != null) {
                    throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is illegal: " + invalid);
                }
                if (image.topic(name) == null) {
                    throw new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
                }
                return resolver.topicEntries(image.topicConfigs(name), image.brokerLayers(nodeId));
            }
            case BROKER -> {
                if (name == null || name.isEmpty()) {
                    return resolver.clusterDefaultEntries(image.brokerLayers(nodeId));
                }
                int id;
                try {
                    id = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    throw new ApiException(Errors.INVALID_REQUEST, "Broker id must be an integer, but it is: " + name);
                }
                if (id != nodeId) {
                    throw new ApiException(Errors.INVALID_REQUEST,
                            "Unexpected broker id, expected " + nodeId + " or empty string, but received " + name);
                }
                return resolver.brokerEntries(image.brokerLayers(nodeId));
            }
            default -> throw new ApiException(Errors.INVALID_REQUEST, "Unsupported resource type: " + type);
        }
    }

    private static DescribeConfigsResourceResult describe(ConfigEntry entry, boolean synonyms, boolean documentation) {
        List<DescribeConfigsSynonym> listed = new ArrayList<>();
        if (synonyms) {
            for (ConfigSynonym s : entry.synonyms()) {
                listed.add(new DescribeConfigsSynonym()
                        .setName(s.name())
                        .setValue(entry.sensitive() ? null : s.value())
                        .setSource(s.source().id));
            }
        }
        return new DescribeConfigsResourceResult()
                .setName(entry.name())
                .setValue(entry.sensitive() ? null : entry.value())
                .setReadOnly(entry.readOnly())
                .setConfigSource(entry.source().id)
                .setIsSensitive(entry.sensitive())
                .setSynonyms(listed)
                .setConfigType(entry.type().id)
                .setDocumentation(documentation ? entry.documentation() : null);
    }
}
