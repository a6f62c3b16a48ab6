package io.fjord.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.metadata.AuthorizedOperations;
import io.fjord.metadata.BrokerNode;
import io.fjord.network.Endpoint;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeClusterRequestData;
import io.fjord.protocol.message.DescribeClusterResponseData;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescribeClusterHandlerTest {
    private static final BrokerNode UP = new BrokerNode(1, "r1", List.of(new Endpoint("PLAINTEXT", "h1", 1)), false);
    private static final BrokerNode FENCED = new BrokerNode(2, null, List.of(new Endpoint("PLAINTEXT", "h2", 2)), true);

    private static DescribeClusterResponseData respond(int controllerId, short version, DescribeClusterRequestData request) {
        DescribeClusterHandler handler = new DescribeClusterHandler(new FakeCluster("cid", List.of(UP, FENCED), controllerId, List.of()));
        return handler.respond(new RequestContext(ApiKey.DESCRIBE_CLUSTER, version, version, 1, "t", "PLAINTEXT",
                new InetSocketAddress(0)), request);
    }

    @Test
    void fencedBrokersOnlyWhenAsked() {
        assertThat(respond(1, (short) 2, new DescribeClusterRequestData()).brokers())
                .extracting(DescribeClusterResponseData.DescribeClusterBroker::brokerId).containsExactly(1);
        assertThat(respond(1, (short) 2, new DescribeClusterRequestData().setIncludeFencedBrokers(true)).brokers())
                .extracting(DescribeClusterResponseData.DescribeClusterBroker::isFenced).containsExactly(false, true);
    }

    @Test
    void aControllerIdNotAmongTheListedBrokersBecomesMinusOne() {
        assertThat(respond(1, (short) 1, new DescribeClusterRequestData()).controllerId()).isEqualTo(1);
        assertThat(respond(2, (short) 1, new DescribeClusterRequestData()).controllerId()).isEqualTo(-1);
    }

    @Test
    void clusterAuthorizedOperationsOnlyWhenAsked() {
        assertThat(respond(1, (short) 0, new DescribeClusterRequestData()).clusterAuthorizedOperations())
                .isEqualTo(Integer.MIN_VALUE);
        assertThat(respond(1, (short) 0, new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true))
                .clusterAuthorizedOperations()).isEqualTo(AuthorizedOperations.ALL_CLUSTER_OPERATIONS);
    }

    @Test
    void controllerEndpointsAreNotServedHere() {
        DescribeClusterResponseData r = respond(1, (short) 1, new DescribeClusterRequestData().setEndpointType((byte) 2));
        assertThat(r.errorCode()).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code());
        assertThat(r.brokers()).isEmpty();
        assertThat(respond(1, (short) 1, new DescribeClusterRequestData().setEndpointType((byte) 0)).errorCode())
                .isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code());
    }
}
