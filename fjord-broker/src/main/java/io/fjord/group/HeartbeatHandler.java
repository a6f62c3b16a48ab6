package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.HeartbeatRequestData;
import io.fjord.protocol.message.HeartbeatResponseData;
import java.util.concurrent.CompletableFuture;

/** Heartbeat, every version. */
public final class HeartbeatHandler extends AbstractApiHandler {
    private final GroupCoordinator coordinator;

    public HeartbeatHandler(GroupCoordinator coordinator) {
        super(ApiKey.HEARTBEAT);
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        HeartbeatRequestData request = (HeartbeatRequestData) message;
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new HeartbeatResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        String instanceId = context.apiVersion() >= 3 ? request.groupInstanceId() : null;
        return coordinator.heartbeat(request.groupId(), request.memberId(), instanceId, request.generationId())
                .handle((error, failure) -> new HeartbeatResponseData().setErrorCode(
                        (failure != null ? Errors.COORDINATOR_NOT_AVAILABLE : error).code()));
    }
}
