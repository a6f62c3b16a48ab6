package io.fjord.group.consumer;

/** The states of a KIP-848 consumer group, named as Kafka names them in ListGroups and ConsumerGroupDescribe. */
public enum ConsumerGroupState {
    /** No members. */
    EMPTY("Empty"),
    /** The group epoch moved past the target assignment's epoch (we assign at once, so this is brief). */
    ASSIGNING("Assigning"),
    /** Some member has not reached the target assignment yet. */
    RECONCILING("Reconciling"),
    /** Every member owns its target assignment at the target epoch. */
    STABLE("Stable"),
    /** Deleted. */
    DEAD("Dead");

    private final String protocolName;

    ConsumerGroupState(String protocolName) {
        this.protocolName = protocolName;
    }

    public String protocolName() {
        return protocolName;
    }
}
