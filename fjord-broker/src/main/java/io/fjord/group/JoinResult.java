package io.fjord.group;

import io.fjord.protocol.Errors;
import java.util.List;

/**
 * The answer to a join. {@code members} is filled for the leader only, with each member's metadata
 * for the chosen protocol. {@code skipAssignment} (JoinGroup v9, KIP-814) tells a static leader that
 * rejoined a Stable group to keep the current assignment: it gets the members but computes nothing.
 */
public record JoinResult(
        Errors error,
        int generationId,
        String protocolType,
        String protocolName,
        String leaderId,
        String memberId,
        List<MemberMetadata> members,
        boolean skipAssignment) {

    public record MemberMetadata(String memberId, String groupInstanceId, byte[] metadata) {}

    static JoinResult error(Errors error, String memberId) {
        return new JoinResult(error, -1, null, null, "", memberId, List.of(), false);
    }
}
