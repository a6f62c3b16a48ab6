package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DeleteGroupsRequestData;
import io.fjord.protocol.message.DeleteGroupsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteGroups, every version. As in Kafka, an empty group id is looked up like any other (it is
 * GROUP_ID_NOT_FOUND unless such a group exists); only a null id is INVALID_GROUP_ID.
 */
public final class DeleteGroupsHandler extends AbstractApiHandler {
    private static final Logger log = LoggerFactory.getLogger(DeleteGroupsHandler.class);

    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        super(ApiKey.DELETE_GROUPS);
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DeleteGroupsRequestData request = (DeleteGroupsRequestData) message;
        List<String> ids = request.groupsNames() == null ? List.of() : request.groupsNames();
        List<String> valid = ids.stream().filter(id -> id != null).toList();
        return coordinator.deleteGroups(valid).handle((errors, failure) -> {
            List<DeleteGroupsResponseData.DeletableGroupResult> results = new ArrayList<>();
            for (String id : ids) {
                Errors error = id == null ? Errors.INVALID_GROUP_ID
                        : failure != null ? Errors.COORDINATOR_NOT_AVAILABLE : errors.get(id);
                if (error != Errors.NONE) {
                    log.info("DeleteGroups of group {} from client {}: {}", id, context.clientId(), error);
                }
                results.add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(id).setErrorCode(error.code()));
            }
            return new DeleteGroupsResponseData().setResults(results);
        });
    }
}
