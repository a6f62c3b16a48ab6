package io.fjord.metadata;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The topics a node knows; the metadata image will implement this once topics exist. */
public interface TopicRegistry {

    /** No topics at all. */
    TopicRegistry EMPTY = new TopicRegistry() {
        @Override
        public Collection<TopicInfo> topics() {
            return List.of();
        }

        @Override
        public TopicInfo topic(String name) {
            return null;
        }

        @Override
        public TopicInfo topic(UUID topicId) {
            return null;
        }
    };

    Collection<TopicInfo> topics();

    /** The topic named {@code name}, or null. */
    TopicInfo topic(String name);

    /** The topic with id {@code topicId}, or null. */
    TopicInfo topic(UUID topicId);
}
