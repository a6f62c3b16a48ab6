package io.fjord.group;

import java.util.List;

/**
 * One JoinGroup request for a group, independent of its wire version.
 *
 * @param memberId "" for a member that has none yet
 * @param groupInstanceId null for a dynamic member
 * @param requireKnownMemberId true from JoinGroup v4: a new dynamic member first gets MEMBER_ID_REQUIRED
 * @param protocols the member's protocols in its order of preference
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
        boolean requireKnownMemberId) {

    public record Protocol(String name, byte[] metadata) {}
}
