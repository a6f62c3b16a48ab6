package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** JoinGroup, every version; the answer waits (without blocking) until the group's join phase ends. */
public final class JoinGroupHandler extends AbstractApiHandler {
    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        super(ApiKey.JOIN_GROUP);
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        JoinGroupRequestData request = (JoinGroupRequestData) message;
        short version = context.apiVersion();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_GROUP_ID, request.memberId()));
        }
        String instanceId = version >= 5 ? request.groupInstanceId() : null;
        List<JoinRequest.Protocol> protocols = new ArrayList<>();
        for (JoinGroupRequestData.JoinGroupRequestProtocol p : request.protocols()) {
            protocols.add(new JoinRequest.Protocol(p.name(), p.metadata()));
        }
        int rebalanceTimeout = version >= 1 ? request.rebalanceTimeoutMs() : request.sessionTimeoutMs();
        // Kafka shows a member's host as the client's InetAddress ("/127.0.0.1"), without the port.
        String host = context.clientAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().toString() : context.clientAddress() == null ? "" : context.clientAddress().toString();
        JoinRequest join = new JoinRequest(request.memberId(), instanceId, context.clientId(), host,
                request.sessionTimeoutMs(), rebalanceTimeout, request.protocolType(), protocols, version >= 4, version >= 9);
        return coordinator.join(request.groupId(), join).handle((result, failure) -> {
            if (failure != null) {
                return error(Errors.COORDINATOR_NOT_AVAILABLE, request.memberId());
            }
            List<JoinGroupResponseData.JoinGroupResponseMember> members = new ArrayList<>();
            for (JoinResult.MemberMetadata m : result.members()) {
                members.add(new JoinGroupResponseData.JoinGroupResponseMember()
                        .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId()).setMetadata(m.metadata()));
            }
            return new JoinGroupResponseData()
                    .setErrorCode(result.error().code())
                    .setGenerationId(result.generationId())
                    .setProtocolType(result.protocolType())
                    .setProtocolName(result.protocolName() == null && version < 7 ? "" : result.protocolName())
                    .setLeader(result.leaderId() == null ? "" : result.leaderId())
                    .setMemberId(result.memberId() == null ? "" : result.memberId())
                    .setMembers(members)
                    .setSkipAssignment(result.skipAssignment());
        });
    }

    private static ApiMessage error(Errors error, String memberId) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(-1)
                .setProtocolName("").setLeader("").setMemberId(memberId == null ? "" : memberId).setMembers(List.of());
    }
}
