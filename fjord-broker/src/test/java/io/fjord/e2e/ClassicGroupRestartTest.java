package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classic group that is Stable when its node restarts comes back Stable with its members (their
 * metadata record holds them), so Java consumers that keep polling across the restart go on in the
 * same generation with the same member ids (no rebalance), and with synchronous commits read every
 * record exactly once.
 * The node restarts on the same data directory and the same port, so the clients reconnect by
 * themselves.
 */
class ClassicGroupRestartTest {
    private static final String TOPIC = "restart";
    private static final String GROUP = "restart-group";
    private static final int PARTITIONS = 4;

    @TempDir
    Path dataDir;

    /** A consumer polling on its own thread, committing synchronously after each poll that returned records. */
    static final class Member implements AutoCloseable {
        final Queue<String> read = new ConcurrentLinkedQueue<>();
        final AtomicInteger generation = new AtomicInteger(-1);
        final AtomicReference<String> memberId = new AtomicReference<>("");
        final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;
        private final int port;

        Member(String name, int port) {
            this.port = port;
            this.thread = new Thread(() -> run(name), "member-" + name);
            thread.start();
        }

        private void run(String name) {
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(port, "group.id", GROUP,
                    "group.protocol", "classic", "client.id", name, "auto.offset.reset", "earliest",
                    "enable.auto.commit", "false", "session.timeout.ms", "10000", "heartbeat.interval.ms", "300",
                    "reconnect.backoff.max.ms", "200", "retry.backoff.max.ms", "200",
                    // Kafka 4 clients rebootstrap when no broker is reachable, which empties their cached
                    // metadata: the Java leader then sees the topic vanish and rejoins. Keep the cache.
                    "metadata.recovery.strategy", "none")) {
                consumer.subscribe(List.of(TOPIC));
                while (!stop.get()) {
                    List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                    generation.set(consumer.groupMetadata().generationId());
                    memberId.set(consumer.groupMetadata().memberId());
                    assignment.set(Set.copyOf(consumer.assignment()));
                    records.forEach(r -> read.add(r.partition() + "@" + r.offset()));
                    if (!records.isEmpty()) {
                        try {
                            consumer.commitSync(Duration.ofSeconds(10));
                        } catch (KafkaException e) {
                            // The node is restarting, or the group rebalanced: the next commit covers these records.
                        }
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
            assertThat(thread.isAlive()).isFalse();
            assertThat(failure.get()).as("member failed").isNull();
        }
    }

    private static Set<String> produce(int port, int from, int count) throws Exception {
        Set<String> positions = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(port)) {
            for (int i = from; i < from + count; i++) {
                long offset = p.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, ("v" + i).getBytes(StandardCharsets.UTF_8)))
                        .get(15, TimeUnit.SECONDS).offset();
                positions.add(i % PARTITIONS + "@" + offset);
            }
        }
        return positions;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void stableGroupGoesOnAcrossARestartWithoutRereadingRecords() throws Exception {
        FjordNode node = TestNodes.start(dataDir, NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        int port = TestNodes.port(node);
        Member a = null;
        Member b = null;
        try {
            KafkaClients.createTopics(port, KafkaClients.topic(TOPIC, PARTITIONS, Map.of()));
            Set<String> produced = new HashSet<>(produce(port, 0, 40));
            a = new Member("a", port);
            b = new Member("b", port);
            Member ma = a;
            Member mb = b;
            await("a Stable group of two that read everything", () -> {
                Set<String> read = new HashSet<>(ma.read);
                read.addAll(mb.read);
                return read.containsAll(produced) && ma.generation.get() > 0 && ma.generation.get() == mb.generation.get()
                        && ma.assignment.get().size() == 2 && mb.assignment.get().size() == 2;
            });
            int generationBefore = a.generation.get();
            String idA = a.memberId.get();
            String idB = b.memberId.get();
            Thread.sleep(500); // the last commits are answered

            node.close();
            node = TestNodes.start(dataDir, NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0",
                    NodeConfig.LISTENERS, "PLAINTEXT://127.0.0.1:" + port);
            assertThat(TestNodes.port(node)).isEqualTo(port);

            produced.addAll(produce(port, 40, 40));
            await("every record read after the restart", () -> {
                Set<String> read = new HashSet<>(ma.read);
                read.addAll(mb.read);
                return read.containsAll(produced);
            });
            Thread.sleep(500); // duplicates, if any, would show up now
            int generationAfter = Math.max(a.generation.get(), b.generation.get());
            System.out.printf("restart: generation %d before, %d after%n", generationBefore, generationAfter);
            // The members were restored with the group: their heartbeats with the stored generation are
            // accepted, they keep their member ids, and there is no rebalance. (A group restored without
            // members answers them UNKNOWN_MEMBER_ID: they would rejoin under new ids.)
            assertThat(a.memberId.get()).as("member id of a after the restart").isEqualTo(idA);
            assertThat(b.memberId.get()).as("member id of b after the restart").isEqualTo(idB);
            assertThat(generationAfter).as("generation after the restart").isEqualTo(generationBefore);

            List<String> all = new java.util.ArrayList<>(a.read);
            all.addAll(b.read);
            Map<String, Long> counts = all.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
            assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                    .as("records read more than once").isEmpty();
            assertThat(counts.keySet()).isEqualTo(produced);
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            node.close();
        }
    }
}
