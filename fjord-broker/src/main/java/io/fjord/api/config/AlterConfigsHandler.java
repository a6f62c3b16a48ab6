package io.fjord.api.config;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.MetadataStore;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.message.AlterConfigsRequestData;
import io.fjord.protocol.message.AlterConfigsRequestData.AlterConfigsResource;
import io.fjord.protocol.message.AlterConfigsRequestData.AlterableConfig;
import io.fjord.protocol.message.AlterConfigsResponseData;
import io.fjord.protocol.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import io.fjord.protocol.message.ApiKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The legacy AlterConfigs: the configs given become a resource's whole set of overrides; any override
 * not named is removed. (Deprecated in Kafka for exactly that read-modify-write race; still served
 * for older tools.)
 */
public final class AlterConfigsHandler extends AbstractApiHandler {
    private final MetadataStore store;
    private final int nodeId;

    public AlterConfigsHandler(MetadataStore store, int nodeId) {
        super(ApiKey.ALTER_CONFIGS, 0, 2);
        this.store = store;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        AlterConfigsRequestData request = (AlterConfigsRequestData) body;
        return ConfigAlterations.alter(store, request.resources(), request.validateOnly(),
                AlterConfigsHandler::key, this::check,
                r -> {
                    Map<String, String> configs = new LinkedHashMap<>();
                    for (AlterableConfig c : r.configs()) {
                        configs.put(c.name(), c.value());
                    }
                    return ConfigChange.replaceWith(configs);
                },
                (r, error) -> new AlterConfigsResourceResponse()
                        .setResourceType(r.resourceType())
                        .setResourceName(r.resourceName())
                        .setErrorCode(error.code())
                        .setErrorMessage(error.isFailure() ? error.messageOrDefault() : null))
                .thenApply(responses -> new AlterConfigsResponseData().setResponses(responses));
    }

    private ApiError check(AlterConfigsResource r) {
        List<String> keys = new ArrayList<>();
        List<String> nulls = new ArrayList<>();
        for (AlterableConfig c : r.configs()) {
            keys.add(c.name());
            if (c.value() == null) {
                nulls.add(c.name());
            }
        }
        ApiError error = AlterConfigsChecks.checkKeys(keys, nulls);
        return error != null ? error : AlterConfigsChecks.checkResource(r.resourceType(), r.resourceName(), nodeId);
    }

    private static ConfigResource key(AlterConfigsResource r) {
        return new ConfigResource(ConfigResource.Type.forId(r.resourceType()), r.resourceName());
    }
}
