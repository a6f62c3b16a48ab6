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

/** ListGroups, every version: state filter (v4+, case-insensitive) and type filter (v5+: "classic" or "consumer"). */
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
        CompletableFuture<List<GroupCoordinator.ConsumerGroupListing>> consumerGroups = coordinator.listConsumerGroups();
        return coordinator.listGroups().thenCombine(consumerGroups, Listings::new).handle((both, failure) -> {
            if (failure != null) {
                return new ListGroupsResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setGroups(List.of());
            }
            List<ListGroupsResponseData.ListedGroup> listed = new ArrayList<>();
            for (GroupCoordinator.GroupListing g : both.classic()) {
                if (!states.isEmpty() && !states.contains(g.state().protocolName().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                if (!types.isEmpty() && !types.contains("classic")) {
                    continue;
                }
                listed.add(new ListGroupsResponseData.ListedGroup().setGroupId(g.groupId())
                        .setProtocolType(g.protocolType()).setGroupState(g.state().protocolName()).setGroupType("classic"));
            }
            // KIP-848 groups: type and protocol type "consumer", with their own state names.
            for (GroupCoordinator.ConsumerGroupListing c : both.consumer()) {
                if ((!states.isEmpty() && !states.contains(c.state().toLowerCase(Locale.ROOT)))
                        || (!types.isEmpty() && !types.contains("consumer"))) {
                    continue;
                }
                listed.add(new ListGroupsResponseData.ListedGroup().setGroupId(c.groupId())
                        .setProtocolType("consumer").setGroupState(c.state()).setGroupType("consumer"));
            }
            return new ListGroupsResponseData().setGroups(listed);
        });
    }

    private record Listings(List<GroupCoordinator.GroupListing> classic, List<GroupCoordinator.ConsumerGroupListing> consumer) {}

    private static List<String> lower(List<String> values) {
        return values == null ? List.of() : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }
}
