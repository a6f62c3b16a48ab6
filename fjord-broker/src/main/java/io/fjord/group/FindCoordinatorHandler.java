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

/**
 * FindCoordinator, every version: this node coordinates every group (one node, so it leads every
 * {@code __consumer_offsets} partition). Transaction and share coordinators do not exist yet:
 * COORDINATOR_NOT_AVAILABLE, which clients retry. v4+ answers a batch of keys. An empty group key
 * is answered like any other, as Kafka does.
 */
public final class FindCoordinatorHandler extends AbstractApiHandler {
    private static final byte GROUP = 0;

    private final ClusterView cluster;
    private final int nodeId;

    public FindCoordinatorHandler(ClusterView cluster, int nodeId) {
        super(ApiKey.FIND_COORDINATOR);
        this.cluster = cluster;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        FindCoordinatorRequestData request = (FindCoordinatorRequestData) message;
        Endpoint self = endpoint(context.listenerName());
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (context.apiVersion() >= 4) {
            List<FindCoordinatorResponseData.Coordinator> coordinators = new ArrayList<>();
            for (String key : request.coordinatorKeys()) {
                Errors error = error(request.keyType(), key, self);
                FindCoordinatorResponseData.Coordinator c = new FindCoordinatorResponseData.Coordinator()
                        .setKey(key).setErrorCode(error.code());
                if (error == Errors.NONE) {
                    c.setNodeId(nodeId).setHost(self.host()).setPort(self.port());
                } else {
                    c.setNodeId(-1).setHost("").setPort(-1).setErrorMessage(error.message());
                }
                coordinators.add(c);
            }
            return CompletableFuture.completedFuture(response.setCoordinators(coordinators));
        }
        byte keyType = context.apiVersion() >= 1 ? request.keyType() : GROUP;
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
        return CompletableFuture.completedFuture(response);
    }

    private static Errors error(byte keyType, String key, Endpoint self) {
        if (keyType != GROUP || self == null) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        // Kafka (KafkaApis.getCoordinator) validates no group key: an empty one is hashed like any
        // other, and the group APIs refuse it afterwards (INVALID_GROUP_ID on JoinGroup etc.).
        return Errors.NONE;
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
