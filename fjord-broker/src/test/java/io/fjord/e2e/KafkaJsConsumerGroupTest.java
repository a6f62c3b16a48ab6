package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.ExternalCommand;
import io.fjord.testing.Json;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.KafkaJs;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, "kafkajs": the classic tutorial flow with kafkajs's own consumer groups, as
 * tests/js/group-tutorial.js runs it: admin creates a 2-partition topic, a producer writes with
 * explicit partitions, consumers in two groups each read everything from the beginning, two
 * consumers in one group end with one partition each, and a consumer that commits, stops and comes
 * back resumes after its last commit with nothing read twice.
 */
class KafkaJsConsumerGroupTest {
    private static final Path JS_DIR = KafkaJs.DIR;
    /** As in group-tutorial.js. */
    private static final int FIRST_PER_PARTITION = 10;
    private static final int SECOND_PER_PARTITION = 4;

    @TempDir
    static Path dataDir;
    static FjordNode fjord;
    static int port;
    static Path node;

    @BeforeAll
    static void startNode() {
        node = KafkaJs.requireNode();
        fjord = TestNodes.start(dataDir, NodeConfig.AUTO_CREATE_TOPICS_ENABLE, "false",
                NodeConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        port = TestNodes.port(fjord);
    }

    @AfterAll
    static void stopNode() {
        if (fjord != null) {
            fjord.close();
        }
    }

    /** A record as the script prints it: [partition, offset, value]. */
    record Read(int partition, long offset, String value) {
        static Read of(Object json) {
            List<Object> a = Json.array(json);
            return new Read(((Number) a.get(0)).intValue(), Long.parseLong((String) a.get(1)), (String) a.get(2));
        }
    }

    private static List<Read> reads(Object json) {
        return Json.array(json).stream().map(Read::of).toList();
    }

    /** Records with these values, in partition then offset order: value prefix-p-n is at offset base + n. */
    private static List<Read> expected(String prefix, long base, int perPartition) {
        List<Read> list = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            for (int n = 0; n < perPartition; n++) {
                list.add(new Read(p, base + n, prefix + "-" + p + "-" + n));
            }
        }
        return list;
    }

    private static List<Read> sorted(List<Read> reads) {
        return reads.stream().sorted(Comparator.comparingInt(Read::partition).thenComparingLong(Read::offset)).toList();
    }

    /** Each partition's records in the order read: offsets must only grow within a partition. */
    private static void assertInOffsetOrder(String who, List<Read> reads) {
        for (int p = 0; p < 2; p++) {
            int partition = p;
            List<Long> offsets = reads.stream().filter(r -> r.partition() == partition).map(Read::offset).toList();
            assertThat(offsets).as("%s: offsets of partition %d in the order read", who, p).isSorted();
        }
    }

    @Test
    void theKafkaJsTutorialFlowWithConsumerGroups() {
        String topic = "tutorial";
        List<String> command = List.of(node.toString(), JS_DIR.resolve("group-tutorial.js").toString(),
                KafkaClients.bootstrap(port), topic);
        ExternalCommand.Result r = ExternalCommand.run(command, JS_DIR, Duration.ofSeconds(50));
        assertThat(r.exitCode()).as("exit code of %s; stderr: %s", command, r.stderr()).isZero();
        String line = r.stdout().trim();
        assertThat(line).as("stdout of %s", command).isNotEmpty().doesNotContain("\n");
        Map<String, Object> answer = Json.object(Json.parse(line));

        List<Read> first = expected("first", 0, FIRST_PER_PARTITION);
        List<Read> second = expected("second", FIRST_PER_PARTITION, SECOND_PER_PARTITION);
        List<Read> produced = new ArrayList<>(first);
        produced.addAll(second);
        assertThat(sorted(reads(answer.get("produced")))).as("what the producer was acknowledged")
                .isEqualTo(sorted(produced));

        // Two groups, each on its own, read every record exactly once.
        Map<String, Object> groups = Json.object(answer.get("groups"));
        for (String g : List.of("a", "b")) {
            List<Read> read = reads(Json.object(groups.get(g)).get("records"));
            assertThat(sorted(read)).as("records read by group %s", g).isEqualTo(first);
            assertInOffsetOrder("group " + g, read);
        }

        // Two members of one group: the last generation each joined gave each one partition, the
        // group describes as Stable with that assignment, and together they read everything.
        Map<String, Object> split = Json.object(answer.get("split"));
        List<Object> members = Json.array(split.get("members"));
        assertThat(members).hasSize(2);
        Map<String, List<Object>> lastJoin = new java.util.HashMap<>();
        Set<Read> readBySplit = new HashSet<>();
        for (Object o : members) {
            Map<String, Object> m = Json.object(o);
            List<Object> joins = Json.array(m.get("generationJoins"));
            lastJoin.put((String) m.get("memberId"), Json.array(joins.get(joins.size() - 1)));
            List<Read> read = reads(m.get("records"));
            assertInOffsetOrder("member " + m.get("memberId"), read);
            readBySplit.addAll(read);
        }
        assertThat(lastJoin.values()).containsExactlyInAnyOrder(List.of(0L), List.of(1L));
        Map<String, Object> described = Json.object(split.get("described"));
        assertThat(described.get("state")).isEqualTo("Stable");
        assertThat(described.get("protocol")).isEqualTo("RoundRobinAssigner");
        Map<String, List<Object>> describedAssignment = new java.util.HashMap<>();
        for (Object o : Json.array(described.get("members"))) {
            Map<String, Object> m = Json.object(o);
            describedAssignment.put((String) m.get("memberId"), Json.array(m.get("partitions")));
        }
        assertThat(describedAssignment).as("DescribeGroups against what each member was given")
                .isEqualTo(lastJoin);
        assertThat(readBySplit).as("records read by the two members together")
                .containsExactlyInAnyOrderElementsOf(first);

        // Commit, stop, come back: the committed offsets are where the first run stopped, and the
        // second run reads from there on, each record once.
        Map<String, Object> resume = Json.object(answer.get("resume"));
        List<Read> firstRun = reads(resume.get("firstRun"));
        assertThat(sorted(firstRun)).isEqualTo(first);
        assertThat(Json.array(resume.get("committed"))).isEqualTo(List.of(
                Map.of("partition", 0L, "offset", String.valueOf(FIRST_PER_PARTITION)),
                Map.of("partition", 1L, "offset", String.valueOf(FIRST_PER_PARTITION))));
        List<Read> secondRun = reads(resume.get("secondRun"));
        assertThat(sorted(secondRun)).as("records read after coming back").isEqualTo(second);
        assertInOffsetOrder("the second run", secondRun);
    }
}
