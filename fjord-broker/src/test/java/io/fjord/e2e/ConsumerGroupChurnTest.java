package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: Java consumers (classic protocol, eager range assignment) join and leave one group on a
 * 6-partition topic while a producer writes. Every consumed record is noted with the member that
 * read it and the generation the member was in when poll returned it; no record may be read twice
 * within one generation (each partition belongs to exactly one member per generation), and every
 * record produced must be read. Members commit synchronously after each poll and when partitions
 * are revoked, as a well-behaved application does, so re-reads across generations stay rare.
 * Then the members close, the node restarts on the same data directory, and a new member resumes
 * exactly at the committed offsets.
 */
class ConsumerGroupChurnTest {
    private static final String TOPIC = "churn";
    private static final String GROUP = "churn-group";
    private static final int PARTITIONS = 6;

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;

    @BeforeAll
    static void startNode() {
        node = TestNodes.start(dataDir, NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        port = TestNodes.port(node);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /** One record read: where, by whom, in which generation. */
    record Consumed(int partition, long offset, String member, int generation) {
        String position() {
            return partition + "@" + offset;
        }
    }

    /** A member: its own consumer on its own thread, polling until stopped, then closing (LeaveGroup). */
    static final class Member implements AutoCloseable {
        final String name;
        private final Queue<Consumed> log;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Member(String name, Queue<Consumed> log) {
            this.name = name;
            this.log = log;
            this.thread = new Thread(this::run, "member-" + name);
            thread.start();
        }

        private void run() {
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port, "group.id", GROUP,
                    "group.protocol", "classic", "client.id", name, "auto.offset.reset", "earliest",
                    "session.timeout.ms", "6000", "heartbeat.interval.ms", "200", "max.poll.interval.ms", "10000")) {
                consumer.subscribe(List.of(TOPIC), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        commit(consumer); // everything returned by earlier polls has been noted
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    }
                });
                while (!stop.get()) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    int generation = consumer.groupMetadata().generationId();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        log.add(new Consumed(r.partition(), r.offset(), name, generation));
                    }
                    if (!records.isEmpty()) {
                        commit(consumer);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        private static void commit(KafkaConsumer<byte[], byte[]> consumer) {
            try {
                consumer.commitSync(Duration.ofSeconds(10));
            } catch (KafkaException e) {
                // CommitFailedException / RebalanceInProgressException: the generation moved on; the
                // records since the last commit may be read again in a later generation.
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
            assertThat(thread.isAlive()).as("member %s still running 30 s after being stopped", name).isFalse();
            assertThat(failure.get()).as("member %s failed", name).isNull();
        }
    }

    @Test
    void membersJoinAndLeaveWhileAProducerWritesAndNoRecordIsReadTwiceInOneGeneration() throws Exception {
        KafkaClients.createTopics(port, KafkaClients.topic(TOPIC, PARTITIONS, Map.of()));
        Queue<Consumed> log = new ConcurrentLinkedQueue<>();
        Set<String> produced = ConcurrentHashMap.newKeySet();
        AtomicBoolean stopProducing = new AtomicBoolean();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(port)) {
                for (int i = 0; !stopProducing.get(); i++) {
                    long offset = p.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null,
                            ("r" + i).getBytes(StandardCharsets.UTF_8))).get(15, TimeUnit.SECONDS).offset();
                    produced.add(i % PARTITIONS + "@" + offset);
                    Thread.sleep(3);
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        }, "producer");

        List<Member> running = new ArrayList<>();
        producer.start();
        try {
            // 1 member, then 3, then members leave and others join, while the producer writes.
            running.add(new Member("m1", log));
            Thread.sleep(1500);
            running.add(new Member("m2", log));
            running.add(new Member("m3", log));
            Thread.sleep(1500);
            stopMember(running, "m1");
            Thread.sleep(1500);
            running.add(new Member("m4", log));
            Thread.sleep(1500);
            stopMember(running, "m2");
            running.add(new Member("m5", log));
            Thread.sleep(1500);
        } finally {
            stopProducing.set(true);
            producer.join(20_000);
        }
        assertThat(producerFailure.get()).as("producer failed").isNull();
        assertThat(produced).as("records produced").hasSizeGreaterThan(100);

        try (Admin admin = KafkaClients.admin(port)) {
            // The last members (m3, m4, m5) read everything that was written, and settle on two
            // partitions each in a Stable generation.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Set<String> missing = new TreeSet<>(produced);
            ConsumerGroupDescription description = null;
            while (System.nanoTime() < deadline) {
                log.forEach(c -> missing.remove(c.position()));
                description = KafkaClients.get(admin.describeConsumerGroups(List.of(GROUP)).all()).get(GROUP);
                if (missing.isEmpty() && description.groupState() == GroupState.STABLE
                        && description.members().size() == 3) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(missing).as("records produced but never consumed").isEmpty();
            assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
            Map<String, Set<Integer>> assigned = new HashMap<>();
            for (MemberDescription m : description.members()) {
                assigned.put(m.clientId(), m.assignment().topicPartitions().stream()
                        .map(TopicPartition::partition).collect(Collectors.toSet()));
            }
            assertThat(assigned.keySet()).containsExactlyInAnyOrder("m3", "m4", "m5");
            assertThat(assigned.values()).allMatch(s -> s.size() == 2);
            assertThat(assigned.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                    .hasSize(PARTITIONS);
        } finally {
            for (Member m : running) {
                m.close();
            }
        }

        List<Consumed> consumed = List.copyOf(log);
        // Nothing consumed that was not produced (the log is only what the producer was acknowledged).
        assertThat(consumed.stream().map(Consumed::position).collect(Collectors.toSet()))
                .isSubsetOf(produced);
        // No position read twice within one generation, by two members or by one.
        Map<String, List<Consumed>> byPositionAndGeneration = consumed.stream()
                .collect(Collectors.groupingBy(c -> c.position() + " gen " + c.generation()));
        Map<String, List<Consumed>> twice = byPositionAndGeneration.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(twice).as("records read more than once in one generation").isEmpty();
        // The churn really produced rebalances while records flowed: records read in several generations.
        Set<Integer> generations = consumed.stream().map(Consumed::generation).collect(Collectors.toSet());
        assertThat(generations).as("generations records were read in").hasSizeGreaterThanOrEqualTo(4);
        // Commits on revocation keep re-reads across generations rare: only records since a commit
        // that failed come again. Commits lost or ignored by the broker would make each new
        // generation start again from the beginning of its partitions.
        long reread = consumed.size() - consumed.stream().map(Consumed::position).distinct().count();
        System.out.printf("churn: %d produced, %d consumed, %d re-read in a later generation, generations %s%n",
                produced.size(), consumed.size(), reread, new TreeSet<>(generations));
        assertThat(reread).as("records read again in a later generation").isLessThanOrEqualTo(produced.size() / 4);

        restartAndResumeFromTheCommittedOffsets();
    }

    /**
     * The members have committed and closed (the group is Empty); the node restarts on the same data
     * directory. The committed offsets read back are the ones written before, and a new member of the
     * group resumes exactly after them: nothing below a committed offset is read again.
     */
    private static void restartAndResumeFromTheCommittedOffsets() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> before;
        try (Admin admin = KafkaClients.admin(port)) {
            before = KafkaClients.get(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata());
        }
        assertThat(before).as("committed offsets before the restart").hasSize(PARTITIONS);

        node.close();
        node = TestNodes.start(dataDir, NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        port = TestNodes.port(node);
        try (Admin admin = KafkaClients.admin(port)) {
            Map<TopicPartition, OffsetAndMetadata> after =
                    KafkaClients.get(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata());
            assertThat(after).as("committed offsets after the restart").isEqualTo(before);
        }
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(port)) {
            for (int i = 0; i < 2 * PARTITIONS; i++) {
                p.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, ("after" + i).getBytes(StandardCharsets.UTF_8)))
                        .get(15, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port, "group.id", GROUP,
                "group.protocol", "classic", "client.id", "resumer", "auto.offset.reset", "earliest",
                "enable.auto.commit", "false")) {
            Map<TopicPartition, Long> end = consumer.endOffsets(before.keySet());
            Map<TopicPartition, List<Long>> read = new HashMap<>();
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int expected = 0;
            for (TopicPartition tp : before.keySet()) {
                expected += (int) (end.get(tp) - before.get(tp).offset());
            }
            int got = 0;
            while (got < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    read.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>()).add(r.offset());
                    got++;
                }
            }
            for (TopicPartition tp : before.keySet()) {
                List<Long> wanted = new ArrayList<>();
                for (long o = before.get(tp).offset(); o < end.get(tp); o++) {
                    wanted.add(o);
                }
                assertThat(read.getOrDefault(tp, List.of())).as("offsets read from %s after the restart", tp)
                        .isEqualTo(wanted);
            }
        }
    }

    private static void stopMember(List<Member> running, String name) throws InterruptedException {
        for (Member m : running) {
            if (m.name.equals(name)) {
                m.close();
                running.remove(m);
                return;
            }
        }
        throw new AssertionError("no member " + name);
    }
}
