package io.fjord.metadata;

import io.fjord.config.BrokerConfigs;
import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigResource;
import io.fjord.config.InvalidConfigException;
import io.fjord.config.TopicConfigs;
import io.fjord.protocol.Errors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The controller's decisions on config changes: the overrides after the change, validated as a whole,
 * or the error. Each resource succeeds or fails alone. Errors follow Kafka: a bad topic config is
 * INVALID_CONFIG; a bad broker config is INVALID_REQUEST (Kafka's broker-side check, KAFKA-13609).
 */
public final class ConfigOperations {

    private ConfigOperations() {
    }

    public static ChangeResult<Map<ConfigResource, ApiError>> alterConfigs(MetadataImage image,
            Map<ConfigResource, ConfigChange> changes) {
        MetadataImage.Builder next = image.toBuilder();
        Map<ConfigResource, ApiError> results = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<ConfigResource, ConfigChange> e : changes.entrySet()) {
            ConfigResource resource = e.getKey();
            try {
                switch (resource.type()) {
                    case TOPIC -> {
                        TopicImage altered = alterTopic(image, resource.name(), e.getValue());
                        next.putTopic(altered);
                    }
                    case BROKER -> next.brokerConfigs(resource.name(), alterBroker(image, resource.name(), e.getValue()));
                    default -> throw new ApiException(Errors.INVALID_REQUEST, "Unknown resource type " + resource.type().id);
                }
                changed = true;
                results.put(resource, ApiError.NONE);
            } catch (ApiException ex) {
                results.put(resource, ex.error());
            }
        }
        return new ChangeResult<>(changed ? next.build() : image, results);
    }

    private static TopicImage alterTopic(MetadataImage image, String name, ConfigChange change) {
        if (name.isEmpty()) {
            throw new ApiException(Errors.INVALID_REQUEST, "Default topic resources are not allowed.");
        }
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is illegal: " + invalid);
        }
        Map<String, String> configs;
        try {
            configs = TopicConfigs.validate(change.applyTo(image.topicConfigs(name), TopicConfigs::keyOf));
        } catch (InvalidConfigException e) {
            throw new ApiException(Errors.INVALID_CONFIG, e.getMessage());
        }
        TopicImage topic = image.topicImage(name);
        if (topic == null) {
            throw new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
        }
        return new TopicImage(topic.info(), configs);
    }

    private static Map<String, String> alterBroker(MetadataImage image, String name, ConfigChange change) {
        if (!name.isEmpty()) {
            int id;
            try {
                id = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                throw new ApiException(Errors.INVALID_REQUEST, "Unable to parse broker name as a base 10 number.");
            }
            if (id < 0) {
                throw new ApiException(Errors.INVALID_REQUEST, "Invalid negative broker ID.");
            }
        }
        Map<String, String> altered;
        try {
            altered = change.applyTo(image.brokerConfigs(name), BrokerConfigs::key);
        } catch (InvalidConfigException e) {
            throw new ApiException(Errors.INVALID_CONFIG, e.getMessage());
        }
        try {
            return BrokerConfigs.validateDynamic(altered);
        } catch (InvalidConfigException e) {
            throw new ApiException(Errors.INVALID_REQUEST, e.getMessage());
        }
    }
}
