package io.fjord.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.config.ConfigResolver;
import io.fjord.group.GroupCoordinator;
import io.fjord.group.GroupCoordinator.Committed;
import io.fjord.group.GroupCoordinator.OffsetKey;
import io.fjord.group.GroupSettings;
import io.fjord.group.OffsetsTopic;
import io.fjord.group.OffsetsTopicConfig;
import io.fjord.group.OffsetsTopicLog;
import io.fjord.group.OffsetsTopicManager;
import io.fjord.group.JoinRequest;
import io.fjord.group.JoinResult;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.metadata.TopicInfo;
import io.fjord.partition.PartitionManager;
import io.fjord.protocol.Errors;
import io.fjord.server.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group coordinator of node 1 serves the {@code __consumer_offsets} partitions node 1 leads: a
 * partition is loaded when an image makes node 1 its leader, its groups are dropped from memory when an
 * image moves the leadership to broker 2 (group APIs then answer NOT_COORDINATOR), and loaded again from
 * the log when the leadership comes back.
 */
class CoordinatorFollowsLeadershipTest {
    private static final int NODE = 1;
    private static final UUID OFFSETS_ID = new UUID(9, 9);
    private static final OffsetKey KEY = new OffsetKey("orders", 0);

    @TempDir
    Path dir;
    private PartitionManager partitions;
    private StubStore store;
    private GroupCoordinator coordinator;
    private OffsetsTopicManager offsetsTopic;

    /** One offsets partition (every group lives there) on brokers 1 and 2, led by {@code leader}. */
    private static MetadataImage ledBy(MetadataImage base, int leader, int epoch) {
        return base.toBuilder().putTopic(new TopicImage(new TopicInfo(OffsetsTopic.NAME, OFFSETS_ID, true, List.of(
                new PartitionInfo(0, leader, epoch, List.of(1, 2), List.of(leader >= 0 ? leader : 1), List.of()))),
                Map.of("cleanup.policy", "compact"))).build();
    }

    @BeforeEach
    void setUp() {
        MetadataImage first = ledBy(MetadataImage.EMPTY, NODE, 0);
        partitions = new PartitionManager(dir, NODE, new ConfigResolver(NodeConfig.DEFAULTS, Map.of()), 300_000, 60_000);
        partitions.startup(first);
        store = new StubStore(first);
        // As on a node: the partitions follow an image before anything else hears of it.
        store.addListener(partitions);
        OffsetsTopicLog log = new OffsetsTopicLog(partitions, () -> 1, System::currentTimeMillis, Long.MAX_VALUE);
        coordinator = new GroupCoordinator(GroupSettings.defaults(), log);
        offsetsTopic = new OffsetsTopicManager(store, partitions, coordinator, log, OffsetsTopicConfig.defaultConfig(), () -> 2);
        coordinator.setAvailability(offsetsTopic::groupApiError);
        offsetsTopic.loadExisting();
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
        partitions.close();
    }

    /**
     * Lets the coordinator thread run what images queued: a reconciliation queues the load it decides
     * on, so two round trips behind them see both done.
     */
    private void settle() {
        for (int i = 0; i < 3; i++) {
            coordinator.listGroups().join();
        }
    }

    private Errors commit(long offset) {
        return coordinator.commit("g", "", null, -1, Map.of(KEY, new Committed(offset, 0, "", 1L))).join();
    }

    private Errors fetchError() {
        try {
            coordinator.fetchOffsets("g", List.of(KEY)).join();
            return Errors.NONE;
        } catch (CompletionException e) {
            return ApiError.fromThrowable(e).error();
        }
    }

    @Test
    void groupsAreServedOnlyWhileThisNodeLeadsTheirPartition() {
        settle();
        assertThat(commit(42)).isEqualTo(Errors.NONE);
        assertThat(coordinator.fetchOffsets("g", List.of(KEY)).join().get(KEY).offset()).isEqualTo(42);

        MetadataImage moved = ledBy(store.image(), 2, 1);
        store.publish(moved);
        settle();
        assertThat(coordinator.listGroups().join()).isEmpty();
        assertThat(commit(43)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(fetchError()).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(coordinator.heartbeat("g", "m", null, 1).join()).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(offsetsTopic.groupApiError("g")).isEqualTo(Errors.NOT_COORDINATOR);

        store.publish(ledBy(moved, NODE, 2));
        settle();
        // Loaded again from the partition's log: the commit made while leading is back.
        assertThat(fetchError()).isEqualTo(Errors.NONE);
        assertThat(coordinator.fetchOffsets("g", List.of(KEY)).join().get(KEY).offset()).isEqualTo(42);
        assertThat(commit(44)).isEqualTo(Errors.NONE);
    }

    @Test
    void membersWaitingInAJoinAreSentBackToFindCoordinator() {
        settle();
        // requireKnownMemberId=false: the member joins at once and waits out the initial rebalance delay.
        JoinRequest request = new JoinRequest("", null, "client", "/127.0.0.1", 10_000, 10_000, "consumer",
                List.of(new JoinRequest.Protocol("range", new byte[0])), false);
        CompletableFuture<JoinResult> waiting = coordinator.join("waiting", request);
        coordinator.listGroups().join();
        assertThat(waiting).isNotDone();
        store.publish(ledBy(store.image(), 2, 1));
        settle();
        assertThat(waiting.join().error()).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(coordinator.describeConsumerGroups(List.of("waiting")).join().get("waiting")).isNull();
        assertThat(coordinator.lookUpConsumerGroups(List.of("waiting")).join().unavailable())
                .containsExactly(Map.entry("waiting", Errors.NOT_COORDINATOR));
        assertThatThrownBy(() -> coordinator.describe("waiting").join()).hasCauseInstanceOf(ApiException.class);
    }

    @Test
    void aPartitionLedElsewhereFromTheStartIsNeverLoaded() {
        store.publish(ledBy(store.image(), 2, 1));
        settle();
        assertThat(commit(1)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(offsetsTopic.groupCoordinatorError("g")).isEqualTo(Errors.NOT_COORDINATOR);
    }

    /**
     * The image reached the partition (no longer led here) before the coordinator unloaded the group:
     * the write is refused under the append lock and the commit answers NOT_COORDINATOR, so the client
     * looks up the new coordinator instead of retrying a write behind the new leader's back.
     */
    @Test
    void aCommitRacingALeadershipChangeIsNotWritten() {
        settle();
        assertThat(commit(42)).isEqualTo(Errors.NONE);
        io.fjord.partition.Partition offsets = partitions.partition(OffsetsTopic.NAME, 0);
        long end = offsets.logEndOffset();
        offsets.updateLeadership(false, 1);
        // As if the availability check ran before the change.
        coordinator.setAvailability(groupId -> Errors.NONE);
        assertThat(commit(43)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(offsets.logEndOffset()).isEqualTo(end);
    }
}
