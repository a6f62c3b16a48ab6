package io.fjord.api;

import io.fjord.metadata.AuthorizedOperations;
import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.network.Endpoint;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeClusterRequestData;
import io.fjord.protocol.message.DescribeClusterResponseData;
import io.fjord.protocol.message.DescribeClusterResponseData.DescribeClusterBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeCluster, answered the way a Kafka broker listener answers it: brokers only. A request for
 * controllers (endpoint type 2) belongs on a controller listener and gets MISMATCHED_ENDPOINT_TYPE.
 */
public final class DescribeClusterHandler extends AbstractApiHandler {
    static final byte BROKER_ENDPOINTS = 1;
    static final byte CONTROLLER_ENDPOINTS = 2;

    private final ClusterView cluster;

    public DescribeClusterHandler(ClusterView cluster) {
        super(ApiKey.DESCRIBE_CLUSTER, 0, 2);
        this.cluster = cluster;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        return CompletableFuture.completedFuture(respond(context, (DescribeClusterRequestData) body));
    }

    DescribeClusterResponseData respond(RequestContext context, DescribeClusterRequestData request) {
        short version = context.apiVersion();
        byte wanted = request.endpointType();
        if (wanted != BROKER_ENDPOINTS && wanted != CONTROLLER_ENDPOINTS) {
            // v0 has no endpoint type field, hence no dedicated error code either.
            return error(version == 0 ? Errors.INVALID_REQUEST : Errors.UNSUPPORTED_ENDPOINT_TYPE,
                    "Unsupported endpoint type " + wanted);
        }
        if (wanted != BROKER_ENDPOINTS) {
            return error(version == 0 ? Errors.INVALID_REQUEST : Errors.MISMATCHED_ENDPOINT_TYPE,
                    "This is a broker endpoint (type 1) but the request asked for controllers (type 2)");
        }

        List<DescribeClusterBroker> brokers = new ArrayList<>();
        boolean controllerListed = false;
        int controllerId = cluster.controllerId();
        // KIP-1073 (v2): fenced brokers, flagged, only when asked for.
        List<BrokerNode> listed = request.includeFencedBrokers() ? cluster.registeredBrokers() : cluster.aliveBrokers();
        for (BrokerNode broker : listed) {
            Endpoint endpoint = broker.endpoint(context.listenerName());
            if (endpoint == null || (broker.fenced() && !request.includeFencedBrokers())) {
                continue;
            }
            brokers.add(new DescribeClusterBroker()
                    .setBrokerId(broker.id())
                    .setHost(endpoint.host())
                    .setPort(endpoint.port())
                    .setRack(broker.rack())
                    .setIsFenced(broker.fenced()));
            controllerListed |= broker.id() == controllerId;
        }
        return new DescribeClusterResponseData()
                .setEndpointType(BROKER_ENDPOINTS)
                .setClusterId(cluster.clusterId())
                // A controller id the client cannot find among the brokers would only confuse it.
                .setControllerId(controllerListed ? controllerId : -1)
                .setBrokers(brokers)
                .setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations()
                        ? AuthorizedOperations.ALL_CLUSTER_OPERATIONS
                        : AuthorizedOperations.NOT_REQUESTED);
    }

    private static DescribeClusterResponseData error(Errors error, String message) {
        return new DescribeClusterResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}
