package io.fjord.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.config.ConfigResolver;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.metadata.TopicInfo;
import io.fjord.server.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partitions of node 1 learn from every image whether node 1 leads them and at which leader epoch,
 * at startup and as leaders move: produce and consumer fetch read that on every request.
 */
class PartitionLeadershipTest {
    private static final int NODE = 1;
    private static final UUID ID = new UUID(3, 3);

    @TempDir
    Path dir;

    private static MetadataImage ledBy(MetadataImage base, int leader, int epoch) {
        return base.toBuilder().putTopic(new TopicImage(new TopicInfo("t", ID, false, List.of(
                new PartitionInfo(0, leader, epoch, List.of(1, 2), List.of(1, 2), List.of()),
                new PartitionInfo(1, 2, epoch, List.of(2, 3), List.of(2, 3), List.of()))), Map.of())).build();
    }

    private PartitionManager manager() {
        return new PartitionManager(dir, NODE, new ConfigResolver(NodeConfig.DEFAULTS, Map.of()), 300_000, 60_000);
    }

    @Test
    void leadershipFollowsTheImages() {
        try (PartitionManager manager = manager()) {
            MetadataImage first = ledBy(MetadataImage.EMPTY, NODE, 0);
            manager.onImage(MetadataImage.EMPTY, first);
            Partition p0 = manager.partition("t", 0);
            assertThat(p0.isLeader()).isTrue();
            assertThat(p0.leaderEpoch()).isZero();
            // Not a replica here: not held at all.
            assertThat(manager.partition("t", 1)).isNull();

            MetadataImage moved = ledBy(first, 2, 1);
            manager.onImage(first, moved);
            assertThat(manager.partition("t", 0)).isSameAs(p0);
            assertThat(p0.isLeader()).isFalse();
            assertThat(p0.leaderEpoch()).isEqualTo(1);

            MetadataImage leaderless = ledBy(moved, -1, 2);
            manager.onImage(moved, leaderless);
            assertThat(p0.isLeader()).isFalse();
            assertThat(p0.leaderEpoch()).isEqualTo(2);

            MetadataImage back = ledBy(leaderless, NODE, 3);
            manager.onImage(leaderless, back);
            assertThat(p0.isLeader()).isTrue();
            assertThat(p0.leaderEpoch()).isEqualTo(3);
        }
    }

    @Test
    void aPartitionLedElsewhereAtStartupIsAFollower() {
        MetadataImage image = ledBy(MetadataImage.EMPTY, 2, 4);
        try (PartitionManager manager = manager()) {
            manager.startup(image);
            assertThat(manager.partition("t", 0).isLeader()).isFalse();
            assertThat(manager.partition("t", 0).leaderEpoch()).isEqualTo(4);
        }
    }
}
