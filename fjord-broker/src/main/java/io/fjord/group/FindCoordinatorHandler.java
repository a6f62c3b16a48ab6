package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.TopicInfo;
import io.fjord.network.Endpoint;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FindCoordinatorRequestData;
import io.fjord.protocol.message.FindCoordinatorResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * FindCoordinator, every version: a group's coordinator is the leader of its {@code __consumer_offsets}
 * partition, as Kafka answers it (KafkaApis.getCoordinator): COORDINATOR_NOT_AVAILABLE while the topic
 * does not exist (its creation is asked for), while the partition has no leader, or while the leader is
 * not an alive broker reachable on the request's listener. When this node is the leader, the
 * {@link CoordinatorGate} also has to say the partition is loaded. Transaction and share coordinators do not exist yet:
 * COORDINATOR_NOT_AVAILABLE, which clients retry. v4+ answers a batch of keys. An empty group key
 * is answered like any other, as Kafka does.
 */
public final class FindCoordinatorHandler extends AbstractApiHandler {
    private static final byte GROUP = 0;
    /** How often a waiting request looks again, and for how long at most (well under client request timeouts). */
    private static final Executor RECHECK =
            CompletableFuture.delayedExecutor(25, TimeUnit.MILLISECONDS);
    private static final long DEFAULT_MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ClusterView cluster;
    private final int nodeId;
    private final CoordinatorGate gate;
    private final long maxWaitNanos;

    /** Whether this node can coordinate a group now (its __consumer_offsets partition exists and is loaded). */
    public interface CoordinatorGate {
        Errors groupCoordinatorError(String groupId);

        CoordinatorGate ALWAYS = groupId -> Errors.NONE;
    }

    public FindCoordinatorHandler(ClusterView cluster, int nodeId) {
        this(cluster, nodeId, CoordinatorGate.ALWAYS);
    }

    public FindCoordinatorHandler(ClusterView cluster, int nodeId, CoordinatorGate gate) {
        this(cluster, nodeId, gate, DEFAULT_MAX_WAIT_NANOS);
    }

    FindCoordinatorHandler(ClusterView cluster, int nodeId, CoordinatorGate gate, long maxWaitNanos) {
        super(ApiKey.FIND_COORDINATOR);
        this.maxWaitNanos = maxWaitNanos;
        this.cluster = cluster;
        this.nodeId = nodeId;
        this.gate = gate;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        FindCoordinatorRequestData request = (FindCoordinatorRequestData) message;
        long deadline = System.nanoTime() + maxWaitNanos;
        return answerWhenReady(context, request, deadline);
    }

    /**
     * Answers once every group key can be coordinated here, or at the deadline with what holds then.
     * Kafka answers COORDINATOR_NOT_AVAILABLE at once while {@code __consumer_offsets} is created and
     * loaded; some clients (kafkajs with its defaults) give up after a few quick retries, so the first
     * request waits the half second that takes instead of failing it.
     */
    private CompletableFuture<ApiMessage> answerWhenReady(RequestContext context, FindCoordinatorRequestData request,
            long deadline) {
        FindCoordinatorResponseData response = answer(context, request);
        boolean groupKeys = (context.apiVersion() >= 1 ? request.keyType() : GROUP) == GROUP;
        if (!groupKeys || !coordinatorPending(context, response) || System.nanoTime() - deadline >= 0) {
            return CompletableFuture.completedFuture(response);
        }
        return CompletableFuture.supplyAsync(() -> null, RECHECK)
                .thenCompose(ignored -> answerWhenReady(context, request, deadline));
    }

    private static boolean coordinatorPending(RequestContext context, FindCoordinatorResponseData response) {
        if (context.apiVersion() >= 4) {
            return response.coordinators().stream()
                    .anyMatch(c -> c.errorCode() == Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        return response.errorCode() == Errors.COORDINATOR_NOT_AVAILABLE.code();
    }

    /** A coordinator found (error NONE, with its id and endpoint) or the error that stands for none. */
    private record Found(Errors error, int nodeId, Endpoint endpoint) {
        static Found none(Errors error) {
            return new Found(error, -1, null);
        }
    }

    private FindCoordinatorResponseData answer(RequestContext context, FindCoordinatorRequestData request) {
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        byte keyType = context.apiVersion() >= 1 ? request.keyType() : GROUP;
        if (context.apiVersion() >= 4) {
            List<FindCoordinatorResponseData.Coordinator> coordinators = new ArrayList<>();
            for (String key : request.coordinatorKeys()) {
                Found found = find(keyType, key, context.listenerName());
                Errors error = found.error();
                FindCoordinatorResponseData.Coordinator c = new FindCoordinatorResponseData.Coordinator()
                        .setKey(key).setErrorCode(error.code());
                if (error == Errors.NONE) {
                    c.setNodeId(found.nodeId()).setHost(found.endpoint().host()).setPort(found.endpoint().port());
                } else {
                    c.setNodeId(-1).setHost("").setPort(-1).setErrorMessage(error.message());
                }
                coordinators.add(c);
            }
            return response.setCoordinators(coordinators);
        }
        Found found = find(keyType, request.key(), context.listenerName());
        Errors error = found.error();
        response.setErrorCode(error.code());
        if (error == Errors.NONE) {
            response.setNodeId(found.nodeId()).setHost(found.endpoint().host()).setPort(found.endpoint().port());
        } else {
            response.setNodeId(-1).setHost("").setPort(-1);
            if (context.apiVersion() >= 1) {
                response.setErrorMessage(error.message());
            }
        }
        return response;
    }

    private Found find(byte keyType, String key, String listenerName) {
        if (keyType != GROUP) {
            return Found.none(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        // Kafka (KafkaApis.getCoordinator) validates no group key: an empty one is hashed like any
        // other, and the group APIs refuse it afterwards (INVALID_GROUP_ID on JoinGroup etc.).
        String groupId = key == null ? "" : key;
        TopicInfo offsets = cluster.topics().topic(OffsetsTopic.NAME);
        int leader = nodeId;
        if (offsets != null && !offsets.partitions().isEmpty()) {
            leader = offsets.partitions().get(OffsetsTopic.partitionFor(groupId, offsets.partitions().size())).leaderId();
        }
        if (leader < 0) {
            return Found.none(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        BrokerNode node = cluster.aliveBroker(leader);
        Endpoint endpoint = node == null ? null : node.endpoint(listenerName);
        if (endpoint == null) {
            return Found.none(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (leader != nodeId) {
            return new Found(Errors.NONE, leader, endpoint);
        }
        // Led here, or the topic does not exist yet (the gate asks for it): served once loaded here.
        Errors error = gate.groupCoordinatorError(groupId);
        return error == Errors.NONE ? new Found(Errors.NONE, nodeId, endpoint)
                // Leadership moved between the two looks: the next look finds the new leader.
                : Found.none(error == Errors.NOT_COORDINATOR ? Errors.COORDINATOR_NOT_AVAILABLE : error);
    }
}
