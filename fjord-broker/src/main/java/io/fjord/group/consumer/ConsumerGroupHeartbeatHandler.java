package io.fjord.group.consumer;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.group.GroupCoordinator;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ConsumerGroupHeartbeat (KIP-848), v0-1: join (epoch 0), heartbeat, leave (-1) and static
 * temporary leave (-2). From v1 the client makes its own member id. Field checks are Kafka's
 * (GroupCoordinatorService), in Kafka's order, with its messages.
 */
public final class ConsumerGroupHeartbeatHandler extends AbstractApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupHeartbeatHandler.class);

    private final GroupCoordinator coordinator;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator) {
        super(ApiKey.CONSUMER_GROUP_HEARTBEAT);
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ConsumerGroupHeartbeatRequestData request = (ConsumerGroupHeartbeatRequestData) message;
        short version = context.apiVersion();
        Errors invalid = Errors.NONE;
        String why = invalidReason(request, version);
        if (why != null) {
            invalid = Errors.INVALID_REQUEST;
        } else if (request.serverAssignor() != null && coordinator.consumerGroupSettings().assignor(request.serverAssignor()) == null) {
            invalid = Errors.UNSUPPORTED_ASSIGNOR;
            why = "ServerAssignor " + request.serverAssignor() + " is not supported. Supported assignors: "
                    + String.join(", ", coordinator.consumerGroupSettings().assignorNames()) + ".";
        }
        if (invalid != Errors.NONE) {
            log.info("ConsumerGroupHeartbeat v{} from {} refused ({}): {}", version, context.clientId(), invalid, why);
            return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(invalid.code()).setErrorMessage(why));
        }
        Assignment owned = null;
        if (request.topicPartitions() != null) {
            Map<UUID, Set<Integer>> m = new TreeMap<>();
            for (ConsumerGroupHeartbeatRequestData.TopicPartitions tp : request.topicPartitions()) {
                m.computeIfAbsent(tp.topicId(), t -> new TreeSet<>()).addAll(tp.partitions());
            }
            owned = new Assignment(m);
        }
        String host = context.clientAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().toString() : String.valueOf(context.clientAddress());
        HeartbeatRequest heartbeat = new HeartbeatRequest(request.memberId(), request.memberEpoch(), request.instanceId(),
                request.rackId(), request.rebalanceTimeoutMs(), request.subscribedTopicNames(),
                version >= 1 ? request.subscribedTopicRegex() : null, request.serverAssignor(), owned,
                context.clientId(), host);
        return coordinator.consumerGroupHeartbeat(request.groupId(), heartbeat).handle((result, failure) -> {
            if (failure != null) {
                log.warn("ConsumerGroupHeartbeat for group {} failed", request.groupId(), failure);
                return new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
            }
            ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(result.error().code()).setErrorMessage(result.errorMessage());
            if (result.error() != Errors.NONE) {
                return response;
            }
            response.setMemberId(result.memberId()).setMemberEpoch(result.memberEpoch())
                    .setHeartbeatIntervalMs(result.heartbeatIntervalMs());
            if (result.assignment() != null) {
                List<ConsumerGroupHeartbeatResponseData.TopicPartitions> tps = new ArrayList<>();
                result.assignment().partitions().forEach((topic, ps) -> tps.add(
                        new ConsumerGroupHeartbeatResponseData.TopicPartitions().setTopicId(topic).setPartitions(new ArrayList<>(ps))));
                response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(tps));
            }
            return response;
        });
    }

    /** Kafka's request checks (INVALID_REQUEST), or null when the request is well formed. */
    static String invalidReason(ConsumerGroupHeartbeatRequestData request, short version) {
        int epoch = request.memberEpoch();
        if ((version >= 1 || epoch > 0 || epoch == ConsumerGroup.LEAVE_GROUP_MEMBER_EPOCH) && blank(request.memberId())) {
            return "MemberId can't be empty.";
        }
        if (blank(request.groupId())) {
            return "GroupId can't be empty.";
        }
        if (blank(request.instanceId())) {
            return "InstanceId can't be empty.";
        }
        if (blank(request.rackId())) {
            return "RackId can't be empty.";
        }
        if (epoch == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                return "RebalanceTimeoutMs must be provided in first request.";
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                return "TopicPartitions must be empty when (re-)joining.";
            }
            boolean regex = version >= 1 && request.subscribedTopicRegex() != null;
            if (request.subscribedTopicNames() == null && !regex) {
                return version >= 1 ? "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining."
                        : "SubscribedTopicNames must be set in first request.";
            }
        } else if (epoch == ConsumerGroup.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            if (request.instanceId() == null) {
                return "InstanceId can't be null.";
            }
        } else if (epoch < ConsumerGroup.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            return "MemberEpoch is invalid.";
        }
        return null;
    }

    /** Kafka's throwIfEmptyString: a present value that is empty once trimmed. */
    private static boolean blank(String value) {
        return value != null && value.trim().isEmpty();
    }
}
