package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeGroupsRequestData;
import io.fjord.protocol.message.DescribeGroupsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups, every version. As in Kafka, member metadata and assignments are shown only while
 * the group is Stable; an unknown group is Dead (v0-5) or GROUP_ID_NOT_FOUND (v6+), with Kafka 4.x's
 * message: "Group X not found.", or "Group X is not a classic group." for a KIP-848 consumer group.
 */
public final class DescribeGroupsHandler extends AbstractApiHandler {
    private final GroupCoordinator coordinator;

    public DescribeGroupsHandler(GroupCoordinator coordinator) {
        super(ApiKey.DESCRIBE_GROUPS);
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DescribeGroupsRequestData request = (DescribeGroupsRequestData) message;
        short version = context.apiVersion();
        List<CompletableFuture<DescribeGroupsResponseData.DescribedGroup>> described = new ArrayList<>();
        for (String groupId : request.groups()) {
            CompletableFuture<Boolean> consumerGroup = version >= 6 ? coordinator.isConsumerGroup(groupId)
                    : CompletableFuture.completedFuture(false);
            described.add(coordinator.describe(groupId).thenCombine(consumerGroup, GroupLookup::new).handle((lookup, failure) -> {
                GroupCoordinator.GroupDescription d = lookup == null ? null : lookup.description();
                DescribeGroupsResponseData.DescribedGroup g = new DescribeGroupsResponseData.DescribedGroup()
                        .setGroupId(groupId).setProtocolType("").setProtocolData("").setMembers(List.of());
                if (failure != null) {
                    return g.setErrorCode(GroupErrors.of(failure).code()).setGroupState(GroupState.DEAD.protocolName());
                }
                if (d == null) {
                    g.setGroupState(GroupState.DEAD.protocolName());
                    if (version >= 6) {
                        g.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(lookup.consumerGroup()
                                ? "Group " + groupId + " is not a classic group." : "Group " + groupId + " not found.");
                    }
                    return g;
                }
                boolean stable = d.state() == GroupState.STABLE;
                List<DescribeGroupsResponseData.DescribedGroupMember> members = new ArrayList<>();
                for (ClassicGroup.MemberView m : d.members()) {
                    members.add(new DescribeGroupsResponseData.DescribedGroupMember()
                            .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId())
                            .setClientId(m.clientId()).setClientHost(m.clientHost())
                            .setMemberMetadata(stable ? m.metadata() : new byte[0])
                            .setMemberAssignment(stable ? m.assignment() : new byte[0]));
                }
                return g.setGroupState(d.state().protocolName())
                        .setProtocolType(d.protocolType() == null ? "" : d.protocolType())
                        .setProtocolData(stable && d.protocolName() != null ? d.protocolName() : "")
                        .setMembers(members);
            }));
        }
        return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new)).thenApply(v ->
                new DescribeGroupsResponseData().setGroups(described.stream().map(CompletableFuture::join).toList()));
    }

    private record GroupLookup(GroupCoordinator.GroupDescription description, boolean consumerGroup) {}
}
