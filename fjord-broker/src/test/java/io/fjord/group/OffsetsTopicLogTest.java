package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.metadata.TopicSpec;
import io.fjord.partition.Partition;
import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.TestNodes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing, replaying and snapshotting a real {@code __consumer_offsets} partition (one partition here). */
class OffsetsTopicLogTest {
    @TempDir
    Path dataDir;
    FjordNode node;
    Partition partition;
    OffsetsTopicLog topicLog;

    @BeforeEach
    void start() throws Exception {
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, "1", OffsetsTopicConfig.NUM_PARTITIONS, "1");
        node.metadata().createTopics(List.of(new TopicSpec(OffsetsTopic.NAME, 1, (short) 1, List.of(),
                Map.of("cleanup.policy", "compact"))), false, System.nanoTime() + TimeUnit.SECONDS.toNanos(10))
                .get(10, TimeUnit.SECONDS);
        partition = node.partitions().partition(OffsetsTopic.NAME, 0);
        topicLog = new OffsetsTopicLog(node.partitions(), () -> 1, System::currentTimeMillis, 1024);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static GroupCoordinator.Committed committed(long offset) {
        return new GroupCoordinator.Committed(offset, -1, "", 1000 + offset);
    }

    private void append(CoordinatorRecord... records) throws Exception {
        topicLog.append(records[0].groupId(), List.of(records)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void replayKeepsTheLatestValueAndHonoursTombstones() throws Exception {
        append(new CoordinatorRecord.OffsetCommit("a", "t", 0, committed(5)),
                new CoordinatorRecord.OffsetCommit("a", "t", 1, committed(6)));
        append(new CoordinatorRecord.OffsetCommit("a", "t", 0, committed(7)));
        append(new CoordinatorRecord.OffsetCommit("a", "t", 1, null));
        append(new CoordinatorRecord.GroupMetadata("b", new GroupSnapshot("classic", "consumer", 3, null, null, 50)));
        append(new CoordinatorRecord.OffsetCommit("b", "t", 0, committed(1)));
        append(new CoordinatorRecord.GroupMetadata("c", new GroupSnapshot("classic", "consumer", 1, null, null, 50)));
        append(new CoordinatorRecord.GroupMetadata("c", null));
        // A record of a kind this broker does not know (key version 99) is skipped, the rest still loads.
        ByteBuffer unknownKey = ByteBuffer.allocate(5).putShort((short) 99).putShort((short) 1).put((byte) 'x');
        partition.appendAsLeader(new RecordBatchBuilder(CompressionType.NONE)
                .append(1L, unknownKey.array(), new byte[] {1, 2}).build());
        append(new CoordinatorRecord.OffsetCommit("d", "t", 0, committed(9)));

        OffsetsPartitionState state = topicLog.replay(0);
        assertThat(state.offsets().get("a")).containsExactly(
                Map.entry(new GroupCoordinator.OffsetKey("t", 0), committed(7)));
        assertThat(state.offsets().get("b")).hasSize(1);
        assertThat(state.offsets().get("d")).hasSize(1);
        assertThat(state.groups()).containsOnlyKeys("b");
        assertThat(state.groups().get("b").generationId()).isEqualTo(3);
    }

    @Test
    void snapshotMovesTheLogStartAndKeepsTheState() throws Exception {
        for (int i = 0; i < 50; i++) {
            append(new CoordinatorRecord.OffsetCommit("g" + (i % 5), "t", i % 3, committed(i)));
        }
        append(new CoordinatorRecord.OffsetCommit("g0", "t", 0, null));
        append(new CoordinatorRecord.GroupMetadata("g1", new GroupSnapshot("classic", "consumer", 4, null, null, 9)));
        OffsetsPartitionState before = topicLog.replay(0);
        long end = partition.logEndOffset();

        assertThat(topicLog.maybeSnapshot(0)).isFalse(); // just replayed: no growth since
        for (int i = 0; i < 30; i++) {
            append(new CoordinatorRecord.OffsetCommit("g2", "t", 1, committed(100 + i)));
        }
        before.apply(new CoordinatorRecord.OffsetCommit("g2", "t", 1, committed(129)));
        end = partition.logEndOffset();
        assertThat(topicLog.maybeSnapshot(0)).isTrue();

        assertThat(partition.logStartOffset()).isEqualTo(end);
        OffsetsPartitionState after = topicLog.replay(0);
        assertThat(after.offsets()).isEqualTo(before.offsets());
        assertThat(after.groups()).isEqualTo(before.groups());
        // Tombstoned offsets do not reappear: g0's partition 0 was removed before the snapshot.
        assertThat(after.offsets().get("g0")).doesNotContainKey(new GroupCoordinator.OffsetKey("t", 0));
    }

    @Test
    void crashBetweenWritingTheSnapshotAndTrimmingLeavesTheSameState() throws Exception {
        for (int i = 0; i < 20; i++) {
            append(new CoordinatorRecord.OffsetCommit("g" + (i % 4), "t", i % 2, committed(i)));
        }
        append(new CoordinatorRecord.OffsetCommit("g1", "t", 1, null));
        OffsetsPartitionState before = topicLog.replay(0);
        // The first half of a snapshot reached the log, then the node died: no trim happened.
        List<CoordinatorRecord> snapshot = before.records();
        topicLog.append("g0", snapshot.subList(0, snapshot.size() / 2)).get(5, TimeUnit.SECONDS);
        long start = partition.logStartOffset();

        // Restart on the same data: the log replays to the same state.
        node.close();
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, "1", OffsetsTopicConfig.NUM_PARTITIONS, "1");
        partition = node.partitions().partition(OffsetsTopic.NAME, 0);
        topicLog = new OffsetsTopicLog(node.partitions(), () -> 1, System::currentTimeMillis, 1024);
        assertThat(partition.logStartOffset()).isEqualTo(start);
        OffsetsPartitionState reloaded = topicLog.replay(0);
        assertThat(reloaded.offsets()).isEqualTo(before.offsets());
        assertThat(reloaded.groups()).isEqualTo(before.groups());

        // The next snapshot completes and trims; still the same state.
        topicLog.snapshot(partition);
        assertThat(partition.logStartOffset()).isGreaterThan(start);
        assertThat(topicLog.replay(0).offsets()).isEqualTo(before.offsets());
    }
}
