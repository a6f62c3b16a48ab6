package io.fjord.metadata;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** A topic in the metadata image: its placement and its config overrides (canonical values). */
public record TopicImage(TopicInfo info, Map<String, String> configs) {

    public TopicImage {
        configs = Collections.unmodifiableMap(new TreeMap<>(configs));
    }

    public String name() {
        return info.name();
    }

    public UUID id() {
        return info.topicId();
    }

    public int partitionCount() {
        return info.partitions().size();
    }
}
