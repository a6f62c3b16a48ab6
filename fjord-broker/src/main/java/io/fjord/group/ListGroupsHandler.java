package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ListGroupsRequestData;
import io.fjord.protocol.message.ListGroupsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** ListGroups, every version: state filter (v4+, case-insensitive) and type filter (v5+; all ours are "classic"). */
public final class ListGroupsHandler extends AbstractApiHandler {
    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        super(ApiKey.LIST_GROUPS);
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ListGroupsRequestData request = (ListGroupsRequestData) message;
        short version = context.apiVersion();
        List<String> states = version >= 4 ? lower(request.statesFilter()) : List.of();
        List<String> types = version >= 5 ? lower(request.typesFilter()) : List.of();
        return coordinator.listGroups().handle((groups, failure) -> {
            if (failure != null) {
                return new ListGroupsResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setGroups(List.of());
            }
            List<ListGroupsResponseData.ListedGroup> listed = new ArrayList<>();
            for (GroupCoordinator.GroupListing g : groups) {
                if (!states.isEmpty() && !states.contains(g.state().protocolName().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                if (!types.isEmpty() && !types.contains("classic")) {
                    continue;
                }
                listed.add(new ListGroupsResponseData.ListedGroup().setGroupId(g.groupId())
                        .setProtocolType(g.protocolType()).setGroupState(g.state().protocolName()).setGroupType("classic"));
            }
            return new ListGroupsResponseData().setGroups(listed);
        });
    }

    private static List<String> lower(List<String> values) {
        return values == null ? List.of() : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }
}
