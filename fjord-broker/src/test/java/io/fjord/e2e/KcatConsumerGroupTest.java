package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.ExternalCommand;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, "kcat": {@code kcat -G} (librdkafka's balanced consumer, classic protocol) reads every
 * record of a topic once, commits where it stopped and resumes from there; two {@code kcat -G}
 * instances in one group split the partitions and between them read every record exactly once.
 */
class KcatConsumerGroupTest {
    /** "partition offset value" per record; the values written here have no spaces or newlines. */
    private static final String FORMAT = "%p %o %s\\n";

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static int port;
    static Path kcat;

    @BeforeAll
    static void startNode() {
        kcat = ExternalCommand.require("kcat", "install it with: apt-get install -y kcat");
        node = TestNodes.start(dataDir, NodeConfig.AUTO_CREATE_TOPICS_ENABLE, "false",
                NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        port = TestNodes.port(node);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /** A {@code kcat -G} command line: from the earliest offset when the group has no commit, quick heartbeats. */
    private static List<String> kcatGroup(String group, String clientId, String topic, String... extra) {
        List<String> command = new ArrayList<>(List.of(kcat.toString(), "-b", KafkaClients.bootstrap(port),
                "-G", group, "-X", "auto.offset.reset=earliest", "-X", "client.id=" + clientId,
                "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500", "-u", "-f", FORMAT));
        command.addAll(List.of(extra));
        command.add(topic);
        return command;
    }

    /** Lines "partition offset value" as kcat printed them. */
    private static List<String> records(String stdout) {
        return stdout.lines().filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> produce(String topic, int partitions, String prefix, int perPartition) throws Exception {
        List<String> lines = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(port)) {
            for (int p = 0; p < partitions; p++) {
                for (int n = 0; n < perPartition; n++) {
                    String value = prefix + "-" + p + "-" + n;
                    long offset = producer.send(new ProducerRecord<>(topic, p, null,
                            value.getBytes(StandardCharsets.UTF_8))).get(15, TimeUnit.SECONDS).offset();
                    lines.add(p + " " + offset + " " + value);
                }
            }
        }
        return lines;
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = KafkaClients.admin(port)) {
            return KafkaClients.get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata())
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private static Map<TopicPartition, Long> everyPartitionAt(String topic, int partitions, long offset) {
        Map<TopicPartition, Long> map = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            map.put(new TopicPartition(topic, p), offset);
        }
        return map;
    }

    @Test
    void kcatReadsEveryRecordOnceAndResumesAfterItsCommit() throws Exception {
        String topic = "kcat-group";
        int partitions = 3;
        KafkaClients.createTopics(port, KafkaClients.topic(topic, partitions, Map.of()));
        List<String> first = produce(topic, partitions, "first", 10);

        // -e: exit once every assigned partition is read to its end; closing commits and leaves.
        ExternalCommand.Result r = ExternalCommand.run(kcatGroup("kcat-g", "kcat-1", topic, "-e"), null,
                Duration.ofSeconds(25));
        assertThat(r.exitCode()).as("kcat's exit code; stderr: %s", r.stderr()).isZero();
        List<String> read = records(r.stdout());
        assertThat(read).as("kcat's records; stderr: %s", r.stderr()).containsExactlyInAnyOrderElementsOf(first);
        assertThat(committed("kcat-g")).isEqualTo(everyPartitionAt(topic, partitions, 10));

        List<String> second = produce(topic, partitions, "second", 3);
        r = ExternalCommand.run(kcatGroup("kcat-g", "kcat-2", topic, "-e"), null, Duration.ofSeconds(25));
        assertThat(r.exitCode()).as("kcat's exit code; stderr: %s", r.stderr()).isZero();
        assertThat(records(r.stdout())).as("kcat's records after coming back; stderr: %s", r.stderr())
                .containsExactlyInAnyOrderElementsOf(second);
        assertThat(committed("kcat-g")).isEqualTo(everyPartitionAt(topic, partitions, 13));
    }

    @Test
    void twoKcatInstancesSplitThePartitionsAndReadEveryRecordOnce() throws Exception {
        String topic = "kcat-split";
        String group = "kcat-split-g";
        int partitions = 4;
        KafkaClients.createTopics(port, KafkaClients.topic(topic, partitions, Map.of()));
        try (Running a = new Running(kcatGroup(group, "kcat-a", topic));
                Running b = new Running(kcatGroup(group, "kcat-b", topic));
                Admin admin = KafkaClients.admin(port)) {
            // Both are members of one Stable generation, the partitions split between them.
            Map<String, Set<Integer>> assigned = new HashMap<>();
            waitUntil("both kcat instances to hold partitions in one Stable generation", Duration.ofSeconds(20), () -> {
                ConsumerGroupDescription d;
                try {
                    d = KafkaClients.get(admin.describeConsumerGroups(List.of(group)).all()).get(group);
                } catch (Exception e) {
                    return false;
                }
                assigned.clear();
                for (MemberDescription m : d.members()) {
                    assigned.put(m.clientId(), m.assignment().topicPartitions().stream()
                            .map(TopicPartition::partition).collect(Collectors.toSet()));
                }
                return d.groupState() == GroupState.STABLE && assigned.size() == 2
                        && assigned.values().stream().noneMatch(Set::isEmpty);
            }, a, b);
            assertThat(assigned.keySet()).containsExactlyInAnyOrder("kcat-a", "kcat-b");
            Set<Integer> union = new HashSet<>(assigned.get("kcat-a"));
            union.addAll(assigned.get("kcat-b"));
            assertThat(union).as("partitions assigned: %s", assigned).hasSize(partitions);

            List<String> produced = produce(topic, partitions, "split", 10);
            waitUntil("kcat to print every record", Duration.ofSeconds(20),
                    () -> a.lines().size() + b.lines().size() >= produced.size(), a, b);
            a.close();
            b.close();

            List<String> all = new ArrayList<>(a.lines());
            all.addAll(b.lines());
            assertThat(all).as("records printed by both, each once").containsExactlyInAnyOrderElementsOf(produced);
            for (Running k : List.of(a, b)) {
                String id = k == a ? "kcat-a" : "kcat-b";
                assertThat(k.lines()).as("records printed by %s (assigned %s)", id, assigned.get(id))
                        .allMatch(line -> assigned.get(id).contains(Integer.parseInt(line.split(" ")[0])));
            }
        }
        assertThat(committed(group)).isEqualTo(everyPartitionAt(topic, partitions, 10));
    }

    private static void waitUntil(String what, Duration timeout, BooleanSupplier condition, Running... running)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder s = new StringBuilder("timed out after " + timeout + " waiting for " + what);
                for (Running r : running) {
                    s.append('\n').append(String.join(" ", r.command)).append("\n  stdout: ").append(r.lines())
                            .append("\n  stderr: ").append(r.stderr());
                }
                throw new AssertionError(s);
            }
            Thread.sleep(50);
        }
    }

    /** kcat running in the background; its stdout lines collected as they come; closing stops it with SIGTERM. */
    private static final class Running implements AutoCloseable {
        final List<String> command;
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder stderr = new StringBuilder();
        private final Thread out;
        private final Thread err;

        Running(List<String> command) throws IOException {
            this.command = command;
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            out = drain(process.getInputStream(), line -> {
                synchronized (lines) {
                    if (!line.isEmpty()) {
                        lines.add(line);
                    }
                }
            });
            err = drain(process.getErrorStream(), line -> {
                synchronized (stderr) {
                    stderr.append(line).append('\n');
                }
            });
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        String stderr() {
            synchronized (stderr) {
                return stderr.toString();
            }
        }

        private static Thread drain(InputStream in, java.util.function.Consumer<String> sink) {
            Thread t = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        sink.accept(line);
                    }
                } catch (IOException ignored) {
                    // the process went away; what was read is what there is
                }
            }, "kcat-drain");
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** SIGTERM: kcat closes its consumer (commit, LeaveGroup) and exits. */
        @Override
        public void close() throws InterruptedException {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("kcat did not stop within 15 s of SIGTERM; stderr: " + stderr());
            }
            out.join(5_000);
            err.join(5_000);
        }
    }
}
