package io.fjord.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicSpec;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ControllerLogicTest {
    private final ControllerFixture c = new ControllerFixture();

    private void threeBrokers() {
        c.start(1, null);
        c.start(2, null);
        c.start(3, null);
    }

    /** A topic of one partition on brokers 1, 2, 3 in that order, all in sync, 1 leading. */
    private void topic123() {
        threeBrokers();
        c.apply(new MetadataCommand.CreateTopics(List.of(new TopicSpec("t", -1, (short) -1,
                List.of(new TopicSpec.Assignment(0, List.of(1, 2, 3))), Map.of())), List.of(new UUID(1, 1)), 1, (short) 1));
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(1);
    }

    @Test
    void aNewRegistrationIsFencedAndItsEpochIsTheImageVersionItMakes() {
        long before = c.image.version();
        long epoch = c.register(1, "r1");
        assertThat(epoch).isEqualTo(before + 1).isEqualTo(c.image.version());
        assertThat(c.image.broker(1).fenced()).isTrue();
        assertThat(c.image.broker(1).rack()).isEqualTo("r1");

        MetadataImage image = c.image;
        assertThat((ApiError) c.apply(new MetadataCommand.UnfenceBroker(1, epoch - 1)))
                .extracting(ApiError::error).isEqualTo(Errors.STALE_BROKER_EPOCH);
        assertThat(c.image).isSameAs(image);
        assertThat((ApiError) c.apply(new MetadataCommand.FenceBroker(7, 1)))
                .extracting(ApiError::error).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED);
        assertThat((ApiError) c.apply(new MetadataCommand.UnfenceBroker(1, epoch))).isEqualTo(ApiError.NONE);
        assertThat(c.image.broker(1).fenced()).isFalse();
    }

    @Test
    void fencingTheLastInSyncReplicaKeepsItInTheIsrWithoutALeaderAndUnfencingRestoresIt() {
        c.start(1, null);
        c.createTopic("t", 1, 1);
        PartitionInfo before = c.partition("t", 0);

        assertThat(c.fence(1)).isEqualTo(ApiError.NONE);
        PartitionInfo fenced = c.partition("t", 0);
        assertThat(fenced.leaderId()).isEqualTo(-1);
        assertThat(fenced.isr()).containsExactly(1);
        assertThat(fenced.offlineReplicas()).containsExactly(1);
        assertThat(fenced.leaderEpoch()).isEqualTo(before.leaderEpoch() + 1);
        assertThat(fenced.partitionEpoch()).isEqualTo(before.partitionEpoch() + 1);

        assertThat(c.unfence(1)).isEqualTo(ApiError.NONE);
        PartitionInfo back = c.partition("t", 0);
        assertThat(back.leaderId()).isEqualTo(1);
        assertThat(back.isr()).containsExactly(1);
        assertThat(back.offlineReplicas()).isEmpty();
        assertThat(back.leaderEpoch()).isEqualTo(fenced.leaderEpoch() + 1);
    }

    @Test
    void fencingALeaderHandsOverToTheNextInSyncReplicaAndDropsItFromTheIsr() {
        topic123();
        c.fence(1);
        PartitionInfo p = c.partition("t", 0);
        assertThat(p.leaderId()).isEqualTo(2);
        assertThat(p.isr()).containsExactly(2, 3);
        assertThat(p.offlineReplicas()).containsExactly(1);
        assertThat(p.leaderEpoch()).isEqualTo(1);

        c.fence(3);
        assertThat(c.partition("t", 0).isr()).containsExactly(2);
        assertThat(c.partition("t", 0).leaderEpoch()).isEqualTo(1);

        // Back, but not in sync: it cannot rejoin the ISR before followers fetch, so it does not lead either.
        c.unfence(1);
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(2);
        assertThat(c.partition("t", 0).isr()).containsExactly(2);
    }

    @Test
    void aReRegistrationFencesTheOldIncarnationFirst() {
        topic123();
        long oldEpoch = c.image.broker(1).epoch();
        long epoch = c.register(1, null);
        assertThat(epoch).isGreaterThan(oldEpoch);
        assertThat(c.image.broker(1).fenced()).isTrue();
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(2);
        assertThat((ApiError) c.apply(new MetadataCommand.FenceBroker(1, oldEpoch)))
                .extracting(ApiError::error).isEqualTo(Errors.STALE_BROKER_EPOCH);
    }

    @Test
    void preferredElectionMovesLeadershipBackOrSaysWhyNot() {
        topic123();
        TopicPartition tp = new TopicPartition("t", 0);
        Map<TopicPartition, ApiError> notNeeded = c.apply(new MetadataCommand.ElectLeaders(ElectionType.PREFERRED,
                List.of(tp, new TopicPartition("t", 1), new TopicPartition("nope", 0))));
        assertThat(notNeeded.get(tp).error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);
        assertThat(notNeeded.get(new TopicPartition("t", 1)).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(notNeeded.get(new TopicPartition("nope", 0)).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);

        // A reordering reassignment completes at once; then broker 2 is preferred.
        Map<TopicPartition, ApiError> reordered = c.apply(new MetadataCommand.AlterReassignments(Map.of(tp, List.of(2, 1, 3))));
        assertThat(reordered.get(tp)).isEqualTo(ApiError.NONE);
        assertThat(c.partition("t", 0).replicas()).containsExactly(2, 1, 3);
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(1);
        Map<TopicPartition, ApiError> elected = c.apply(new MetadataCommand.ElectLeaders(ElectionType.PREFERRED, List.of(tp)));
        assertThat(elected.get(tp)).isEqualTo(ApiError.NONE);
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(2);

        // Fenced, 2 leaves the ISR: it is not available as preferred leader even once back.
        c.fence(2);
        c.unfence(2);
        Map<TopicPartition, ApiError> unavailable = c.apply(new MetadataCommand.ElectLeaders(ElectionType.PREFERRED, List.of(tp)));
        assertThat(unavailable.get(tp).error()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        // Asked for every partition, those that need no election are left out (as Kafka does).
        Map<TopicPartition, ApiError> all = c.apply(new MetadataCommand.ElectLeaders(ElectionType.UNCLEAN, null));
        assertThat(all).isEmpty();
    }

    @Test
    void uncleanElectionTakesAnAliveReplicaOutsideTheIsrOnlyWhenThereIsNoLeader() {
        topic123();
        c.fence(2);
        c.fence(3);
        c.fence(1);
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(-1);
        assertThat(c.partition("t", 0).isr()).containsExactly(1);
        c.unfence(3);
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(-1);
        TopicPartition tp = new TopicPartition("t", 0);
        Map<TopicPartition, ApiError> preferred = c.apply(new MetadataCommand.ElectLeaders(ElectionType.PREFERRED, List.of(tp)));
        assertThat(preferred.get(tp).error()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        Map<TopicPartition, ApiError> unclean = c.apply(new MetadataCommand.ElectLeaders(ElectionType.UNCLEAN, List.of(tp)));
        assertThat(unclean.get(tp)).isEqualTo(ApiError.NONE);
        assertThat(c.partition("t", 0).leaderId()).isEqualTo(3);
        assertThat(c.partition("t", 0).isr()).containsExactly(3);
        Map<TopicPartition, ApiError> again = c.apply(new MetadataCommand.ElectLeaders(ElectionType.UNCLEAN, List.of(tp)));
        assertThat(again.get(tp).error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);
    }

    @Test
    void aReassignmentThatAddsABrokerStaysOngoingUntilCancelled() {
        topic123();
        c.start(4, null);
        TopicPartition tp = new TopicPartition("t", 0);
        Map<TopicPartition, ApiError> result = c.apply(new MetadataCommand.AlterReassignments(Map.of(tp, List.of(4, 2, 3))));
        assertThat(result.get(tp)).isEqualTo(ApiError.NONE);
        PartitionInfo ongoing = c.partition("t", 0);
        assertThat(ongoing.replicas()).containsExactly(4, 2, 3, 1);
        assertThat(ongoing.addingReplicas()).containsExactly(4);
        assertThat(ongoing.removingReplicas()).containsExactly(1);
        assertThat(ongoing.isr()).containsExactly(1, 2, 3);
        assertThat(ongoing.leaderId()).isEqualTo(1);

        Map<TopicPartition, List<Integer>> cancel = new HashMap<>();
        cancel.put(tp, null);
        assertThat(((Map<TopicPartition, ApiError>) c.apply(new MetadataCommand.AlterReassignments(cancel))).get(tp))
                .isEqualTo(ApiError.NONE);
        PartitionInfo reverted = c.partition("t", 0);
        assertThat(reverted.replicas()).containsExactly(2, 3, 1);
        assertThat(reverted.reassigning()).isFalse();
        assertThat(reverted.leaderId()).isEqualTo(1);
        assertThat(((Map<TopicPartition, ApiError>) c.apply(new MetadataCommand.AlterReassignments(cancel))).get(tp).error())
                .isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS);
    }

    @Test
    void aShrinkingReassignmentCompletesAtOnceAndMovesALeaderOutsideTheTarget() {
        topic123();
        TopicPartition tp = new TopicPartition("t", 0);
        c.apply(new MetadataCommand.AlterReassignments(Map.of(tp, List.of(3, 2))));
        PartitionInfo p = c.partition("t", 0);
        assertThat(p.replicas()).containsExactly(3, 2);
        assertThat(p.isr()).containsExactly(2, 3);
        assertThat(p.reassigning()).isFalse();
        assertThat(p.leaderId()).isEqualTo(3);
        assertThat(p.leaderEpoch()).isEqualTo(1);
    }

    @Test
    void badReassignmentsFailAlone() {
        topic123();
        Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
        targets.put(new TopicPartition("t", 0), List.of(1, 1));
        targets.put(new TopicPartition("t", 9), List.of(1));
        targets.put(new TopicPartition("x", 0), List.of(1));
        Map<TopicPartition, ApiError> result = c.apply(new MetadataCommand.AlterReassignments(targets));
        assertThat(result.keySet()).containsExactlyElementsOf(targets.keySet());
        assertThat(result.values()).extracting(ApiError::error).containsExactly(Errors.INVALID_REPLICA_ASSIGNMENT,
                Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(((Map<TopicPartition, ApiError>) c.apply(new MetadataCommand.AlterReassignments(
                Map.of(new TopicPartition("t", 0), List.of(1, 9))))).get(new TopicPartition("t", 0)).error())
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(((Map<TopicPartition, ApiError>) c.apply(new MetadataCommand.AlterReassignments(
                Map.of(new TopicPartition("t", 0), List.of())))).get(new TopicPartition("t", 0)).error())
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void placementUsesOnlyUnfencedBrokersAndSpreadsLeaders() {
        threeBrokers();
        c.start(4, null);
        c.fence(4);
        c.createTopic("spread", 9, 2);
        Map<Integer, Integer> leaders = new HashMap<>();
        for (PartitionInfo p : c.image.topic("spread").partitions()) {
            assertThat(p.replicas()).doesNotContain(4).doesNotHaveDuplicates().hasSize(2);
            leaders.merge(p.leaderId(), 1, Integer::sum);
        }
        assertThat(leaders).containsOnly(Map.entry(1, 3), Map.entry(2, 3), Map.entry(3, 3));

        List<CreatedTopic> tooMany = c.apply(new MetadataCommand.CreateTopics(
                List.of(new TopicSpec("big", 1, (short) 4, List.of(), Map.of())), List.of(new UUID(5, 5)), 1, (short) 1));
        assertThat(tooMany.get(0).error().error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(tooMany.get(0).error().message()).contains("only 3 broker(s) are registered");
    }

    @Test
    void withRacksEachPartitionSpansDistinctRacksFirst() {
        c.start(1, "a");
        c.start(2, "a");
        c.start(3, "b");
        c.start(4, "b");
        c.start(5, "c");
        c.createTopic("racked", 10, 3);
        for (PartitionInfo p : c.image.topic("racked").partitions()) {
            Set<String> racks = new HashSet<>();
            p.replicas().forEach(r -> racks.add(c.image.broker(r).rack()));
            assertThat(racks).as("racks of %s", p.replicas()).hasSize(3);
        }
    }

    @Test
    void createPartitionsPlacesNewOnesOnUnfencedBrokers() {
        threeBrokers();
        c.createTopic("t", 2, 1);
        c.fence(2);
        Map<String, ApiError> grown = c.apply(new MetadataCommand.CreatePartitions(
                List.of(new io.fjord.metadata.PartitionIncrease("t", 6, null))));
        assertThat(grown.get("t")).isEqualTo(ApiError.NONE);
        assertThat(c.image.topic("t").partitions().subList(2, 6)).allSatisfy(p -> assertThat(p.replicas()).doesNotContain(2));
    }

    @Test
    void theClusterIdIsSetOnceAndValidateHelpersChangeNothing() {
        assertThat((String) c.apply(new MetadataCommand.InitCluster("abc"))).isEqualTo("abc");
        assertThat((String) c.apply(new MetadataCommand.InitCluster("other"))).isEqualTo("abc");
        assertThat(c.image.clusterId()).isEqualTo("abc");

        c.start(1, null);
        MetadataImage before = c.image;
        List<CreatedTopic> validated = ControllerLogic.validateCreateTopics(c.image, new MetadataCommand.CreateTopics(
                List.of(TopicSpec.withDefaults("v")), List.of(new UUID(3, 3)), 3, (short) 1));
        assertThat(validated.get(0).numPartitions()).isEqualTo(3);
        assertThat(c.image).isSameAs(before);
        assertThat(c.image.topic("v")).isNull();
        assertThatThrownBy(() -> ControllerLogic.apply(c.image, new MetadataCommand.AllocateProducerIds(0)))
                .isInstanceOf(ApiException.class);
        assertThat((Long) c.apply(new MetadataCommand.AllocateProducerIds(10))).isZero();
        assertThat((Long) c.apply(new MetadataCommand.AllocateProducerIds(10))).isEqualTo(10);
    }
}
