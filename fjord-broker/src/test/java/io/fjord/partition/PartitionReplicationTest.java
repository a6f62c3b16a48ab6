package io.fjord.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.log.EpochEndOffset;
import io.fjord.log.Log;
import io.fjord.log.LogConfig;
import io.fjord.log.LogSlice;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.PartitionInfo;
import io.fjord.protocol.Errors;
import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.replication.IsrChangeSender;
import io.fjord.replication.ReplicaRead;
import io.fjord.replication.ReplicationSettings;
import io.fjord.replication.Truncation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replication state machine of one partition with three replicas on real logs, driven by hand: the
 * leader's high watermark waits for the whole ISR, a lagging follower leaves the ISR and comes back, and
 * a replica that led in an older epoch cuts exactly the records the new leader does not have.
 */
class PartitionReplicationTest {
    private static final UUID TOPIC_ID = UUID.nameUUIDFromBytes(new byte[] {3});
    private static final long LAG_MS = 10_000;

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    /** ISR changes the leader asked for, answered by hand. */
    private final List<Proposal> proposals = new ArrayList<>();
    private final List<Partition> open = new ArrayList<>();

    private record Proposal(int leaderEpoch, int partitionEpoch, List<Integer> isr, CompletableFuture<PartitionInfo> answer) {
    }

    @AfterEach
    void closeAll() {
        open.forEach(Partition::close);
    }

    @Test
    void highWatermarkWaitsForEveryIsrMember() throws Exception {
        PartitionInfo state = info(1, 0, List.of(1, 2, 3), 0);
        Partition leader = replica(1, state);
        Partition f2 = replica(2, state);
        Partition f3 = replica(3, state);

        long last = leader.appendAsLeader(batch(0, "a", "b", "c")).lastOffset();
        CompletableFuture<Long> acked = leader.awaitReplication(last);
        assertThat(leader.highWatermark()).isZero();

        fetch(leader, f2, 0);
        fetch(leader, f2, 0); // reports its new log end offset
        assertThat(leader.highWatermark()).as("follower 3 has not fetched in this epoch").isZero();
        assertThat(acked).isNotDone();

        fetch(leader, f3, 0);
        fetch(leader, f3, 0);
        assertThat(leader.highWatermark()).isEqualTo(3);
        assertThat(acked.get()).isEqualTo(3);
        fetch(leader, f2, 0);
        assertThat(f2.highWatermark()).as("the leader's high watermark travels in its fetch answers").isEqualTo(3);
    }

    @Test
    void laggingFollowerLeavesTheIsrAndComesBackOnceCaughtUp() throws Exception {
        PartitionInfo state = info(1, 0, List.of(1, 2, 3), 0);
        Partition leader = replica(1, state);
        Partition f2 = replica(2, state);
        Partition f3 = replica(3, state);
        long last = leader.appendAsLeader(batch(0, "a")).lastOffset();
        CompletableFuture<Long> acked = leader.awaitReplication(last);
        fetch(leader, f2, 0);
        fetch(leader, f2, 0);

        clock.addAndGet(LAG_MS - 1);
        leader.maybeShrinkIsr();
        assertThat(proposals).as("within the lag time nobody leaves").isEmpty();
        clock.addAndGet(2);
        fetch(leader, f2, 0); // still caught up
        leader.maybeShrinkIsr();
        assertThat(proposals).singleElement().extracting(Proposal::isr).isEqualTo(List.of(1, 2));
        leader.maybeShrinkIsr();
        assertThat(proposals).as("one change in flight at a time").hasSize(1);

        commit(leader, proposals.remove(0), 1);
        assertThat(leader.isr()).containsExactly(1, 2);
        assertThat(acked.get()).as("the shrunk ISR has the batch").isEqualTo(1);

        // Follower 3 returns and catches up: it asks to rejoin once it has reached the high watermark.
        f3.updateHighWatermarkAsFollower(0, 0);
        fetch(leader, f3, 0);
        assertThat(proposals).isEmpty();
        fetch(leader, f3, 0);
        assertThat(proposals).singleElement().extracting(Proposal::isr).isEqualTo(List.of(1, 2, 3));
        commit(leader, proposals.remove(0), 2);
        assertThat(leader.isr()).containsExactly(1, 2, 3);
        assertThat(leader.partitionEpoch()).isEqualTo(2);
    }

    @Test
    void anUnansweredIsrChangeStaysPendingAndIsAskedAgain() throws Exception {
        PartitionInfo state = info(1, 0, List.of(1, 2), 0);
        Partition leader = replica(1, state);
        clock.addAndGet(LAG_MS + 1);
        leader.maybeShrinkIsr();
        proposals.remove(0).answer().completeExceptionally(new IllegalStateException("controller unreachable"));
        // It may still be applied: nothing else is asked meanwhile, and the same change is sent again.
        leader.maybeShrinkIsr();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proposals.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(proposals).singleElement().extracting(Proposal::isr).isEqualTo(List.of(1));
        commit(leader, proposals.remove(0), 1);
        assertThat(leader.isr()).containsExactly(1);
    }

    @Test
    void anIsrChangeTheControllerRefusesEndsAndIsDecidedAgain() {
        PartitionInfo state = info(1, 0, List.of(1, 2), 0);
        Partition leader = replica(1, state);
        clock.addAndGet(LAG_MS + 1);
        leader.maybeShrinkIsr();
        proposals.remove(0).answer().completeExceptionally(
                new ApiException(Errors.INELIGIBLE_REPLICA, "broker 2 is in controlled shutdown"));
        assertThat(leader.isr()).containsExactly(1, 2);
        leader.maybeShrinkIsr();
        assertThat(proposals).singleElement().extracting(Proposal::isr).isEqualTo(List.of(1));
    }

    @Test
    void aReplicaThatLedWithoutWritingDropsThatEpochAndCatchesUp() throws Exception {
        PartitionInfo epoch0 = info(1, 0, List.of(1, 2), 0);
        Partition r1 = replica(1, epoch0);
        Partition r2 = replica(2, epoch0);
        r1.appendAsLeader(batch(0, "a", "b"));
        fetch(r1, r2, 0);
        // 2 leads epoch 1 and writes nothing; 1 takes over in epoch 2.
        r2.applyState(new PartitionInfo(0, 2, 1, List.of(1, 2), List.of(1, 2), List.of(), 1, List.of(), List.of()));
        PartitionInfo epoch2 = new PartitionInfo(0, 1, 2, List.of(1, 2), List.of(1, 2), List.of(), 2, List.of(), List.of());
        r1.applyState(epoch2);
        r2.applyState(epoch2);
        r1.appendAsLeader(batch(2, "c"));

        ReplicaRead first = r1.readForFollower(2, r2.logEndOffset(), r2.latestEpoch(), 1 << 20, true);
        assertThat(first.divergingEpoch()).isEqualTo(new EpochEndOffset(0, 2));
        r2.truncateOnDivergence(first.divergingEpoch(), 2);
        assertThat(r2.latestEpoch()).as("the empty epoch 1 is gone").isZero();
        fetch(r1, r2, 2);
        assertThat(r2.logEndOffset()).isEqualTo(3);
        assertThat(bytesOf(r1)).isEqualTo(bytesOf(r2));
    }

    @Test
    void everyBatchALeaderWritesCarriesItsEpoch() {
        Partition leader = replica(1, info(1, 4, List.of(1, 2), 0));
        leader.appendAsLeader(batch(-1, "unstamped"));
        assertThat(leader.log().epochEntries()).containsExactly(new io.fjord.log.EpochEntry(4, 0));
    }

    @Test
    void formerLeaderCutsWhatTheNewLeaderDoesNotHave() throws Exception {
        PartitionInfo epoch0 = info(1, 0, List.of(1, 2), 0);
        Partition r1 = replica(1, epoch0);
        Partition r2 = replica(2, epoch0);
        r1.appendAsLeader(batch(0, "a", "b"));
        fetch(r1, r2, 0);
        // Appended by 1 alone, never acknowledged: 1 is then cut off and 2 takes over.
        r1.appendAsLeader(batch(0, "lost"));
        assertThat(r1.logEndOffset()).isEqualTo(3);

        PartitionInfo epoch1 = new PartitionInfo(0, 2, 1, List.of(1, 2), List.of(2), List.of(), 1, List.of(), List.of());
        assertThat(r2.applyState(epoch1)).isEqualTo(Partition.RoleChange.BECAME_LEADER);
        assertThat(r1.applyState(epoch1)).isEqualTo(Partition.RoleChange.FOLLOWER);
        r2.appendAsLeader(batch(1, "c", "d"));

        ReplicaRead read = r2.readForFollower(1, r1.logEndOffset(), r1.latestEpoch(), 1 << 20, true);
        assertThat(read.divergingEpoch()).isEqualTo(new EpochEndOffset(0, 2));
        Truncation cut = r1.truncateOnDivergence(read.divergingEpoch(), 1);
        assertThat(cut.offset()).isEqualTo(2);
        assertThat(r1.logEndOffset()).isEqualTo(2);
        fetch(r2, r1, 1);
        fetch(r2, r1, 1);
        assertThat(r1.logEndOffset()).isEqualTo(4);
        assertThat(bytesOf(r1)).isEqualTo(bytesOf(r2));
        assertThat(r1.log().epochEntries()).isEqualTo(r2.log().epochEntries());
    }

    @Test
    void fetchFromAnEpochThatMovedOnWritesNothing() {
        PartitionInfo state = info(1, 0, List.of(1, 2), 0);
        Partition leader = replica(1, state);
        Partition follower = replica(2, state);
        leader.appendAsLeader(batch(0, "a"));
        ReplicaRead read = leader.readForFollower(2, 0, -1, 1 << 20, true);
        follower.applyState(new PartitionInfo(0, 2, 1, List.of(1, 2), List.of(1, 2), List.of(), 1, List.of(), List.of()));
        assertThat(follower.appendAsFollower(copy(read.records()), 0)).isNull();
        assertThat(follower.logEndOffset()).isZero();
    }

    @Test
    void steppingDownFailsWaitingProduces() {
        PartitionInfo state = info(1, 0, List.of(1, 2), 0);
        Partition leader = replica(1, state);
        long last = leader.appendAsLeader(batch(0, "a")).lastOffset();
        CompletableFuture<Long> acked = leader.awaitReplication(last);
        leader.applyState(new PartitionInfo(0, 2, 1, List.of(1, 2), List.of(2), List.of(), 1, List.of(), List.of()));
        assertThatThrownBy(acked::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NotLeaderException.class);
    }

    @Test
    void fetchFromAReplicaIdThatIsNotAReplicaIsRefused() {
        Partition leader = replica(1, info(1, 0, List.of(1, 2), 0));
        assertThat(leader.readForFollower(7, 0, -1, 1024, true).error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    // ---- helpers ----

    /** One fetch round trip from {@code follower} to {@code leader}, in {@code epoch}. */
    private static void fetch(Partition leader, Partition follower, int epoch) {
        ReplicaRead read = leader.readForFollower(follower.localBrokerId(), follower.logEndOffset(), follower.latestEpoch(),
                1 << 20, true);
        assertThat(read.error()).isEqualTo(Errors.NONE);
        assertThat(read.divergingEpoch()).isNull();
        try {
            if (read.records().length() > 0) {
                assertThat(follower.appendAsFollower(copy(read.records()), epoch)).isNotNull();
            }
        } finally {
            read.records().release();
        }
        follower.updateHighWatermarkAsFollower(read.highWatermark(), epoch);
    }

    private static ByteBuffer copy(LogSlice slice) {
        ByteBuffer buffer = ByteBuffer.allocate(slice.length());
        try {
            slice.readInto(buffer);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return buffer.flip();
    }

    private void commit(Partition leader, Proposal proposal, int newPartitionEpoch) {
        proposal.answer().complete(new PartitionInfo(0, leader.localBrokerId(), proposal.leaderEpoch(), leader.replicas(),
                proposal.isr(), List.of(), newPartitionEpoch, List.of(), List.of()));
    }

    private Partition replica(int brokerId, PartitionInfo state) {
        IsrChangeSender sender = (topicId, partition, leaderId, leaderEpoch, partitionEpoch, newIsr) -> {
            CompletableFuture<PartitionInfo> answer = new CompletableFuture<>();
            proposals.add(new Proposal(leaderEpoch, partitionEpoch, newIsr, answer));
            return answer;
        };
        Log log = Log.open(dir.resolve("broker-" + brokerId).resolve("t-0"), LogConfig.defaults());
        Partition partition = new Partition(new TopicPartition("t", 0), TOPIC_ID, log, PartitionConfig.defaults(), state, 0,
                new ReplicationSettings(brokerId, LAG_MS, sender, clock::get));
        open.add(partition);
        return partition;
    }

    private static PartitionInfo info(int leader, int leaderEpoch, List<Integer> replicas, int partitionEpoch) {
        return new PartitionInfo(0, leader, leaderEpoch, replicas, replicas, List.of(), partitionEpoch, List.of(), List.of());
    }

    private static ByteBuffer batch(int leaderEpoch, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
        if (leaderEpoch >= 0) {
            builder.partitionLeaderEpoch(leaderEpoch);
        }
        for (String v : values) {
            builder.append(1_700_000_000_000L, null, v.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static byte[] bytesOf(Partition partition) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (var files = Files.list(partition.log().dir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                out.write(Files.readAllBytes(file));
            }
        }
        return out.toByteArray();
    }
}
