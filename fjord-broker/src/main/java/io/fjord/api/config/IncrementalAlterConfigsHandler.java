package io.fjord.api.config;

import io.fjord.api.ApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.api.topic.Deadlines;
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
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT (the last two for list configs) on topic
 * and broker overrides. Each resource succeeds or fails as a whole; validate-only checks without
 * changing anything.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler {
    /** The request has no timeout of its own; Kafka's broker gives the controller its request timeout. */
    private static final int TIMEOUT_MS = 30_000;

    private final MetadataStore store;
    private final int nodeId;

    public IncrementalAlterConfigsHandler(MetadataStore store, int nodeId) {
        this.store = store;
        this.nodeId = nodeId;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public short lowestVersion() {
        return 0;
    }

    @Override
    public short highestVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        IncrementalAlterConfigsRequestData request = (IncrementalAlterConfigsRequestData) body;
        Map<AlterConfigsResource, ApiError> early = new IdentityHashMap<>();
        Map<ConfigResource, Integer> occurrences = new HashMap<>();
        for (AlterConfigsResource r : request.resources()) {
            occurrences.merge(key(r), 1, Integer::sum);
        }
        Map<ConfigResource, ConfigChange> changes = new LinkedHashMap<>();
        for (AlterConfigsResource r : request.resources()) {
            ApiError error = occurrences.get(key(r)) > 1 ? AlterConfigsChecks.duplicateResource() : check(r);
            if (error != null) {
                early.put(r, error);
                continue;
            }
            List<ConfigOp> ops = new ArrayList<>();
            for (AlterableConfig c : r.configs()) {
                ops.add(new ConfigOp(c.name(), ConfigOp.Type.forId(c.configOperation()), c.value()));
            }
            changes.put(key(r), ConfigChange.incremental(ops));
        }
        CompletableFuture<Map<ConfigResource, ApiError>> stored = changes.isEmpty()
                ? CompletableFuture.completedFuture(Map.of())
                : store.alterConfigs(changes, request.validateOnly(), Deadlines.fromTimeoutMs(TIMEOUT_MS));
        return stored.handle((results, failure) -> {
            List<AlterConfigsResourceResponse> responses = new ArrayList<>();
            for (AlterConfigsResource r : request.resources()) {
                ApiError error = early.get(r);
                if (error == null) {
                    error = failure != null ? ApiError.fromThrowable(failure) : results.get(key(r));
                }
                responses.add(new AlterConfigsResourceResponse()
                        .setResourceType(r.resourceType())
                        .setResourceName(r.resourceName())
                        .setErrorCode(error.code())
                        .setErrorMessage(error.isFailure() ? error.messageOrDefault() : null));
            }
            return new IncrementalAlterConfigsResponseData().setResponses(responses);
        });
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
