package io.fjord.partition;

import java.util.UUID;

/** Finds the partitions this node leads; produce, fetch and the offset APIs go through it. */
public interface PartitionLookup {

    /** The partition, or null when this node has no such partition. */
    Partition partition(String topic, int partition);

    /** The partition of the topic with this id, or null. */
    Partition partition(UUID topicId, int partition);
}
