package io.fjord.cluster;

import static io.fjord.cluster.ThreeBrokerImage.LEADER;
import static io.fjord.cluster.ThreeBrokerImage.LISTENER;
import static io.fjord.cluster.ThreeBrokerImage.SELF;
import static io.fjord.cluster.ThreeBrokerImage.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.ApiHandler;
import io.fjord.api.DescribeClusterHandler;
import io.fjord.api.MetadataHandler;
import io.fjord.api.RequestContext;
import io.fjord.group.FindCoordinatorHandler;
import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ImageClusterView;
import io.fjord.metadata.MetadataImage;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.Errors;
import io.fjord.protocol.Message;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DescribeClusterRequestData;
import io.fjord.protocol.message.DescribeClusterResponseData;
import io.fjord.protocol.message.DescribeClusterResponseData.DescribeClusterBroker;
import io.fjord.protocol.message.FindCoordinatorRequestData;
import io.fjord.protocol.message.FindCoordinatorResponseData;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.message.MetadataResponseData.MetadataResponsePartition;
import io.fjord.protocol.message.MetadataResponseData.MetadataResponseTopic;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What node 1 of a three-broker cluster ({@link ThreeBrokerImage}) tells clients about it: Metadata and
 * DescribeCluster list the registered, unfenced brokers (the fenced one only when DescribeCluster v2 asks),
 * partitions carry the image's leaders, and FindCoordinator names the leader of the group's
 * {@code __consumer_offsets} partition, another broker here.
 */
class ClusterViewAnswersTest {
    private final MetadataImage image = ThreeBrokerImage.image();
    private final ImageClusterView cluster = ThreeBrokerImage.view(image);

    private static <T extends Message> T call(ApiHandler handler, ApiKey key, int version, ApiMessage request)
            throws Exception {
        RequestContext context = new RequestContext(key, (short) version, (short) version, 1, "test", LISTENER,
                new InetSocketAddress(0));
        @SuppressWarnings("unchecked")
        T response = (T) handler.handle(context, request).get(10, TimeUnit.SECONDS);
        ByteBuffer buffer = ByteBuffer.allocate(response.size((short) version));
        response.write(new ByteBufferAccessor(buffer), (short) version);
        return response;
    }

    @Test
    void theViewIsTheImagesUnfencedBrokers() {
        assertThat(cluster.aliveBrokers()).extracting(BrokerNode::id).containsExactly(1, 2, 3);
        assertThat(cluster.registeredBrokers()).extracting(BrokerNode::id).containsExactly(1, 2, 3, 4);
        assertThat(cluster.registeredBrokers().get(3).fenced()).isTrue();
        assertThat(cluster.clusterId()).isEqualTo("cluster-xyz");
        // The active controller (3) is an alive broker.
        assertThat(cluster.controllerId()).isEqualTo(3);
        assertThat(cluster.aliveBroker(LEADER).endpoint(LISTENER).host()).isEqualTo("broker2.example");
        assertThat(cluster.aliveBroker(4)).isNull();
    }

    @Test
    void theControllerNamedIsAnAliveBroker() {
        // A fenced (4) or unknown (-1) active controller: the lowest alive broker id instead.
        assertThat(new ImageClusterView(() -> image, () -> 4, "x", SELF, true).controllerId()).isEqualTo(1);
        assertThat(new ImageClusterView(() -> image, () -> -1, "x", SELF, true).controllerId()).isEqualTo(1);
        MetadataImage allFenced = image.toBuilder()
                .putBroker(image.broker(1).withFenced(true))
                .putBroker(image.broker(2).withFenced(true))
                .putBroker(image.broker(3).withFenced(true)).build();
        assertThat(new ImageClusterView(() -> allFenced, () -> 3, "x", SELF, true).controllerId()).isEqualTo(-1);
    }

    @Test
    void withoutRegisteredBrokersTheNodeItselfIsTheCluster() {
        ImageClusterView lone = new ImageClusterView(() -> MetadataImage.EMPTY, () -> -1, "local-id", 5, true);
        assertThat(lone.aliveBrokers()).isEmpty(); // not before its listeners are bound
        lone.publish(List.of(ThreeBrokerImage.endpoint(5)));
        assertThat(lone.aliveBrokers()).extracting(BrokerNode::id).containsExactly(5);
        assertThat(lone.controllerId()).isEqualTo(5);
        assertThat(lone.clusterId()).isEqualTo("local-id");
        // A controller-only node is no broker.
        ImageClusterView controllerOnly = new ImageClusterView(() -> MetadataImage.EMPTY, () -> -1, "local-id", 5, false);
        controllerOnly.publish(List.of(ThreeBrokerImage.endpoint(5)));
        assertThat(controllerOnly.aliveBrokers()).isEmpty();
    }

    @Test
    void metadataListsTheBrokersAndTheLeaders() throws Exception {
        MetadataHandler handler = new MetadataHandler(cluster);
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(TOPIC));
        MetadataResponseData response = call(handler, ApiKey.METADATA, 12, request);
        assertThat(response.brokers()).extracting(b -> b.nodeId() + "@" + b.host() + ":" + b.port() + "/" + b.rack())
                .containsExactly("1@broker1.example:9091/rack-1", "2@broker2.example:9092/rack-2", "3@broker3.example:9093/rack-3");
        assertThat(response.controllerId()).isEqualTo(3);
        assertThat(response.clusterId()).isEqualTo("cluster-xyz");
        MetadataResponseTopic topic = response.topics().get(0);
        List<MetadataResponsePartition> partitions = topic.partitions();
        assertThat(partitions.get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partitions.get(0).leaderId()).isEqualTo(LEADER);
        assertThat(partitions.get(0).leaderEpoch()).isEqualTo(ThreeBrokerImage.LEADER_EPOCH);
        assertThat(partitions.get(0).replicaNodes()).containsExactly(2, 1, 3);
        assertThat(partitions.get(0).isrNodes()).containsExactly(2, 1, 3);
        assertThat(partitions.get(1).leaderId()).isEqualTo(LEADER);
        assertThat(partitions.get(2).errorCode()).isEqualTo(Errors.LEADER_NOT_AVAILABLE.code());
        assertThat(partitions.get(2).leaderId()).isEqualTo(-1);
        assertThat(partitions.get(2).isrNodes()).containsExactly(3);
    }

    @Test
    void aLeaderWithoutTheListenerIsNotGivenOut() throws Exception {
        // Kafka: LISTENER_NOT_FOUND from v6 (the leader is registered, just not on this listener), before that LEADER_NOT_AVAILABLE.
        MetadataHandler handler = new MetadataHandler(cluster);
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(TOPIC));
        RequestContext external = new RequestContext(ApiKey.METADATA, (short) 12, (short) 12, 1, "test", "EXTERNAL",
                new InetSocketAddress(0));
        MetadataResponseData v12 = (MetadataResponseData) handler.handle(external, request).get();
        assertThat(v12.brokers()).isEmpty();
        assertThat(v12.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.LISTENER_NOT_FOUND.code());
        assertThat(v12.topics().get(0).partitions().get(0).leaderId()).isEqualTo(-1);
        RequestContext externalV5 = new RequestContext(ApiKey.METADATA, (short) 5, (short) 5, 1, "test", "EXTERNAL",
                new InetSocketAddress(0));
        MetadataResponseData v5 = (MetadataResponseData) handler.handle(externalV5, request).get();
        assertThat(v5.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.LEADER_NOT_AVAILABLE.code());
    }

    @Test
    void describeClusterListsFencedBrokersOnlyWhenAsked() throws Exception {
        DescribeClusterHandler handler = new DescribeClusterHandler(cluster);
        DescribeClusterResponseData alive = call(handler, ApiKey.DESCRIBE_CLUSTER, 2, new DescribeClusterRequestData());
        assertThat(alive.brokers()).extracting(DescribeClusterBroker::brokerId).containsExactly(1, 2, 3);
        assertThat(alive.controllerId()).isEqualTo(3);
        assertThat(alive.clusterId()).isEqualTo("cluster-xyz");
        DescribeClusterResponseData all = call(handler, ApiKey.DESCRIBE_CLUSTER, 2,
                new DescribeClusterRequestData().setIncludeFencedBrokers(true));
        assertThat(all.brokers()).extracting(b -> b.brokerId() + ":" + b.isFenced())
                .containsExactly("1:false", "2:false", "3:false", "4:true");
    }

    @Test
    void findCoordinatorNamesTheLeaderOfTheGroupsOffsetsPartition() throws Exception {
        // Led by broker 2: the answer needs nothing loaded here, so the gate must not be asked.
        FindCoordinatorHandler handler = new FindCoordinatorHandler(cluster, SELF, groupId -> {
            throw new AssertionError("the gate is only for groups this node coordinates");
        });
        FindCoordinatorResponseData v3 = call(handler, ApiKey.FIND_COORDINATOR, 3, new FindCoordinatorRequestData().setKey("g"));
        assertThat(v3.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(v3.nodeId()).isEqualTo(LEADER);
        assertThat(v3.host()).isEqualTo("broker2.example");
        assertThat(v3.port()).isEqualTo(9092);
        FindCoordinatorResponseData v4 = call(handler, ApiKey.FIND_COORDINATOR, 4,
                new FindCoordinatorRequestData().setCoordinatorKeys(List.of("a", "b", "c")));
        assertThat(v4.coordinators()).allSatisfy(c -> {
            assertThat(c.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(c.nodeId()).isEqualTo(LEADER);
        });
    }
}
