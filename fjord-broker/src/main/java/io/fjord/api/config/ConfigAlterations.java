package io.fjord.api.config;

import io.fjord.api.topic.Deadlines;
import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.MetadataStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The flow AlterConfigs and IncrementalAlterConfigs share: a resource named twice, or failing its
 * checks, gets its error at once; the rest go to the metadata store as one change; every resource
 * then gets an answer, in request order.
 */
final class ConfigAlterations {
    /** The requests have no timeout of their own; Kafka's broker gives the controller its request timeout. */
    private static final int TIMEOUT_MS = 30_000;

    private ConfigAlterations() {
    }

    /**
     * @param key      the config resource a request resource names
     * @param check    why a request resource cannot be altered, or null when it can
     * @param change   what to do to a request resource that passed its checks
     * @param response the answer for a request resource, given its outcome
     */
    static <R, T> CompletableFuture<List<T>> alter(MetadataStore store, List<R> resources, boolean validateOnly,
            Function<R, ConfigResource> key, Function<R, ApiError> check, Function<R, ConfigChange> change,
            BiFunction<R, ApiError, T> response) {
        Map<R, ApiError> early = new IdentityHashMap<>();
        Map<ConfigResource, Integer> occurrences = new HashMap<>();
        for (R r : resources) {
            occurrences.merge(key.apply(r), 1, Integer::sum);
        }
        Map<ConfigResource, ConfigChange> changes = new LinkedHashMap<>();
        for (R r : resources) {
            ApiError error = occurrences.get(key.apply(r)) > 1 ? AlterConfigsChecks.duplicateResource() : check.apply(r);
            if (error != null) {
                early.put(r, error);
                continue;
            }
            changes.put(key.apply(r), change.apply(r));
        }
        CompletableFuture<Map<ConfigResource, ApiError>> stored = changes.isEmpty()
                ? CompletableFuture.completedFuture(Map.of())
                : store.alterConfigs(changes, validateOnly, Deadlines.fromTimeoutMs(TIMEOUT_MS));
        return stored.handle((results, failure) -> {
            List<T> responses = new ArrayList<>();
            for (R r : resources) {
                ApiError error = early.get(r);
                if (error == null) {
                    error = failure != null ? ApiError.fromThrowable(failure) : results.get(key.apply(r));
                }
                responses.add(response.apply(r, error));
            }
            return responses;
        });
    }
}
