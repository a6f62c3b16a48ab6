package io.fjord.group.consumer;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.group.GroupCoordinator;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicRegistry;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ConsumerGroupDescribeRequestData;
import io.fjord.protocol.message.ConsumerGroupDescribeResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * ConsumerGroupDescribe (KIP-848), v0-1. A group id that names no consumer group gets
 * GROUP_ID_NOT_FOUND ("not found", or "is not a consumer group" for a classic one) — which is what
 * makes AdminClient fall back to DescribeGroups for classic groups. Assignments carry topic ids and
 * the names the metadata image gives them now.
 */
public final class ConsumerGroupDescribeHandler extends AbstractApiHandler {
    /** READ, DELETE and DESCRIBE: every operation on a group, as Kafka reports without an authorizer. */
    static final int ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

    private final GroupCoordinator coordinator;
    private final Supplier<? extends TopicRegistry> topics;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator, Supplier<? extends TopicRegistry> topics) {
        super(ApiKey.CONSUMER_GROUP_DESCRIBE);
        this.coordinator = coordinator;
        this.topics = topics;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ConsumerGroupDescribeRequestData request = (ConsumerGroupDescribeRequestData) message;
        short version = context.apiVersion();
        List<String> ids = request.groupIds();
        return coordinator.lookUpConsumerGroups(ids).thenCompose(lookup -> {
            Map<String, ConsumerGroup.Description> found = lookup.found();
            List<CompletableFuture<ConsumerGroupDescribeResponseData.DescribedGroup>> described = new ArrayList<>();
            for (String id : ids) {
                Errors unavailable = lookup.unavailable().get(id);
                if (unavailable != null) {
                    // NOT_COORDINATOR sends the client to FindCoordinator again; COORDINATOR_LOAD_IN_PROGRESS makes
                    // it retry here once the offsets partition is loaded.
                    described.add(CompletableFuture.completedFuture(new ConsumerGroupDescribeResponseData.DescribedGroup()
                            .setGroupId(id).setErrorCode(unavailable.code())));
                    continue;
                }
                ConsumerGroup.Description d = found.get(id);
                if (d != null) {
                    described.add(CompletableFuture.completedFuture(describe(id, d, version, request.includeAuthorizedOperations())));
                    continue;
                }
                described.add(coordinator.isClassicGroup(id).thenApply(classic -> new ConsumerGroupDescribeResponseData.DescribedGroup()
                        .setGroupId(id).setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage("Group " + id + (classic ? " is not a consumer group." : " not found."))));
            }
            return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new)).thenApply(v ->
                    (ApiMessage) new ConsumerGroupDescribeResponseData().setGroups(described.stream().map(CompletableFuture::join).toList()));
        }).exceptionally(e -> {
            List<ConsumerGroupDescribeResponseData.DescribedGroup> groups = new ArrayList<>();
            for (String id : ids) {
                groups.add(new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(id)
                        .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
            }
            return new ConsumerGroupDescribeResponseData().setGroups(groups);
        });
    }

    private ConsumerGroupDescribeResponseData.DescribedGroup describe(String id, ConsumerGroup.Description d, short version,
            boolean authorizedOperations) {
        TopicRegistry registry = topics.get();
        List<ConsumerGroupDescribeResponseData.Member> members = new ArrayList<>();
        for (ConsumerGroup.MemberDescription m : d.members()) {
            ConsumerGroupDescribeResponseData.Member member = new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(m.memberId()).setInstanceId(m.instanceId()).setRackId(m.rackId())
                    .setMemberEpoch(m.memberEpoch()).setClientId(m.clientId()).setClientHost(m.clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames()))
                    .setSubscribedTopicRegex(m.subscribedTopicRegex())
                    .setAssignment(assignment(m.assignment(), registry))
                    .setTargetAssignment(assignment(m.targetAssignment(), registry));
            if (version >= 1) {
                member.setMemberType((byte) 1);
            }
            members.add(member);
        }
        return new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(id)
                .setGroupState(d.state().protocolName()).setGroupEpoch(d.groupEpoch())
                .setAssignmentEpoch(d.assignmentEpoch()).setAssignorName(d.assignorName()).setMembers(members)
                .setAuthorizedOperations(authorizedOperations ? ALL_GROUP_OPERATIONS : Integer.MIN_VALUE);
    }

    /** Topics that no longer exist are left out: a client could not name them. */
    private static ConsumerGroupDescribeResponseData.Assignment assignment(Assignment a, TopicRegistry registry) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> tps = new ArrayList<>();
        a.partitions().forEach((topicId, ps) -> {
            TopicInfo t = registry.topic(topicId);
            if (t != null) {
                tps.add(new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicId(topicId)
                        .setTopicName(t.name()).setPartitions(new ArrayList<>(ps)));
            }
        });
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(tps);
    }
}
