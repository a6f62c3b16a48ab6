package io.fjord.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigOp;
import io.fjord.config.ConfigResource;
import io.fjord.controller.ElectionType;
import io.fjord.controller.QuorumState;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMetadataStoreTest {
    private static final int NODE = 1;
    private static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092));

    @TempDir
    Path dir;

    private LocalMetadataStore openUnstarted() throws IOException {
        return LocalMetadataStore.open(dir, NODE, 1, (short) 1);
    }

    /** Opens and starts the store and registers this node's broker, as a starting node does. */
    private LocalMetadataStore open() throws Exception {
        LocalMetadataStore store = openUnstarted();
        store.start();
        get(store.registerBroker(NODE, null, ENDPOINTS));
        return store;
    }

    private static TopicSpec topic(String name, int partitions, Map<String, String> configs) {
        return new TopicSpec(name, partitions, (short) -1, List.of(), configs);
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyChangeSurvivesAReopen() throws Exception {
        UUID keptId;
        try (LocalMetadataStore store = open()) {
            List<CreatedTopic> created = get(store.createTopics(List.of(
                    topic("kept", 3, Map.of("retention.ms", "1000")), topic("gone", 1, Map.of())), false,
                    MetadataStore.NO_DEADLINE));
            assertThat(created).extracting(c -> c.error().error()).containsOnly(Errors.NONE);
            keptId = created.get(0).topicId();
            get(store.deleteTopics(List.of(created.get(1).topicId()), MetadataStore.NO_DEADLINE));
            get(store.createPartitions(List.of(new PartitionIncrease("kept", 5, null)), false, MetadataStore.NO_DEADLINE));
            get(store.alterConfigs(Map.of(
                    ConfigResource.topic("kept"), ConfigChange.incremental(List.of(ConfigOp.set("segment.bytes", "100000"))),
                    ConfigResource.broker(""), ConfigChange.incremental(List.of(ConfigOp.set("log.retention.ms", "5000")))),
                    false, MetadataStore.NO_DEADLINE));
        }
        try (LocalMetadataStore store = open()) {
            MetadataImage image = store.image();
            assertThat(image.topics()).extracting(TopicInfo::name).containsExactly("kept");
            TopicInfo kept = image.topic(keptId);
            assertThat(kept.name()).isEqualTo("kept");
            assertThat(kept.partitions()).hasSize(5).allSatisfy(p -> {
                assertThat(p.leaderId()).isEqualTo(1);
                assertThat(p.replicas()).containsExactly(1);
                assertThat(p.isr()).containsExactly(1);
            });
            assertThat(image.topicConfigs("kept")).containsOnly(
                    Map.entry("retention.ms", "1000"), Map.entry("segment.bytes", "100000"));
            assertThat(image.brokerConfigs("")).containsOnly(Map.entry("log.retention.ms", "5000"));
            // Two registrations (RegisterBroker + UnfenceBroker each) and four changes.
            assertThat(image.version()).isEqualTo(8);
            assertThat(image.broker(NODE).fenced()).isFalse();
        }
    }

    @Test
    void producerIdBlocksNeverRepeatAcrossRestarts() throws Exception {
        Set<Long> firsts = new HashSet<>();
        for (int run = 0; run < 3; run++) {
            try (LocalMetadataStore store = open()) {
                for (int i = 0; i < 4; i++) {
                    long first = store.allocateProducerIdBlock(1000);
                    assertThat(first % 1000).isZero();
                    assertThat(firsts.add(first)).isTrue();
                }
            }
        }
        assertThat(firsts).hasSize(12).contains(0L, 11_000L);
    }

    @Test
    void aDamagedImageStopsTheStoreFromOpening() throws Exception {
        try (LocalMetadataStore store = open()) {
            get(store.createTopics(List.of(topic("t", 1, Map.of())), false, MetadataStore.NO_DEADLINE));
        }
        Path file = dir.resolve(MetadataSnapshotFile.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(file, bytes);
        assertThatThrownBy(() -> openUnstarted())
                .isInstanceOf(IOException.class).hasMessageContaining("CRC");

        Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.TRUNCATE_EXISTING);
        assertThatThrownBy(() -> openUnstarted()).isInstanceOf(IOException.class);
    }

    @Test
    void aLeftoverTemporaryFileIsIgnored() throws Exception {
        try (LocalMetadataStore store = open()) {
            get(store.createTopics(List.of(topic("t", 1, Map.of())), false, MetadataStore.NO_DEADLINE));
        }
        Files.write(dir.resolve(MetadataSnapshotFile.FILE_NAME + ".tmp"), new byte[] {9, 9, 9});
        try (LocalMetadataStore store = open()) {
            assertThat(store.image().topic("t")).isNotNull();
        }
    }

    @Test
    void listenersSeeEveryImageBeforeTheChangeIsAcknowledged() throws Exception {
        try (LocalMetadataStore store = openUnstarted()) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            store.addListener((previous, current) -> {
                assertThat(current.version()).isGreaterThan(previous.version());
                seen.add(current.version());
            });
            store.start();
            get(store.registerBroker(NODE, null, ENDPOINTS));
            List<CompletableFuture<List<CreatedTopic>>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(store.createTopics(List.of(topic("t" + i, 1, Map.of())), false, MetadataStore.NO_DEADLINE));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(get(futures.get(i)).get(0).error()).isEqualTo(ApiError.NONE);
                assertThat(store.image().topic("t" + i)).isNotNull();
            }
            // Changes queued together share one write, so there may be fewer images than changes.
            assertThat(seen).isSorted().isNotEmpty();
            assertThat(store.image().topics()).hasSize(50);
        }
    }

    @Test
    void aChangeWhoseDeadlinePassedIsNotMade() throws Exception {
        try (LocalMetadataStore store = open()) {
            CompletableFuture<List<CreatedTopic>> late = store.createTopics(List.of(topic("late", 1, Map.of())), false,
                    System.nanoTime() - 1);
            assertThatThrownBy(() -> get(late)).hasCauseInstanceOf(ApiException.class);
            assertThat(ApiError.fromThrowable(late.handle((r, e) -> e).get()).error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
            assertThat(store.image().topic("late")).isNull();
        }
    }

    @Test
    void validateOnlyChangesNothing() throws Exception {
        try (LocalMetadataStore store = open()) {
            MetadataImage before = store.image();
            List<CreatedTopic> created = get(store.createTopics(List.of(topic("v", 4, Map.of())), true,
                    MetadataStore.NO_DEADLINE));
            assertThat(created.get(0).error()).isEqualTo(ApiError.NONE);
            assertThat(created.get(0).numPartitions()).isEqualTo(4);
            Map<String, ApiError> grown = get(store.createPartitions(List.of(new PartitionIncrease("v", 2, null)), true,
                    MetadataStore.NO_DEADLINE));
            assertThat(grown.get("v").error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            Map<ConfigResource, ApiError> altered = get(store.alterConfigs(Map.of(ConfigResource.broker(""),
                    ConfigChange.incremental(List.of(ConfigOp.set("log.retention.ms", "5000")))), true, MetadataStore.NO_DEADLINE));
            assertThat(altered.get(ConfigResource.broker(""))).isEqualTo(ApiError.NONE);
            assertThat(store.image()).isSameAs(before);
        }
    }

    @Test
    void changesAfterCloseFail() throws Exception {
        LocalMetadataStore store = open();
        store.close();
        assertThat(ApiError.fromThrowable(store.createTopics(List.of(topic("x", 1, Map.of())), false,
                MetadataStore.NO_DEADLINE).handle((r, e) -> e).get()).error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
    }

    @Test
    void aRestartedNodeLeadsItsPartitionsAgainWithAHigherEpoch() throws Exception {
        try (LocalMetadataStore store = open()) {
            get(store.createTopics(List.of(topic("t", 2, Map.of())), false, MetadataStore.NO_DEADLINE));
            assertThat(store.image().topic("t").partitions()).allSatisfy(p -> {
                assertThat(p.leaderId()).isEqualTo(NODE);
                assertThat(p.leaderEpoch()).isZero();
            });
        }
        try (LocalMetadataStore store = open()) {
            BrokerRegistration broker = store.image().broker(NODE);
            assertThat(broker.fenced()).isFalse();
            assertThat(broker.endpoints()).isEqualTo(ENDPOINTS);
            assertThat(store.image().topic("t").partitions()).allSatisfy(p -> {
                assertThat(p.leaderId()).isEqualTo(NODE);
                assertThat(p.isr()).containsExactly(NODE);
                assertThat(p.leaderEpoch()).isPositive();
                assertThat(p.offlineReplicas()).isEmpty();
            });
        }
    }

    @Test
    void theSingleNodeIsItsOwnQuorum() throws Exception {
        try (LocalMetadataStore store = open()) {
            assertThat(store.activeControllerId()).isEqualTo(NODE);
            QuorumState quorum = get(store.describeQuorum());
            assertThat(quorum.leaderId()).isEqualTo(NODE);
            assertThat(quorum.leaderEpoch()).isEqualTo(1);
            assertThat(quorum.highWatermark()).isEqualTo(store.image().version());
            assertThat(quorum.voters()).extracting(QuorumState.Replica::replicaId).containsExactly(NODE);
            assertThat(quorum.voters().get(0).logEndOffset()).isEqualTo(store.image().version());
            assertThat(quorum.observers()).isEmpty();
        }
    }

    @Test
    void electionsAndReassignmentsGoThroughTheControllerLogic() throws Exception {
        try (LocalMetadataStore store = open()) {
            get(store.createTopics(List.of(topic("t", 1, Map.of())), false, MetadataStore.NO_DEADLINE));
            TopicPartition tp = new TopicPartition("t", 0);
            TopicPartition missing = new TopicPartition("t", 5);
            Map<TopicPartition, ApiError> elected = get(store.electLeaders(ElectionType.PREFERRED, List.of(tp, missing),
                    MetadataStore.NO_DEADLINE));
            assertThat(elected.get(tp).error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);
            assertThat(elected.get(missing).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            Map<TopicPartition, List<Integer>> targets = new java.util.LinkedHashMap<>();
            targets.put(tp, List.of(2));
            targets.put(missing, null);
            Map<TopicPartition, ApiError> reassigned = get(store.alterPartitionReassignments(targets, MetadataStore.NO_DEADLINE));
            assertThat(reassigned.get(tp).error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
            assertThat(reassigned.get(missing).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
    }

    @Test
    void alterPartitionAnswersThePartitionOrFailsWithTheRefusal() throws Exception {
        try (LocalMetadataStore store = open()) {
            UUID id = get(store.createTopics(List.of(topic("isr", 1, Map.of())), false, MetadataStore.NO_DEADLINE))
                    .get(0).topicId();
            PartitionInfo p = store.image().topic(id).partitions().get(0);
            PartitionInfo same = get(store.alterPartition(id, 0, NODE, p.leaderEpoch(), p.partitionEpoch(), List.of(NODE)));
            assertThat(same).isEqualTo(p);
            assertThatThrownBy(() -> get(store.alterPartition(id, 0, NODE, p.leaderEpoch(), p.partitionEpoch() - 1,
                    List.of(NODE)))).hasCauseInstanceOf(ApiException.class).cause()
                    .satisfies(e -> assertThat(((ApiException) e).error().error()).isEqualTo(Errors.INVALID_UPDATE_VERSION));
            assertThatThrownBy(() -> get(store.alterPartition(id, 0, NODE, p.leaderEpoch(), p.partitionEpoch(),
                    List.of(NODE, 2)))).cause()
                    .satisfies(e -> assertThat(((ApiException) e).error().error()).isEqualTo(Errors.INELIGIBLE_REPLICA));
        }
    }

    @Test
    void aControlledShutdownUsesTheRegisteredEpochAndIsGoneAfterTheNextRegistration() throws Exception {
        try (LocalMetadataStore store = open()) {
            get(store.createTopics(List.of(topic("solo", 1, Map.of())), false, MetadataStore.NO_DEADLINE));
            get(store.controlledShutdown(NODE));
            assertThat(store.image().broker(NODE).inControlledShutdown()).isTrue();
            PartitionInfo p = store.image().topic("solo").partitions().get(0);
            assertThat(p.leaderId()).isEqualTo(-1);
            assertThat(p.isr()).containsExactly(NODE);
            assertThatThrownBy(() -> get(store.controlledShutdown(7))).cause()
                    .satisfies(e -> assertThat(((ApiException) e).error().error()).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED));
        }
        // Restarted: it registers again, leads again and is no longer shutting down (and the flag was stored).
        try (LocalMetadataStore store = openUnstarted()) {
            assertThat(store.image().broker(NODE).inControlledShutdown()).isTrue();
            store.start();
            get(store.registerBroker(NODE, null, ENDPOINTS));
            assertThat(store.image().broker(NODE).inControlledShutdown()).isFalse();
            assertThat(store.image().topic("solo").partitions().get(0).leaderId()).isEqualTo(NODE);
        }
    }
}
