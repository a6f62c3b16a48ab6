package io.fjord.metadata;

import java.util.List;
import java.util.UUID;

/** A topic as the metadata layer knows it. */
public record TopicInfo(String name, UUID topicId, boolean internal, List<PartitionInfo> partitions) {

    public TopicInfo {
        partitions = List.copyOf(partitions);
    }
}
