package io.fjord.api.config;

import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiError;
import io.fjord.protocol.Errors;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a Kafka broker checks in AlterConfigs and IncrementalAlterConfigs before passing a change on to
 * the controller: resource types it can store, broker resources that name this broker (or the
 * cluster default), no key twice, no null values.
 */
final class AlterConfigsChecks {
    private AlterConfigsChecks() {
    }

    /** Why a resource cannot be altered here, or null when it can. */
    static ApiError checkResource(byte typeId, String name, int nodeId) {
        ConfigResource.Type type = ConfigResource.Type.forId(typeId);
        if (type == ConfigResource.Type.TOPIC) {
            return null;
        }
        if (type != ConfigResource.Type.BROKER) {
            return new ApiError(Errors.INVALID_REQUEST, "Unknown resource type " + typeId);
        }
        if (name.isEmpty()) {
            return null;
        }
        int id;
        try {
            id = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return new ApiError(Errors.INVALID_REQUEST, "Node id must be an integer, but it is: " + name);
        }
        if (id != nodeId) {
            return new ApiError(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + nodeId + ", but received " + name);
        }
        return null;
    }

    static ApiError checkKeys(Collection<String> keys, List<String> nullValued) {
        Set<String> seen = new HashSet<>();
        for (String key : keys) {
            if (!seen.add(key)) {
                return new ApiError(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
        }
        if (!nullValued.isEmpty()) {
            return new ApiError(Errors.INVALID_REQUEST, "Null value not supported for : " + String.join(", ", nullValued));
        }
        return null;
    }

    static ApiError duplicateResource() {
        return new ApiError(Errors.INVALID_REQUEST, "Each resource must appear at most once.");
    }
}
