package io.fjord.group;

import java.util.List;

/**
 * One JoinGroup request for a group, independent of its wire version.
 *
 * @param memberId "" for a member that has none yet
 * @param groupInstanceId null for a dynamic member
 * @param requireKnownMemberId true from JoinGroup v4: a new dynamic member first gets MEMBER_ID_REQUIRED
 * @param protocols the member's protocols in its order of preference
 * @param supportsSkipAssignment true from JoinGroup v9 (KIP-814): a static leader that rejoins a Stable
 *        group may be told to keep the current assignment
 */
public record JoinRequest(
        String memberId,
        String groupInstanceId,
        String clientId,
        String clientHost,
        int sessionTimeoutMs,
        int rebalanceTimeoutMs,
        String protocolType,
        List<Protocol> protocols,
        boolean requireKnownMemberId,
        boolean supportsSkipAssignment) {

    /** A join from a client below JoinGroup v9 (no skip_assignment). */
    public JoinRequest(String memberId, String groupInstanceId, String clientId, String clientHost, int sessionTimeoutMs,
            int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols, boolean requireKnownMemberId) {
        this(memberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols,
                requireKnownMemberId, false);
    }

    public record Protocol(String name, byte[] metadata) {}
}
