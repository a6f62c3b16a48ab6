package io.fjord.group.consumer;

/** Where a member is in its reconciliation, as Kafka's coordinator tracks it. */
public enum MemberState {
    /** Owns its whole target assignment at the target epoch. */
    STABLE,
    /** Must first give up partitions the target took away; its epoch stays until it does. */
    UNREVOKED_PARTITIONS,
    /** At the target epoch, but waits for partitions other members still own. */
    UNRELEASED_PARTITIONS
}
