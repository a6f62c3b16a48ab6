package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.LeaveGroupRequestData;
import io.fjord.protocol.message.LeaveGroupResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * LeaveGroup, every version: one member in v0-2, a batch from v3 (each member gets its own error;
 * the top-level error is set only for group-level problems, as in Kafka).
 */
public final class LeaveGroupHandler extends AbstractApiHandler {
    private final GroupCoordinator coordinator;

    public LeaveGroupHandler(GroupCoordinator coordinator) {
        super(ApiKey.LEAVE_GROUP);
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        LeaveGroupRequestData request = (LeaveGroupRequestData) message;
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new LeaveGroupResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        boolean batch = context.apiVersion() >= 3;
        List<GroupCoordinator.Leaving> leaving = new ArrayList<>();
        if (batch) {
            for (LeaveGroupRequestData.MemberIdentity m : request.members()) {
                leaving.add(new GroupCoordinator.Leaving(m.memberId(), m.groupInstanceId()));
            }
        } else {
            leaving.add(new GroupCoordinator.Leaving(request.memberId(), null));
        }
        return coordinator.leave(request.groupId(), leaving).handle((errors, failure) -> {
            if (failure != null) {
                return new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
            }
            if (!batch) {
                return new LeaveGroupResponseData().setErrorCode(errors.get(0).code());
            }
            List<LeaveGroupResponseData.MemberResponse> members = new ArrayList<>();
            for (int i = 0; i < leaving.size(); i++) {
                members.add(new LeaveGroupResponseData.MemberResponse().setMemberId(leaving.get(i).memberId())
                        .setGroupInstanceId(leaving.get(i).groupInstanceId()).setErrorCode(errors.get(i).code()));
            }
            return new LeaveGroupResponseData().setMembers(members);
        });
    }
}
