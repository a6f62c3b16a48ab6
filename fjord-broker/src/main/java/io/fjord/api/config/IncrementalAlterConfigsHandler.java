package io.fjord.api.config;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigOp;
import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.MetadataStore;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.IncrementalAlterConfigsRequestData;
import io.fjord.protocol.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import io.fjord.protocol.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import io.fjord.protocol.message.IncrementalAlterConfigsResponseData;
import io.fjord.protocol.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT (the last two for list configs) on topic
 * and broker overrides. Each resource succeeds or fails as a whole; validate-only checks without
 * changing anything.
 */
public final class IncrementalAlterConfigsHandler extends AbstractApiHandler {
    private final MetadataStore store;
    private final int nodeId;

    public IncrementalAlterConfigsHandler(MetadataStore store, int nodeId) {
        super(ApiKey.INCREMENTAL_ALTER_CONFIGS, 0, 1);
        this.store = store;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        IncrementalAlterConfigsRequestData request = (IncrementalAlterConfigsRequestData) body;
        return ConfigAlterations.alter(store, request.resources(), request.validateOnly(),
                IncrementalAlterConfigsHandler::key, this::check,
                r -> {
                    List<ConfigOp> ops = new ArrayList<>();
                    for (AlterableConfig c : r.configs()) {
                        ops.add(new ConfigOp(c.name(), ConfigOp.Type.forId(c.configOperation()), c.value()));
                    }
                    return ConfigChange.incremental(ops);
                },
                (r, error) -> new AlterConfigsResourceResponse()
                        .setResourceType(r.resourceType())
                        .setResourceName(r.resourceName())
                        .setErrorCode(error.code())
                        .setErrorMessage(error.isFailure() ? error.messageOrDefault() : null))
                .thenApply(responses -> new IncrementalAlterConfigsResponseData().setResponses(responses));
    }

    private ApiError check(AlterConfigsResource r) {
        List<String> keys = new ArrayList<>();
        List<String> nulls = new ArrayList<>();
        for (AlterableConfig c : r.configs()) {
            keys.add(c.name());
            ConfigOp.Type op = ConfigOp.Type.forId(c.configOperation());
            if (op == null) {
                return new ApiError(Errors.INVALID_REQUEST, "Unknown operations type " + c.configOperation());
            }
            if (op != ConfigOp.Type.DELETE && c.value() == null) {
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
