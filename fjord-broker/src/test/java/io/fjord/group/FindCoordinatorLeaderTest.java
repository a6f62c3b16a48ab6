package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.RequestContext;
import io.fjord.cluster.ThreeBrokerImage;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.metadata.TopicInfo;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FindCoordinatorRequestData;
import io.fjord.protocol.message.FindCoordinatorResponseData;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** FindCoordinator in a cluster: the leader of the group's offsets partition, or none while it has no leader. */
class FindCoordinatorLeaderTest {

    private static FindCoordinatorResponseData call(FindCoordinatorHandler handler, List<String> groups) {
        RequestContext context = new RequestContext(ApiKey.FIND_COORDINATOR, (short) 4, (short) 4, 1, "client",
                ThreeBrokerImage.LISTENER, null);
        return (FindCoordinatorResponseData) handler.handle(context,
                new FindCoordinatorRequestData().setCoordinatorKeys(groups)).join();
    }

    /** {@link ThreeBrokerImage#image()} with offsets partition {@code p} led by {@code leader} and the others leaderless. */
    private static MetadataImage offsetsLedBy(int p, int leader) {
        MetadataImage image = ThreeBrokerImage.image();
        TopicImage offsets = image.topicImage(OffsetsTopic.NAME);
        List<PartitionInfo> partitions = offsets.info().partitions().stream()
                .map(info -> new PartitionInfo(info.partition(), info.partition() == p ? leader : -1, 2,
                        List.of(1, 2, 3), List.of(1, 2, 3), List.of()))
                .toList();
        return image.toBuilder().putTopic(new TopicImage(new TopicInfo(OffsetsTopic.NAME, offsets.id(), true, partitions),
                offsets.configs())).build();
    }

    @Test
    void aLeaderlessPartitionHasNoCoordinatorAndALocalOneAsksTheGate() {
        String group = "g";
        int p = OffsetsTopic.partitionFor(group, 3);
        String other = "x";
        while (OffsetsTopic.partitionFor(other, 3) == p) {
            other = other + "x";
        }
        AtomicInteger gateLooks = new AtomicInteger();
        FindCoordinatorHandler handler = new FindCoordinatorHandler(ThreeBrokerImage.view(offsetsLedBy(p, ThreeBrokerImage.SELF)),
                ThreeBrokerImage.SELF, groupId -> {
                    gateLooks.incrementAndGet();
                    return Errors.NONE;
                }, 0);
        FindCoordinatorResponseData response = call(handler, List.of(group, other));
        assertThat(response.coordinators().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.coordinators().get(0).nodeId()).isEqualTo(ThreeBrokerImage.SELF);
        assertThat(response.coordinators().get(0).host()).isEqualTo("broker1.example");
        assertThat(gateLooks.get()).isEqualTo(1);
        assertThat(response.coordinators().get(1).errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(response.coordinators().get(1).nodeId()).isEqualTo(-1);
    }

    @Test
    void aLeaderThatMovedAwayBetweenTheLooksIsRetriedNotReportedAsNotCoordinator() {
        int p = OffsetsTopic.partitionFor("g", 3);
        FindCoordinatorHandler handler = new FindCoordinatorHandler(ThreeBrokerImage.view(offsetsLedBy(p, ThreeBrokerImage.SELF)),
                ThreeBrokerImage.SELF, groupId -> Errors.NOT_COORDINATOR, 0);
        FindCoordinatorResponseData response = call(handler, List.of("g"));
        assertThat(response.coordinators().get(0).errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
    }
}
