package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
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
 * FindCoordinator, every version: this node coordinates every group (one node, so it leads every
 * {@code __consumer_offsets} partition). Transaction and share coordinators do not exist yet:
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

    private FindCoordinatorResponseData answer(RequestContext context, FindCoordinatorRequestData request) {
        Endpoint self = endpoint(context.listenerName());
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        byte keyType = context.apiVersion() >= 1 ? request.keyType() : GROUP;
        if (context.apiVersion() >= 4) {
            List<FindCoordinatorResponseData.Coordinator> coordinators = new ArrayList<>();
            for (String key : request.coordinatorKeys()) {
                Errors error = error(keyType, key, self);
                FindCoordinatorResponseData.Coordinator c = new FindCoordinatorResponseData.Coordinator()
                        .setKey(key).setErrorCode(error.code());
                if (error == Errors.NONE) {
                    c.setNodeId(nodeId).setHost(self.host()).setPort(self.port());
                } else {
                    c.setNodeId(-1).setHost("").setPort(-1).setErrorMessage(error.message());
                }
                coordinators.add(c);
            }
            return response.setCoordinators(coordinators);
        }
        Errors error = error(keyType, request.key(), self);
        response.setErrorCode(error.code());
        if (error == Errors.NONE) {
            response.setNodeId(nodeId).setHost(self.host()).setPort(self.port());
        } else {
            response.setNodeId(-1).setHost("").setPort(-1);
            if (context.apiVersion() >= 1) {
                response.setErrorMessage(error.message());
            }
        }
        return response;
    }

    private Errors error(byte keyType, String key, Endpoint self) {
        if (keyType != GROUP || self == null) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        // Kafka (KafkaApis.getCoordinator) validates no group key: an empty one is hashed like any
        // other, and the group APIs refuse it afterwards (INVALID_GROUP_ID on JoinGroup etc.).
        return gate.groupCoordinatorError(key == null ? "" : key);
    }

    private Endpoint endpoint(String listenerName) {
        for (BrokerNode broker : cluster.aliveBrokers()) {
            if (broker.id() == nodeId) {
                return broker.endpoint(listenerName);
            }
        }
        return null;
    }
}
