package io.fjord.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigOp;
import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicSpec;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** AlterPartition, ControlledShutdown and unclean.leader.election.enable, rule by rule. */
class ControllerLogicIsrTest {
    private static final String UNCLEAN = "unclean.leader.election.enable";
    private final ControllerFixture c = new ControllerFixture();

    /** A topic with the given replica lists (the first replica leading each partition) and configs. */
    private UUID topic(String name, Map<String, String> configs, List<List<Integer>> assignments) {
        List<TopicSpec.Assignment> parts = new ArrayList<>();
        for (int p = 0; p < assignments.size(); p++) {
            parts.add(new TopicSpec.Assignment(p, assignments.get(p)));
        }
        UUID id = new UUID(name.hashCode(), 1);
        List<CreatedTopic> created = c.apply(new MetadataCommand.CreateTopics(
                List.of(new TopicSpec(name, -1, (short) -1, parts, configs)), List.of(id), 1, (short) 1));
        assertThat(created.get(0).error()).isEqualTo(ApiError.NONE);
        return id;
    }

    private UUID topic123() {
        c.start(1, null);
        c.start(2, null);
        c.start(3, null);
        return topic("t", Map.of(), List.of(List.of(1, 2, 3)));
    }

    /** AlterPartition by the current leader with the current epochs. */
    private PartitionInfo alter(UUID id, String topic, int partition, List<Integer> newIsr) {
        PartitionInfo p = c.partition(topic, partition);
        return c.apply(new MetadataCommand.AlterPartition(id, partition, p.leaderId(), p.leaderEpoch(), p.partitionEpoch(), newIsr));
    }

    private void assertRefused(MetadataCommand command, Errors error) {
        MetadataImage before = c.image;
        assertThatThrownBy(() -> c.apply(command)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.error().error()).isEqualTo(error));
        assertThat(c.image).isSameAs(before);
    }

    private ApiError controlledShutdown(int id) {
        return c.apply(new MetadataCommand.ControlledShutdown(id, c.image.broker(id).epoch()));
    }

    // ---- AlterPartition

    @Test
    void aShrinkAndAnExpandBumpThePartitionEpochOnlyAndAnswerThePartition() {
        UUID id = topic123();
        PartitionInfo before = c.partition("t", 0);

        PartitionInfo shrunk = alter(id, "t", 0, List.of(1, 2));
        assertThat(shrunk).isEqualTo(c.partition("t", 0));
        assertThat(shrunk.isr()).containsExactly(1, 2);
        assertThat(shrunk.leaderId()).isEqualTo(1);
        assertThat(shrunk.leaderEpoch()).isEqualTo(before.leaderEpoch());
        assertThat(shrunk.partitionEpoch()).isEqualTo(before.partitionEpoch() + 1);
        assertThat(shrunk.replicas()).isEqualTo(before.replicas());

        PartitionInfo expanded = alter(id, "t", 0, List.of(1, 2, 3));
        assertThat(expanded.isr()).containsExactly(1, 2, 3);
        assertThat(expanded.leaderEpoch()).isEqualTo(before.leaderEpoch());
        assertThat(expanded.partitionEpoch()).isEqualTo(before.partitionEpoch() + 2);
    }

    @Test
    void staleOrForeignRequestsAreRefusedWithKafkasCodes() {
        UUID id = topic123();
        PartitionInfo p = c.partition("t", 0);
        List<Integer> isr = List.of(1, 2);
        assertRefused(new MetadataCommand.AlterPartition(new UUID(9, 9), 0, 1, p.leaderEpoch(), p.partitionEpoch(), isr),
                Errors.UNKNOWN_TOPIC_ID);
        assertRefused(new MetadataCommand.AlterPartition(id, 1, 1, p.leaderEpoch(), p.partitionEpoch(), isr),
                Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertRefused(new MetadataCommand.AlterPartition(id, -1, 1, p.leaderEpoch(), p.partitionEpoch(), isr),
                Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertRefused(new MetadataCommand.AlterPartition(id, 0, 2, p.leaderEpoch(), p.partitionEpoch(), List.of(2, 1)),
                Errors.NOT_LEADER_OR_FOLLOWER);
        assertRefused(new MetadataCommand.AlterPartition(id, 0, 1, p.leaderEpoch() - 1, p.partitionEpoch(), isr),
                Errors.FENCED_LEADER_EPOCH);
        assertRefused(new MetadataCommand.AlterPartition(id, 0, 1, p.leaderEpoch() + 1, p.partitionEpoch(), isr),
                Errors.FENCED_LEADER_EPOCH);

        // A change based on a state another change has replaced: the partition epoch tells.
        alter(id, "t", 0, List.of(1, 2));
        assertRefused(new MetadataCommand.AlterPartition(id, 0, 1, p.leaderEpoch(), p.partitionEpoch(), List.of(1, 3)),
                Errors.INVALID_UPDATE_VERSION);
        assertRefused(new MetadataCommand.AlterPartition(id, 0, 1, p.leaderEpoch(), p.partitionEpoch() + 5, List.of(1, 3)),
                Errors.INVALID_UPDATE_VERSION);
    }

    @Test
    void malformedIsrsAreInvalidRequests() {
        UUID id = topic123();
        PartitionInfo p = c.partition("t", 0);
        for (List<Integer> isr : List.of(List.<Integer>of(), List.of(1, 2, 2), List.of(2, 3))) {
            assertRefused(new MetadataCommand.AlterPartition(id, 0, 1, p.leaderEpoch(), p.partitionEpoch(), isr),
                    Errors.INVALID_REQUEST);
        }
    }

    @Test
    void onlyLiveReplicasMayJoinTheIsr() {
        UUID id = topic123();
        c.start(4, null);
        alter(id, "t", 0, List.of(1));
        PartitionInfo p = c.partition("t", 0);
        // Broker 4 is alive but no replica.
        assertRefused(new MetadataCommand.AlterPartition(id, 0, 1, p.leaderEpoch(), p.partitionEpoch(), List.of(1, 4)),
                Errors.INELIGIBLE_REPLICA);
        c.fence(2);
        p = c.partition("t", 0);
        assertRefused(new MetadataCommand.AlterPartition(id, 0, 1, p.leaderEpoch(), p.partitionEpoch(), List.of(1, 2)),
                Errors.INELIGIBLE_REPLICA);
        assertThat(controlledShutdown(3)).isEqualTo(ApiError.NONE);
        p = c.partition("t", 0);
        assertRefused(new MetadataCommand.AlterPartition(id, 0, 1, p.leaderEpoch(), p.partitionEpoch(), List.of(1, 3)),
                Errors.INELIGIBLE_REPLICA);
        // Once broker 2 is back it may join.
        c.unfence(2);
        assertThat(alter(id, "t", 0, List.of(1, 2)).isr()).containsExactly(1, 2);
    }

    @Test
    void theSameIsrAgainChangesNothingButStillNeedsTheCurrentEpochs() {
        UUID id = topic123();
        PartitionInfo p = c.partition("t", 0);
        MetadataImage before = c.image;
        assertThat(alter(id, "t", 0, List.of(1, 2, 3))).isEqualTo(p);
        assertThat(c.image).isSameAs(before);
        assertRefused(new MetadataCommand.AlterPartition(id, 0, 1, p.leaderEpoch(), p.partitionEpoch() - 1, List.of(1, 2, 3)),
                Errors.INVALID_UPDATE_VERSION);
    }

    @Test
    void aReassignmentCompletesOnceItsAddedReplicaJoinsTheIsr() {
        UUID id = topic123();
        c.start(4, null);
        Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
        targets.put(new TopicPartition("t", 0), List.of(2, 3, 4));
        c.apply(new MetadataCommand.AlterReassignments(targets));
        PartitionInfo ongoing = c.partition("t", 0);
        assertThat(ongoing.addingReplicas()).containsExactly(4);
        assertThat(ongoing.removingReplicas()).containsExactly(1);

        PartitionInfo done = alter(id, "t", 0, List.of(1, 2, 3, 4));
        assertThat(done.reassigning()).isFalse();
        assertThat(done.replicas()).containsExactly(2, 3, 4);
        assertThat(done.isr()).containsExactly(2, 3, 4);
        // The leader was removed: the first target replica in sync takes over, in a new leader epoch.
        assertThat(done.leaderId()).isEqualTo(2);
        assertThat(done.leaderEpoch()).isEqualTo(ongoing.leaderEpoch() + 1);
        assertThat(done.partitionEpoch()).isEqualTo(ongoing.partitionEpoch() + 1);
    }

    // ---- ControlledShutdown

    @Test
    void aControlledShutdownMovesLeadershipsAndLeavesIsrsButNotTheLastOne() {
        c.start(1, null);
        c.start(2, null);
        c.start(3, null);
        topic("t", Map.of(), List.of(List.of(1, 2, 3), List.of(2, 1, 3), List.of(3, 2, 1)));
        topic("solo", Map.of(), List.of(List.of(1)));
        PartitionInfo led = c.partition("t", 0);
        PartitionInfo solo = c.partition("solo", 0);

        assertThat(controlledShutdown(1)).isEqualTo(ApiError.NONE);
        assertThat(c.image.broker(1).inControlledShutdown()).isTrue();
        assertThat(c.image.broker(1).fenced()).isFalse();

        PartitionInfo moved = c.partition("t", 0);
        assertThat(moved.leaderId()).isEqualTo(2);
        assertThat(moved.isr()).containsExactly(2, 3);
        assertThat(moved.leaderEpoch()).isEqualTo(led.leaderEpoch() + 1);
        assertThat(moved.partitionEpoch()).isEqualTo(led.partitionEpoch() + 1);
        assertThat(moved.offlineReplicas()).as("it still serves: not offline").isEmpty();
        assertThat(c.partition("t", 1).isr()).containsExactly(2, 3);
        assertThat(c.partition("t", 1).leaderId()).isEqualTo(2);
        assertThat(c.partition("t", 1).leaderEpoch()).as("leader unchanged").isEqualTo(0);
        assertThat(c.partition("t", 2).isr()).containsExactly(3, 2);

        // The last in-sync replica keeps the ISR, without a leader: nothing acknowledged is given up.
        PartitionInfo stopped = c.partition("solo", 0);
        assertThat(stopped.isr()).containsExactly(1);
        assertThat(stopped.leaderId()).isEqualTo(-1);
        assertThat(stopped.leaderEpoch()).isEqualTo(solo.leaderEpoch() + 1);

        // Asked again: nothing more to do.
        MetadataImage image = c.image;
        assertThat(controlledShutdown(1)).isEqualTo(ApiError.NONE);
        assertThat(c.image).isSameAs(image);
    }

    @Test
    void aBrokerInControlledShutdownGetsNothingNewUntilItRegistersAgain() {
        c.start(1, null);
        c.start(2, null);
        c.start(3, null);
        UUID id = topic("t", Map.of(), List.of(List.of(1, 2, 3)));
        controlledShutdown(1);

        // Not elected: preferred election refuses, unfencing another broker does not pick it.
        Map<TopicPartition, ApiError> preferred = c.apply(new MetadataCommand.ElectLeaders(ElectionType.PREFERRED,
                List.of(new TopicPartition("t", 0))));
        assertThat(preferred.get(new TopicPartition("t", 0)).error()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        // Not added to an ISR.
        PartitionInfo p = c.partition("t", 0);
        assertRefused(new MetadataCommand.AlterPartition(id, 0, p.leaderId(), p.leaderEpoch(), p.partitionEpoch(),
                List.of(2, 3, 1)), Errors.INELIGIBLE_REPLICA);
        // No new replicas on it.
        List<CreatedTopic> created = c.apply(new MetadataCommand.CreateTopics(
                List.of(new TopicSpec("new", 6, (short) 2, List.of(), Map.of())), List.of(new UUID(7, 7)), 1, (short) 1));
        assertThat(created.get(0).error()).isEqualTo(ApiError.NONE);
        assertThat(c.image.topic("new").partitions()).allSatisfy(np -> assertThat(np.replicas()).doesNotContain(1));
        // A broker in controlled shutdown whose lease runs out is fenced as usual.
        assertThat(c.fence(2)).isEqualTo(ApiError.NONE);
        assertThat(c.fence(3)).isEqualTo(ApiError.NONE);
        assertThat(c.partition("t", 0).leaderId()).as("no one left that may lead").isEqualTo(-1);

        // A restart registers again: the flag is gone, and once unfenced it may join the ISR (and so lead) again.
        long epoch = c.register(1, null);
        assertThat(c.image.broker(1).inControlledShutdown()).isFalse();
        c.apply(new MetadataCommand.UnfenceBroker(1, epoch));
        assertThat(c.partition("t", 0).leaderId()).as("1 is not in the ISR [3]").isEqualTo(-1);
        c.unfence(3);
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(3);
        assertThat(alter(id, "t", 0, List.of(3, 1)).isr()).containsExactly(3, 1);
    }

    @Test
    void aBrokerFencedWhileShuttingDownAndUnfencedAgainStillLeadsNothing() {
        c.start(1, null);
        topic("solo", Map.of(), List.of(List.of(1)));
        controlledShutdown(1);
        c.fence(1);
        c.unfence(1);
        assertThat(c.image.broker(1).fenced()).isFalse();
        assertThat(c.partition("solo", 0).leaderId()).isEqualTo(-1);
        assertThat(c.partition("solo", 0).isr()).containsExactly(1);
    }

    @Test
    void aCancelThatWouldPutAShuttingDownBrokerInTheIsrWaits() {
        for (int b = 1; b <= 4; b++) {
            c.start(b, null);
        }
        topic("t", Map.of(), List.of(List.of(1, 3)));
        TopicPartition tp = new TopicPartition("t", 0);
        Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
        targets.put(tp, List.of(2, 4));
        c.apply(new MetadataCommand.AlterReassignments(targets));
        // The original replicas are lost and an unclean election leaves only added replica 2 in sync.
        c.fence(1);
        c.fence(3);
        c.apply(new MetadataCommand.ElectLeaders(ElectionType.UNCLEAN, List.of(tp)));
        assertThat(c.partition("t", 0).isr()).containsExactly(2);
        assertThat(c.partition("t", 0).addingReplicas()).containsExactly(2, 4);
        // They come back, and are stopping again.
        for (int b : List.of(1, 3)) {
            c.apply(new MetadataCommand.UnfenceBroker(b, c.register(b, null)));
            controlledShutdown(b);
        }
        targets.put(tp, null);
        Map<TopicPartition, ApiError> refused = c.apply(new MetadataCommand.AlterReassignments(targets));
        assertThat(refused.get(tp).error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(c.partition("t", 0).isr()).containsExactly(2);
        // Once one of them restarts, the cancellation goes through and puts it in sync.
        c.apply(new MetadataCommand.UnfenceBroker(3, c.register(3, null)));
        assertThat(c.<Map<TopicPartition, ApiError>>apply(new MetadataCommand.AlterReassignments(targets)).get(tp))
                .isEqualTo(ApiError.NONE);
        assertThat(c.partition("t", 0).replicas()).containsExactly(1, 3);
        assertThat(c.partition("t", 0).isr()).containsExactly(3);
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(3);
    }

    @Test
    void aStaleOrUnknownControlledShutdownIsRefused() {
        c.start(1, null);
        long epoch = c.image.broker(1).epoch();
        MetadataImage before = c.image;
        assertThat((ApiError) c.apply(new MetadataCommand.ControlledShutdown(1, epoch - 1)))
                .extracting(ApiError::error).isEqualTo(Errors.STALE_BROKER_EPOCH);
        assertThat((ApiError) c.apply(new MetadataCommand.ControlledShutdown(5, 1)))
                .extracting(ApiError::error).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED);
        assertThat(c.image).isSameAs(before);
        assertThat(c.image.broker(1).inControlledShutdown()).isFalse();
    }

    // ---- unclean.leader.election.enable

    /** Brokers 1 and 2, topic "u" on [1, 2] with ISR shrunk to [1]. */
    private UUID outOfSyncFollower(Map<String, String> configs) {
        c.start(1, null);
        c.start(2, null);
        UUID id = topic("u", configs, List.of(List.of(1, 2)));
        alter(id, "u", 0, List.of(1));
        return id;
    }

    @Test
    void byDefaultALostLastInSyncReplicaLeavesThePartitionLeaderless() {
        outOfSyncFollower(Map.of());
        c.fence(1);
        assertThat(c.partition("u", 0).leaderId()).isEqualTo(-1);
        assertThat(c.partition("u", 0).isr()).containsExactly(1);
    }

    @Test
    void withUncleanElectionAFencedLastInSyncReplicaIsReplacedByALiveOutOfSyncOne() {
        outOfSyncFollower(Map.of(UNCLEAN, "true"));
        PartitionInfo before = c.partition("u", 0);
        c.fence(1);
        PartitionInfo after = c.partition("u", 0);
        assertThat(after.leaderId()).isEqualTo(2);
        assertThat(after.isr()).containsExactly(2);
        assertThat(after.leaderEpoch()).isEqualTo(before.leaderEpoch() + 1);
    }

    @Test
    void withUncleanElectionAControlledShutdownOfTheLastInSyncReplicaElectsAnother() {
        outOfSyncFollower(Map.of(UNCLEAN, "true"));
        controlledShutdown(1);
        assertThat(c.partition("u", 0).leaderId()).isEqualTo(2);
        assertThat(c.partition("u", 0).isr()).containsExactly(2);
    }

    @Test
    void theClusterWideDefaultAppliesAndATopicOverrideWins() {
        UUID id = outOfSyncFollower(Map.of());
        c.apply(new MetadataCommand.AlterConfigs(Map.of(ConfigResource.broker(""),
                ConfigChange.incremental(List.of(ConfigOp.set(UNCLEAN, "true"))))));
        topic("off", Map.of(UNCLEAN, "false"), List.of(List.of(1, 2)));
        PartitionInfo off = c.partition("off", 0);
        c.apply(new MetadataCommand.AlterPartition(new UUID("off".hashCode(), 1), 0, 1, off.leaderEpoch(),
                off.partitionEpoch(), List.of(1)));
        c.fence(1);
        assertThat(c.partition("u", 0).leaderId()).as("cluster default true").isEqualTo(2);
        assertThat(c.partition("off", 0).leaderId()).as("topic says false").isEqualTo(-1);
        assertThat(id).isNotNull();
    }

    @Test
    void aLeaderlessPartitionElectsAReturningOutOfSyncReplicaOnceUncleanElectionIsOn() {
        outOfSyncFollower(Map.of());
        c.fence(2);
        c.fence(1);
        assertThat(c.partition("u", 0).leaderId()).isEqualTo(-1);
        c.apply(new MetadataCommand.AlterConfigs(Map.of(ConfigResource.topic("u"),
                ConfigChange.incremental(List.of(ConfigOp.set(UNCLEAN, "true"))))));
        assertThat(c.partition("u", 0).leaderId()).as("a config change alone elects nobody").isEqualTo(-1);
        c.unfence(2);
        assertThat(c.partition("u", 0).leaderId()).isEqualTo(2);
        assertThat(c.partition("u", 0).isr()).containsExactly(2);
    }
}
