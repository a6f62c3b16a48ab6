package io.fjord.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigOp;
import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.BrokerRegistration;
import io.fjord.metadata.ChangeResult;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataImages;
import io.fjord.metadata.PartitionIncrease;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicSpec;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A seeded random walk through the controller's decisions, in the style of Kafka's
 * RaftEventSimulationTest: brokers register (again), get fenced and unfenced, topics come and go, and
 * elections and reassignments are asked for, in random order; after every step the image must keep
 * Kafka's invariants. A failure names its seed: {@code run(seed)} replays it exactly.
 */
class ControllerSimulationTest {
    private static final int SEEDS = 200;
    private static final int STEPS = 300;
    private static final int MAX_BROKER = 6;
    private static final String[] RACKS = {"r1", "r2", "r3"};

    /** How often the walks reached the states worth checking, so that a walk that stops reaching them is noticed. */
    private static final Map<String, Integer> COVERAGE = new java.util.TreeMap<>();

    @Test
    void randomEventsKeepTheInvariants() {
        COVERAGE.clear();
        for (long seed = 0; seed < SEEDS; seed++) {
            run(seed);
        }
        assertThat(COVERAGE).as("what the walks reached").containsKeys("leaderless partition", "ongoing reassignment",
                "leader change", "leaders spread", "racks spread", "stale epoch refused", "re-registration",
                "unclean election", "preferred election", "isr changed", "stale isr change refused",
                "ineligible isr member refused", "controlled shutdown", "unclean election by config");
        assertThat(COVERAGE.values()).allSatisfy(count -> assertThat(count).isGreaterThan(10));
    }

    private static void reached(String what) {
        COVERAGE.merge(what, 1, Integer::sum);
    }

    /** One seeded run: the walk with its checks, then the same commands again, which must give the same results. */
    private static void run(long seed) {
        Walk walk = new Walk(seed);
        List<MetadataCommand> commands = new ArrayList<>();
        List<Object> answers = new ArrayList<>();
        MetadataImage image = MetadataImage.EMPTY;
        Invariants invariants = new Invariants();
        for (int step = 0; step < STEPS; step++) {
            MetadataCommand command = walk.next(image);
            String where = "seed " + seed + ", step " + step + ", " + command;
            try {
                ChangeResult<?> result = apply(image, command);
                invariants.check(image, command, result);
                checkCodec(command, result.response());
                commands.add(command);
                answers.add(result.response());
                image = result.image();
            } catch (Throwable e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
        }
        MetadataImage replayed = MetadataImage.EMPTY;
        for (int i = 0; i < commands.size(); i++) {
            ChangeResult<?> result = apply(replayed, commands.get(i));
            assertThat(result.response()).as("seed %d: answer %d differs on replay", seed, i).isEqualTo(answers.get(i));
            replayed = result.image();
        }
        assertThat(MetadataImages.encode(replayed)).as("seed %d: replay gives another image", seed)
                .isEqualTo(MetadataImages.encode(image));
    }

    /** The entry and its answer (or failure) come back equal from their bytes, as a replicated store needs. */
    private static void checkCodec(MetadataCommand command, Object answer) throws Exception {
        assertThat(MetadataCommandCodec.decode(MetadataCommandCodec.encode(command))).isEqualTo(command);
        if (answer instanceof Failure failure) {
            byte[] bytes = MetadataCommandCodec.encodeFailure(new ApiException(failure.error().error(), failure.error().message()));
            assertThatThrownBy(() -> MetadataCommandCodec.decodeResult(command, bytes)).isInstanceOfSatisfying(
                    ApiException.class, e -> assertThat(e.error()).isEqualTo(failure.error()));
        } else {
            assertThat(MetadataCommandCodec.decodeResult(command, MetadataCommandCodec.encodeResult(command, answer)))
                    .isEqualTo(answer);
        }
    }

    /** A whole-command failure, told apart from an answer that happens to be an ApiError. */
    private record Failure(ApiError error) {
    }

    /** A command's result; a whole-command failure leaves the image as it was. */
    private static ChangeResult<?> apply(MetadataImage image, MetadataCommand command) {
        try {
            return ControllerLogic.apply(image, command);
        } catch (ApiException e) {
            return new ChangeResult<>(image, new Failure(e.error()));
        }
    }

    /** Draws the next command from the seeded random source and the current image only. */
    private static final class Walk {
        private final Random random;
        private final boolean racks;

        Walk(long seed) {
            this.random = new Random(seed);
            this.racks = random.nextBoolean();
        }

        MetadataCommand next(MetadataImage image) {
            // Brokers first, so that most runs have a cluster to place topics on.
            if (image.brokers().size() < 3 && random.nextInt(3) > 0) {
                return register(image);
            }
            int pick = random.nextInt(120);
            if (pick < 8) {
                return register(image);
            } else if (pick < 18) {
                return fence(image);
            } else if (pick < 30) {
                return unfence(image);
            } else if (pick < 45) {
                return createTopic(image);
            } else if (pick < 52) {
                return createPartitions(image);
            } else if (pick < 57) {
                return deleteTopic(image);
            } else if (pick < 70) {
                return elect(image);
            } else if (pick < 88) {
                return reassign(image);
            } else if (pick < 95) {
                return alterConfigs(image);
            } else if (pick < 112) {
                return alterPartition(image);
            } else if (pick < 115) {
                return controlledShutdown(image);
            } else if (pick < 118) {
                return new MetadataCommand.AllocateProducerIds(1 + random.nextInt(1000));
            } else {
                return new MetadataCommand.InitCluster("cluster-" + random.nextInt(3));
            }
        }

        private MetadataCommand register(MetadataImage image) {
            int id = 1 + random.nextInt(MAX_BROKER);
            String rack = racks ? RACKS[random.nextInt(RACKS.length)] : null;
            return new MetadataCommand.RegisterBroker(id, new UUID(random.nextLong(), random.nextLong()), rack,
                    List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9000 + id)));
        }

        private long epochOf(MetadataImage image, int id) {
            BrokerRegistration broker = image.broker(id);
            if (broker == null) {
                return random.nextInt(5);
            }
            // Now and then a stale one, as from a fence decision about an incarnation that has registered again.
            return random.nextInt(10) == 0 ? broker.epoch() - 1 : broker.epoch();
        }

        private MetadataCommand fence(MetadataImage image) {
            int id = 1 + random.nextInt(MAX_BROKER);
            return new MetadataCommand.FenceBroker(id, epochOf(image, id));
        }

        private MetadataCommand unfence(MetadataImage image) {
            int id = 1 + random.nextInt(MAX_BROKER);
            return new MetadataCommand.UnfenceBroker(id, epochOf(image, id));
        }

        private MetadataCommand controlledShutdown(MetadataImage image) {
            int id = 1 + random.nextInt(MAX_BROKER);
            return new MetadataCommand.ControlledShutdown(id, epochOf(image, id));
        }

        /**
         * Mostly what a leader would send (its epochs, itself plus some replicas); now and then a change
         * based on an older state, from a broker that is not the leader, or with a member that may not join.
         */
        private MetadataCommand alterPartition(MetadataImage image) {
            TopicImage topic = someTopic(image);
            if (topic == null) {
                return new MetadataCommand.AlterPartition(new UUID(random.nextLong(), 2), 0, 1, 0, 0, List.of(1));
            }
            int index = random.nextInt(topic.partitionCount() + (random.nextInt(20) == 0 ? 1 : 0));
            if (index >= topic.partitionCount()) {
                return new MetadataCommand.AlterPartition(topic.id(), index, 1, 0, 0, List.of(1));
            }
            PartitionInfo p = topic.info().partitions().get(index);
            int leader = p.leaderId() == -1 || random.nextInt(15) == 0 ? 1 + random.nextInt(MAX_BROKER) : p.leaderId();
            int leaderEpoch = p.leaderEpoch();
            int partitionEpoch = p.partitionEpoch();
            int stale = random.nextInt(12);
            if (stale == 0) {
                partitionEpoch -= 1 + random.nextInt(3);
            } else if (stale == 1) {
                leaderEpoch -= 1 + random.nextInt(2);
            } else if (stale == 2) {
                partitionEpoch += 1;
            }
            List<Integer> isr = new ArrayList<>();
            isr.add(leader);
            // Mostly followers have caught up (every live replica joins), else some fell behind.
            boolean catchUp = random.nextInt(10) < 7;
            for (int r : p.replicas()) {
                BrokerRegistration b = image.broker(r);
                boolean live = b != null && b.usable();
                if (r != leader && (catchUp ? live || p.isr().contains(r) : random.nextBoolean())) {
                    isr.add(r);
                }
            }
            int odd = random.nextInt(25);
            if (odd == 0) {
                isr.add(1 + random.nextInt(MAX_BROKER)); // maybe not a replica, maybe a duplicate
            } else if (odd == 1) {
                isr.remove(0); // without its leader
            }
            Collections.shuffle(isr, random);
            return new MetadataCommand.AlterPartition(topic.id(), index, leader, leaderEpoch, partitionEpoch, isr);
        }

        private MetadataCommand createTopic(MetadataImage image) {
            String name = "t" + random.nextInt(15);
            TopicSpec spec;
            if (random.nextInt(6) == 0) {
                List<TopicSpec.Assignment> assignments = new ArrayList<>();
                int partitions = 1 + random.nextInt(4);
                int replicationFactor = 1 + random.nextInt(3);
                for (int p = 0; p < partitions; p++) {
                    assignments.add(new TopicSpec.Assignment(p, randomBrokers(replicationFactor)));
                }
                spec = new TopicSpec(name, -1, (short) -1, assignments, Map.of());
            } else {
                int partitions = random.nextInt(10) == 0 ? -1 : 1 + random.nextInt(12);
                int replicationFactor = random.nextInt(10) == 0 ? -1 : 1 + random.nextInt(4);
                spec = new TopicSpec(name, partitions, (short) replicationFactor, List.of(), Map.of());
            }
            return new MetadataCommand.CreateTopics(List.of(spec), List.of(new UUID(random.nextLong(), random.nextLong())),
                    1 + random.nextInt(3), (short) 1);
        }

        private List<Integer> randomBrokers(int count) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 1; i <= MAX_BROKER; i++) {
                ids.add(i);
            }
            Collections.shuffle(ids, random);
            List<Integer> out = new ArrayList<>(ids.subList(0, count));
            if (random.nextInt(15) == 0) {
                out.add(out.get(0)); // a duplicate: must be refused
            }
            if (random.nextInt(20) == 0) {
                out.set(0, 99); // an unknown broker: must be refused
            }
            return out;
        }

        private TopicImage someTopic(MetadataImage image) {
            List<TopicImage> topics = new ArrayList<>(image.topicImages());
            return topics.isEmpty() ? null : topics.get(random.nextInt(topics.size()));
        }

        private TopicPartition somePartition(MetadataImage image) {
            TopicImage topic = someTopic(image);
            if (topic == null || random.nextInt(20) == 0) {
                return new TopicPartition("missing", 0);
            }
            // Sometimes one past the end: must be UNKNOWN_TOPIC_OR_PARTITION.
            return new TopicPartition(topic.name(), random.nextInt(topic.partitionCount() + 1));
        }

        private MetadataCommand createPartitions(MetadataImage image) {
            TopicImage topic = someTopic(image);
            String name = topic == null ? "missing" : topic.name();
            int count = (topic == null ? 1 : topic.partitionCount()) + random.nextInt(4);
            return new MetadataCommand.CreatePartitions(List.of(new PartitionIncrease(name, count, null)));
        }

        private MetadataCommand deleteTopic(MetadataImage image) {
            TopicImage topic = someTopic(image);
            UUID id = topic == null || random.nextInt(10) == 0 ? new UUID(random.nextLong(), 1) : topic.id();
            return new MetadataCommand.DeleteTopics(List.of(id));
        }

        private MetadataCommand elect(MetadataImage image) {
            ElectionType type = random.nextBoolean() ? ElectionType.PREFERRED : ElectionType.UNCLEAN;
            if (random.nextInt(8) == 0) {
                return new MetadataCommand.ElectLeaders(type, null);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                partitions.add(somePartition(image));
            }
            return new MetadataCommand.ElectLeaders(type, partitions);
        }

        private MetadataCommand reassign(MetadataImage image) {
            Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                TopicPartition tp = somePartition(image);
                targets.put(tp, random.nextInt(4) == 0 ? null : randomBrokers(1 + random.nextInt(4)));
            }
            return new MetadataCommand.AlterReassignments(targets);
        }

        private MetadataCommand alterConfigs(MetadataImage image) {
            TopicImage topic = someTopic(image);
            ConfigResource resource = topic == null || random.nextBoolean()
                    ? ConfigResource.broker(random.nextBoolean() ? "" : Integer.toString(1 + random.nextInt(MAX_BROKER)))
                    : ConfigResource.topic(topic.name());
            String key = resource.type() == ConfigResource.Type.TOPIC ? "retention.ms" : "log.retention.ms";
            String value = random.nextInt(10) == 0 ? "-7" : Integer.toString(1000 + random.nextInt(100_000));
            if (random.nextInt(3) == 0) {
                key = "unclean.leader.election.enable";
                value = Boolean.toString(random.nextBoolean());
            }
            return new MetadataCommand.AlterConfigs(Map.of(resource, ConfigChange.incremental(List.of(ConfigOp.set(key, value)))));
        }
    }

    /** What must hold after every step, and what the walk has seen so far. */
    private static final class Invariants {
        /** (topic id, partition, leader epoch) -> the leader it had: one leader per epoch, ever. */
        private final Map<String, Integer> leaderOfEpoch = new HashMap<>();

        void check(MetadataImage before, MetadataCommand command, ChangeResult<?> result) {
            MetadataImage after = result.image();
            if (after != before) {
                assertThat(after.version()).isEqualTo(before.version() + 1);
            }
            for (TopicImage topic : after.topicImages()) {
                for (PartitionInfo p : topic.info().partitions()) {
                    checkPartition(after, topic, p);
                    TopicImage old = before.topicImage(topic.id());
                    if (old != null && p.partition() < old.partitionCount()) {
                        checkEpochs(old.info().partitions().get(p.partition()), p);
                    }
                }
            }
            if (command instanceof MetadataCommand.CreateTopics create && result.response() instanceof List<?> answers) {
                for (int i = 0; i < answers.size(); i++) {
                    CreatedTopic created = (CreatedTopic) answers.get(i);
                    if (created.error().isSuccess()) {
                        checkPlacement(before, after.topic(created.name()).partitions(),
                                create.topics().get(i).assignments().isEmpty());
                    }
                }
            }
            if (command instanceof MetadataCommand.CreatePartitions grow) {
                for (PartitionIncrease increase : grow.increases()) {
                    TopicInfo old = before.topic(increase.topic());
                    TopicInfo now = after.topic(increase.topic());
                    if (old != null && now.partitions().size() > old.partitions().size()) {
                        checkPlacement(before, now.partitions().subList(old.partitions().size(), now.partitions().size()), false);
                    }
                }
            }
            if (command instanceof MetadataCommand.AlterPartition alter) {
                checkAlterPartition(before, after, alter, result.response());
            }
            checkShuttingDownGetNothing(before, after);
            if (command instanceof MetadataCommand.FenceBroker || command instanceof MetadataCommand.UnfenceBroker
                    || command instanceof MetadataCommand.RegisterBroker || command instanceof MetadataCommand.ControlledShutdown) {
                checkUncleanOnlyWhenEnabled(before, after);
            }
            checkRoundTrip(after);
            noteEvents(before, command, result.response());
        }

        /** Stale or foreign changes are refused; accepted ones set the ISR asked for and move the partition epoch on. */
        private static void checkAlterPartition(MetadataImage before, MetadataImage after, MetadataCommand.AlterPartition alter,
                                                Object answer) {
            TopicImage topic = before.topicImage(alter.topicId());
            if (topic == null || alter.partition() >= topic.partitionCount()) {
                assertThat(answer).isInstanceOf(Failure.class);
                return;
            }
            PartitionInfo old = topic.info().partitions().get(alter.partition());
            Errors expected = null;
            if (alter.leaderId() != old.leaderId()) {
                expected = Errors.NOT_LEADER_OR_FOLLOWER;
            } else if (alter.leaderEpoch() != old.leaderEpoch()) {
                expected = Errors.FENCED_LEADER_EPOCH;
            } else if (alter.partitionEpoch() != old.partitionEpoch()) {
                expected = Errors.INVALID_UPDATE_VERSION;
            }
            if (expected != null) {
                Errors refusal = expected;
                assertThat(answer).as("stale or foreign change").isInstanceOfSatisfying(Failure.class,
                        f -> assertThat(f.error().error()).isEqualTo(refusal));
                assertThat(after).isSameAs(before);
                reached("stale isr change refused");
                return;
            }
            boolean ineligible = alter.newIsr().stream().anyMatch(m -> !old.replicas().contains(m)
                    || (!old.isr().contains(m) && !usable(before, m)));
            if (answer instanceof Failure failure) {
                assertThat(after).isSameAs(before);
                if (failure.error().error() == Errors.INELIGIBLE_REPLICA) {
                    assertThat(ineligible).as("refused as ineligible: %s", failure).isTrue();
                    reached("ineligible isr member refused");
                } else {
                    assertThat(failure.error().error()).isEqualTo(Errors.INVALID_REQUEST);
                }
                return;
            }
            assertThat(ineligible).as("accepted with an ineligible member").isFalse();
            PartitionInfo now = after.topicImage(alter.topicId()).info().partitions().get(alter.partition());
            assertThat(answer).isEqualTo(now);
            if (alter.newIsr().equals(old.isr())) {
                assertThat(now).isEqualTo(old);
                return;
            }
            reached("isr changed");
            assertThat(now.partitionEpoch()).as("accepted change, new partition epoch").isGreaterThan(old.partitionEpoch());
            if (!old.reassigning()) {
                assertThat(now.isr()).isEqualTo(alter.newIsr());
                assertThat(now.leaderId()).isEqualTo(old.leaderId());
                assertThat(now.leaderEpoch()).isEqualTo(old.leaderEpoch());
            }
        }

        /** A broker in controlled shutdown leads nothing and joins no ISR (one that registered again is a new incarnation). */
        private static void checkShuttingDownGetNothing(MetadataImage before, MetadataImage after) {
            for (TopicImage topic : after.topicImages()) {
                TopicImage old = before.topicImage(topic.id());
                for (PartitionInfo p : topic.info().partitions()) {
                    List<Integer> oldIsr = old != null && p.partition() < old.partitionCount()
                            ? old.info().partitions().get(p.partition()).isr() : List.of();
                    for (int member : p.isr()) {
                        BrokerRegistration b = after.broker(member);
                        if (!oldIsr.contains(member) && b != null) {
                            assertThat(b.inControlledShutdown()).as("%s-%d: broker %d joined the ISR while shutting down",
                                    topic.name(), p.partition(), member).isFalse();
                        }
                    }
                }
            }
        }

        /** A broker change elects a replica that was out of sync only where the topic allows unclean election. */
        private static void checkUncleanOnlyWhenEnabled(MetadataImage before, MetadataImage after) {
            for (TopicImage topic : after.topicImages()) {
                TopicImage old = before.topicImage(topic.id());
                if (old == null) {
                    continue;
                }
                for (PartitionInfo p : topic.info().partitions()) {
                    PartitionInfo was = old.info().partitions().get(p.partition());
                    if (p.leaderId() != -1 && p.leaderId() != was.leaderId() && !was.isr().contains(p.leaderId())) {
                        assertThat(UncleanElections.enabled(before, old)).as("%s-%d: out-of-sync %d elected: %s after %s",
                                topic.name(), p.partition(), p.leaderId(), p, was).isTrue();
                        assertThat(p.isr()).containsExactly(p.leaderId());
                        reached("unclean election by config");
                    }
                }
            }
        }

        private static boolean usable(MetadataImage image, int id) {
            BrokerRegistration b = image.broker(id);
            return b != null && !b.fenced() && !b.inControlledShutdown();
        }

        private static void noteEvents(MetadataImage before, MetadataCommand command, Object answer) {
            if (answer instanceof ApiError error && error.error() == io.fjord.protocol.Errors.STALE_BROKER_EPOCH) {
                reached("stale epoch refused");
            }
            if (command instanceof MetadataCommand.RegisterBroker register && before.broker(register.brokerId()) != null) {
                reached("re-registration");
            }
            if (command instanceof MetadataCommand.ControlledShutdown && ApiError.NONE.equals(answer)) {
                reached("controlled shutdown");
            }
            if (command instanceof MetadataCommand.ElectLeaders elect && answer instanceof Map<?, ?> results
                    && results.values().stream().anyMatch(ApiError.NONE::equals)) {
                reached(elect.type() == ElectionType.UNCLEAN ? "unclean election" : "preferred election");
            }
        }

        private void checkPartition(MetadataImage image, TopicImage topic, PartitionInfo p) {
            String name = topic.name() + "-" + p.partition() + " " + p;
            assertThat(new HashSet<>(p.replicas())).as("distinct replicas of %s", name).hasSize(p.replicas().size());
            assertThat(p.isr()).as("ISR of %s", name).isNotEmpty().doesNotHaveDuplicates();
            assertThat(p.replicas()).as("replicas of %s hold the ISR", name).containsAll(p.isr());
            assertThat(p.replicas()).as("replicas of %s hold adding and removing", name)
                    .containsAll(p.addingReplicas()).containsAll(p.removingReplicas());
            assertThat(p.addingReplicas().stream().filter(p.removingReplicas()::contains))
                    .as("adding and removing of %s", name).isEmpty();
            if (p.leaderId() == -1) {
                reached("leaderless partition");
            } else {
                assertThat(p.isr()).as("leader of %s in the ISR", name).contains(p.leaderId());
                BrokerRegistration leader = image.broker(p.leaderId());
                assertThat(leader).as("leader of %s registered", name).isNotNull();
                assertThat(leader.fenced()).as("leader of %s fenced", name).isFalse();
                assertThat(leader.inControlledShutdown()).as("leader of %s in controlled shutdown", name).isFalse();
            }
            if (p.reassigning()) {
                reached("ongoing reassignment");
            }
            List<Integer> offline = p.replicas().stream()
                    .filter(r -> image.broker(r) == null || image.broker(r).fenced()).toList();
            assertThat(p.offlineReplicas()).as("offline replicas of %s", name).isEqualTo(offline);
            String key = topic.id() + "/" + p.partition() + "/" + p.leaderEpoch();
            Integer seen = leaderOfEpoch.putIfAbsent(key, p.leaderId());
            if (seen != null) {
                assertThat(p.leaderId()).as("one leader per epoch for %s", name).isEqualTo(seen);
            }
        }

        private static void checkEpochs(PartitionInfo old, PartitionInfo now) {
            assertThat(now.leaderEpoch()).as("leader epoch of %s after %s", now, old).isGreaterThanOrEqualTo(old.leaderEpoch());
            assertThat(now.partitionEpoch()).as("partition epoch of %s after %s", now, old)
                    .isGreaterThanOrEqualTo(old.partitionEpoch());
            if (now.leaderId() != old.leaderId()) {
                reached("leader change");
                assertThat(now.leaderEpoch()).as("new leader, new epoch: %s after %s", now, old).isGreaterThan(old.leaderEpoch());
            }
            if (now.leaderId() != old.leaderId() || !now.isr().equals(old.isr())) {
                assertThat(now.partitionEpoch()).as("changed, new partition epoch: %s after %s", now, old)
                        .isGreaterThan(old.partitionEpoch());
            }
        }

        /** New partitions: on unfenced brokers; automatic ones spread leaders evenly and span racks. */
        private static void checkPlacement(MetadataImage before, List<PartitionInfo> partitions, boolean automatic) {
            Set<Integer> unfenced = new HashSet<>();
            Set<String> racks = new HashSet<>();
            before.brokers().values().stream().filter(BrokerRegistration::usable).forEach(b -> {
                unfenced.add(b.id());
                racks.add(String.valueOf(b.rack()));
            });
            for (PartitionInfo p : partitions) {
                assertThat(unfenced).as("new partition %s on unfenced brokers", p).containsAll(p.replicas());
                assertThat(p.isr()).isEqualTo(p.replicas());
                assertThat(p.leaderId()).isEqualTo(p.replicas().get(0));
            }
            if (!automatic) {
                return;
            }
            boolean rackAware = before.brokers().values().stream().anyMatch(b -> b.usable() && b.rack() != null);
            if (rackAware) {
                for (PartitionInfo p : partitions) {
                    Set<String> used = new HashSet<>();
                    p.replicas().forEach(r -> used.add(before.broker(r).rack()));
                    assertThat(used).as("racks of %s", p).hasSize(Math.min(p.replicas().size(), racks.size()));
                }
                reached("racks spread");
            }
            int n = unfenced.size();
            int count = partitions.size();
            if (count >= n) {
                Map<Integer, Integer> led = new HashMap<>();
                unfenced.forEach(b -> led.put(b, 0));
                partitions.forEach(p -> led.merge(p.leaderId(), 1, Integer::sum));
                assertThat(led.values()).as("leaders of %d partitions on %d brokers: %s", count, n, led)
                        .allSatisfy(l -> assertThat(l).isBetween(count / n, (count + n - 1) / n));
                reached("leaders spread");
            }
        }

        private static void checkRoundTrip(MetadataImage image) {
            byte[] bytes = MetadataImages.encode(image);
            MetadataImage decoded;
            try {
                decoded = MetadataImages.decode(bytes);
            } catch (java.io.IOException e) {
                throw new AssertionError("the image does not decode", e);
            }
            assertThat(decoded.version()).isEqualTo(image.version());
            assertThat(List.copyOf(decoded.topicImages())).isEqualTo(List.copyOf(image.topicImages()));
            assertThat(decoded.brokers()).isEqualTo(image.brokers());
            assertThat(decoded.clusterId()).isEqualTo(image.clusterId());
            assertThat(decoded.nextProducerId()).isEqualTo(image.nextProducerId());
            assertThat(decoded.allBrokerConfigs()).isEqualTo(image.allBrokerConfigs());
            assertThat(Arrays.equals(MetadataImages.encode(decoded), bytes)).as("re-encoding gives the same bytes").isTrue();
        }
    }
}
