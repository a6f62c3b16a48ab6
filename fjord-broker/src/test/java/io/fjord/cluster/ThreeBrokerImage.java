package io.fjord.cluster;

import io.fjord.group.OffsetsTopic;
import io.fjord.metadata.BrokerRegistration;
import io.fjord.metadata.ImageClusterView;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.metadata.TopicInfo;
import io.fjord.network.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A metadata image as a three-broker cluster has it, seen from node 1: brokers 1, 2 and 3 registered and
 * alive, broker 4 registered but fenced. Topic {@code t} has partition 0 on 2, 1, 3 (node 1 a follower),
 * partition 1 on 2 and 3 (nothing on node 1), partition 2 on 3 and 2 without a leader; every leader is 2.
 * {@code __consumer_offsets} has three partitions, all led by 2.
 */
public final class ThreeBrokerImage {
    public static final int SELF = 1;
    public static final int LEADER = 2;
    public static final int LEADER_EPOCH = 7;
    public static final UUID TOPIC_ID = new UUID(7, 7);
    public static final String TOPIC = "t";
    public static final String LISTENER = "PLAINTEXT";

    private ThreeBrokerImage() {
    }

    public static Endpoint endpoint(int broker) {
        return new Endpoint(LISTENER, "broker" + broker + ".example", 9090 + broker);
    }

    public static MetadataImage image() {
        MetadataImage.Builder b = MetadataImage.EMPTY.toBuilder().clusterId("cluster-xyz");
        for (int id = 1; id <= 4; id++) {
            b.putBroker(new BrokerRegistration(id, new UUID(0, id), id, "rack-" + id, List.of(endpoint(id)), id == 4));
        }
        b.putTopic(new TopicImage(new TopicInfo(TOPIC, TOPIC_ID, false, List.of(
                new PartitionInfo(0, LEADER, LEADER_EPOCH, List.of(2, 1, 3), List.of(2, 1, 3), List.of()),
                new PartitionInfo(1, LEADER, LEADER_EPOCH, List.of(2, 3), List.of(2, 3), List.of()),
                new PartitionInfo(2, -1, LEADER_EPOCH, List.of(3, 2), List.of(3), List.of()))), Map.of()));
        List<PartitionInfo> offsets = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            offsets.add(new PartitionInfo(p, LEADER, 1, List.of(2, 3), List.of(2, 3), List.of()));
        }
        b.putTopic(new TopicImage(new TopicInfo(OffsetsTopic.NAME, new UUID(8, 8), true, offsets), Map.of()));
        return b.build();
    }

    /** The view node 1 has of {@link #image()}, with broker 3 as the active controller. */
    public static ImageClusterView view(MetadataImage image) {
        ImageClusterView view = new ImageClusterView(() -> image, () -> 3, "local-id", SELF, true);
        view.publish(List.of(endpoint(SELF)));
        return view;
    }
}
