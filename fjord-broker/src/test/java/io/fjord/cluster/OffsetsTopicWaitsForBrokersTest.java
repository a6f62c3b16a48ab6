package io.fjord.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.config.ConfigResolver;
import io.fjord.group.GroupCoordinator;
import io.fjord.group.GroupSettings;
import io.fjord.group.OffsetsTopic;
import io.fjord.group.OffsetsTopicConfig;
import io.fjord.group.OffsetsTopicLog;
import io.fjord.group.OffsetsTopicManager;
import io.fjord.metadata.MetadataImage;
import io.fjord.partition.PartitionManager;
import io.fjord.protocol.Errors;
import io.fjord.server.NodeConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a cluster (a store other than the single node's LocalMetadataStore) {@code __consumer_offsets} is not
 * created while fewer than offsets.topic.replication.factor brokers are alive: group APIs answer
 * COORDINATOR_NOT_AVAILABLE (retriable) meanwhile, as Kafka does, instead of creating the topic with a
 * replication factor it would keep for good.
 */
class OffsetsTopicWaitsForBrokersTest {
    @TempDir
    Path dir;
    private final AtomicInteger alive = new AtomicInteger(2);
    private PartitionManager partitions;
    private StubStore store;
    private GroupCoordinator coordinator;
    private OffsetsTopicManager offsetsTopic;

    @BeforeEach
    void setUp() {
        partitions = new PartitionManager(dir, 1, new ConfigResolver(NodeConfig.DEFAULTS, Map.of()), 300_000, 60_000);
        partitions.startup(MetadataImage.EMPTY);
        store = new StubStore(MetadataImage.EMPTY);
        OffsetsTopicLog log = new OffsetsTopicLog(partitions, () -> OffsetsTopicManager.partitionCount(store),
                System::currentTimeMillis, Long.MAX_VALUE);
        coordinator = new GroupCoordinator(GroupSettings.defaults(), log);
        offsetsTopic = new OffsetsTopicManager(store, partitions, coordinator, log, OffsetsTopicConfig.defaultConfig(),
                alive::get);
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
        partitions.close();
    }

    @Test
    void theTopicWaitsForAsManyAliveBrokersAsItsReplicationFactor() {
        short rf = OffsetsTopicConfig.defaultConfig().replicationFactor();
        alive.set(rf - 1);
        assertThat(offsetsTopic.groupApiError("g")).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(offsetsTopic.groupCoordinatorError("g")).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(store.createRequests).isEmpty();

        alive.set(rf);
        assertThat(offsetsTopic.groupCoordinatorError("g")).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(store.createRequests).singleElement().satisfies(spec -> {
            assertThat(spec.name()).isEqualTo(OffsetsTopic.NAME);
            assertThat(spec.replicationFactor()).isEqualTo(rf);
        });
    }
}
