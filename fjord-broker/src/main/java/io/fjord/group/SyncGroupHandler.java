package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.SyncGroupRequestData;
import io.fjord.protocol.message.SyncGroupResponseData;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** SyncGroup, every version: followers wait (without blocking) for the leader's assignment. */
public final class SyncGroupHandler extends AbstractApiHandler {
    private final GroupCoordinator coordinator;

    public SyncGroupHandler(GroupCoordinator coordinator) {
        super(ApiKey.SYNC_GROUP);
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        SyncGroupRequestData request = (SyncGroupRequestData) message;
        short version = context.apiVersion();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_GROUP_ID));
        }
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestData.SyncGroupRequestAssignment a : request.assignments()) {
            assignments.put(a.memberId(), a.assignment());
        }
        String instanceId = version >= 3 ? request.groupInstanceId() : null;
        String protocolType = version >= 5 ? request.protocolType() : null;
        String protocolName = version >= 5 ? request.protocolName() : null;
        return coordinator.sync(request.groupId(), request.memberId(), instanceId, request.generationId(),
                protocolType, protocolName, assignments).handle((result, failure) -> {
                    if (failure != null) {
                        return error(Errors.COORDINATOR_NOT_AVAILABLE);
                    }
                    return new SyncGroupResponseData().setErrorCode(result.error().code())
                            .setProtocolType(result.protocolType()).setProtocolName(result.protocolName())
                            .setAssignment(result.assignment());
                });
    }

    private static ApiMessage error(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }
}
