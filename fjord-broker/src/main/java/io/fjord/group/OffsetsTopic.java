package io.fjord.group;

/**
 * The internal topic that holds group metadata and committed offsets. A group lives in one partition
 * of it, chosen as Kafka chooses it, so a group's coordinator is that partition's leader.
 */
public final class OffsetsTopic {
    public static final String NAME = "__consumer_offsets";

    private OffsetsTopic() {}

    /** Kafka's {@code Utils.abs(groupId.hashCode()) % partitions}: the sign bit masked, not negated. */
    public static int partitionFor(String groupId, int partitions) {
        return (groupId.hashCode() & 0x7fffffff) % partitions;
    }
}
