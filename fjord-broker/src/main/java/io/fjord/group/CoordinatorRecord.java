package io.fjord.group;

/**
 * A change to the coordinator's state as it is written to {@code __consumer_offsets}: the log is the
 * truth, the coordinator's maps are what replaying it gives. A null value is a tombstone.
 */
public sealed interface CoordinatorRecord {
    String groupId();

    /** A committed offset of one partition, or its removal (null). */
    record OffsetCommit(String groupId, String topic, int partition, GroupCoordinator.Committed value)
            implements CoordinatorRecord {}

    /** A group's metadata, or the group's deletion (null). */
    record GroupMetadata(String groupId, GroupSnapshot value) implements CoordinatorRecord {}
}
