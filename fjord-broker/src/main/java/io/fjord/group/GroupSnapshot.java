package io.fjord.group;

import java.util.List;

/**
 * What a group-metadata record says of a group: enough to bring the group back after a restart or a
 * coordinator move. {@code groupType} is {@code "classic"} or {@code "consumer"} (KIP-848).
 * {@code members} are a classic group's members as of its last Stable transition (empty for an Empty
 * group and for consumer groups), as Kafka's GroupMetadataValue keeps them.
 */
public record GroupSnapshot(String groupType, String protocolType, int generationId, String protocolName,
        String leaderId, long stateTimestampMs, List<Member> members) {

    public GroupSnapshot {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** A group without members. */
    public GroupSnapshot(String groupType, String protocolType, int generationId, String protocolName,
            String leaderId, long stateTimestampMs) {
        this(groupType, protocolType, generationId, protocolName, leaderId, stateTimestampMs, List.of());
    }

    /**
     * One classic member as GroupMetadataValue's MemberMetadata stores it: {@code subscription} is its
     * metadata for the group's chosen protocol, {@code assignment} what the leader gave it.
     */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
            int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {

        public Member {
            subscription = subscription == null ? new byte[0] : subscription;
            assignment = assignment == null ? new byte[0] : assignment;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && memberId.equals(m.memberId)
                    && java.util.Objects.equals(groupInstanceId, m.groupInstanceId)
                    && java.util.Objects.equals(clientId, m.clientId) && java.util.Objects.equals(clientHost, m.clientHost)
                    && rebalanceTimeoutMs == m.rebalanceTimeoutMs && sessionTimeoutMs == m.sessionTimeoutMs
                    && java.util.Arrays.equals(subscription, m.subscription) && java.util.Arrays.equals(assignment, m.assignment);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
                    sessionTimeoutMs, java.util.Arrays.hashCode(subscription), java.util.Arrays.hashCode(assignment));
        }

        @Override
        public String toString() {
            return "Member[" + memberId + ", instance=" + groupInstanceId + ", client=" + clientId + "@" + clientHost
                    + ", rebalance=" + rebalanceTimeoutMs + ", session=" + sessionTimeoutMs + ", subscription="
                    + subscription.length + "B, assignment=" + assignment.length + "B]";
        }
    }
}
