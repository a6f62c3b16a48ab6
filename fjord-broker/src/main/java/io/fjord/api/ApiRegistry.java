package io.fjord.api;

import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsResponseData.ApiVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The APIs this node serves. The network layer dispatches through it and ApiVersions advertises
 * from it, so what we advertise and what we accept cannot drift apart.
 */
public final class ApiRegistry {
    private final ApiHandler[] byKey;

    private ApiRegistry(List<ApiHandler> handlers) {
        int maxKey = 0;
        for (ApiHandler handler : handlers) {
            maxKey = Math.max(maxKey, handler.apiKey().id());
        }
        this.byKey = new ApiHandler[maxKey + 1];
        for (ApiHandler handler : handlers) {
            ApiKey key = handler.apiKey();
            if (byKey[key.id()] != null) {
                throw new IllegalArgumentException("two handlers for " + key.title());
            }
            if (handler.lowestVersion() < key.lowestVersion() || handler.highestVersion() > key.highestVersion()
                    || handler.lowestVersion() > handler.highestVersion()
                    || handler.advertisedLowestVersion() > handler.lowestVersion()) {
                throw new IllegalArgumentException(key.title() + " handler claims versions " + handler.lowestVersion()
                        + "-" + handler.highestVersion() + " outside the spec's " + key.lowestVersion() + "-"
                        + key.highestVersion());
            }
            byKey[key.id()] = handler;
        }
    }

    /**
     * A registry of {@code handlers} plus ApiVersions, which every client starts with and which lists
     * the others.
     */
    public static ApiRegistry of(List<ApiHandler> handlers) {
        List<ApiVersion> versions = new ArrayList<>();
        versions.add(new ApiVersion()
                .setApiKey(ApiKey.API_VERSIONS.id())
                .setMinVersion(ApiVersionsHandler.LOWEST_VERSION)
                .setMaxVersion(ApiVersionsHandler.HIGHEST_VERSION));
        for (ApiHandler handler : handlers) {
            versions.add(new ApiVersion()
                    .setApiKey(handler.apiKey().id())
                    .setMinVersion(handler.advertisedLowestVersion())
                    .setMaxVersion(handler.highestVersion()));
        }
        versions.sort(Comparator.comparingInt(ApiVersion::apiKey));
        List<ApiHandler> all = new ArrayList<>(handlers);
        all.add(new ApiVersionsHandler(versions));
        return new ApiRegistry(all);
    }

    /** Loads the API table and the message classes it refers to; see {@code FjordNode.warmUp}. */
    public static void warmUp() {
        ApiKey.values();
    }

    /** The handler for {@code key}, or null when this node does not serve it. */
    public ApiHandler handler(ApiKey key) {
        int id = key.id();
        return id < byKey.length ? byKey[id] : null;
    }
}
