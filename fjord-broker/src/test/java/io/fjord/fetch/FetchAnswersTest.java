package io.fjord.fetch;

import static io.fjord.fetch.FetchRequests.batchCount;
import static io.fjord.fetch.FetchRequests.fetch;
import static io.fjord.fetch.FetchRequests.only;
import static io.fjord.fetch.FetchRequests.partition;
import static io.fjord.fetch.FetchRequests.partitions;
import static io.fjord.fetch.FetchRequests.topic;
import static io.fjord.fetch.FetchRequests.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchRequestData.ReplicaState;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.testing.RawConnection;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one fetch answers: offsets, limits, and the per-partition errors, in raw frames. */
class FetchAnswersTest {
    @TempDir
    Path dir;
    private FetchNode node;
    private RawConnection c;

    @BeforeEach
    void setUp() throws Exception {
        node = FetchNode.start(dir);
        c = new RawConnection(node.port);
    }

    @AfterEach
    void tearDown() throws Exception {
        c.close();
        node.close();
    }

    private FetchResponseData send(short version, FetchRequestData request) throws Exception {
        return c.roundTrip(ApiKey.FETCH, version, request);
    }

    @Test
    void aReadReportsTheWatermarksAndNoAbortedTransactions() throws Exception {
        node.createTopic("t", 1);
        node.append("t", 0, 3, "r");
        node.partition("t", 0).log().deleteRecordsBefore(1);

        PartitionData uncommitted = only(send((short) 17, fetch(0, -1, 0, 1, topic(node.topicId("t"), partition(0, 1)))));
        assertThat(uncommitted.errorCode()).isZero();
        assertThat(uncommitted.highWatermark()).isEqualTo(3);
        assertThat(uncommitted.lastStableOffset()).isEqualTo(3);
        assertThat(uncommitted.logStartOffset()).isEqualTo(1);
        assertThat(uncommitted.abortedTransactions()).isNull();
        assertThat(uncommitted.preferredReadReplica()).isEqualTo(-1);
        // The batch holding the fetch offset comes whole, as from Kafka; the client skips what it did not ask for.
        assertThat(values(uncommitted.records())).containsExactly("r-0", "r-1", "r-2");

        FetchRequestData committed = fetch(0, -1, 0, 1, topic("t", partition(0, 1))).setIsolationLevel((byte) 1);
        PartitionData readCommitted = only(send((short) 12, committed));
        assertThat(readCommitted.abortedTransactions()).isEmpty();
        assertThat(readCommitted.lastStableOffset()).isEqualTo(3);
    }

    @Test
    void offsetsOutsideTheLogAreOutOfRange() throws Exception {
        node.createTopic("t", 1);
        node.append("t", 0, 3, "r");
        node.partition("t", 0).log().deleteRecordsBefore(2);
        UUID id = node.topicId("t");
        for (long offset : new long[] {0, 1, 4, 100}) {
            PartitionData p = only(send((short) 17, fetch(0, -1, 0, 1, topic(id, partition(0, offset)))));
            assertThat(p.errorCode()).as("offset %d", offset).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
            assertThat(p.highWatermark()).isEqualTo(-1);
            assertThat(p.logStartOffset()).isEqualTo(-1);
        }
        // The log end offset itself is in range: nothing there yet.
        PartitionData atEnd = only(send((short) 17, fetch(0, -1, 0, 1, topic(id, partition(0, 3)))));
        assertThat(atEnd.errorCode()).isZero();
        assertThat(atEnd.records().sizeInBytes()).isZero();
    }

    @Test
    void unknownTopicsAndPartitions() throws Exception {
        node.createTopic("t", 1);
        FetchResponseData byId = send((short) 17, fetch(0, -1, 0, 1, topic(UUID.randomUUID(), partition(0, 0)),
                topic(node.topicId("t"), partition(3, 0))));
        assertThat(partitions(byId)).extracting(PartitionData::errorCode)
                .containsExactly(Errors.UNKNOWN_TOPIC_ID.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        FetchResponseData byName = send((short) 12, fetch(0, -1, 0, 1, topic("nope", partition(0, 0))));
        assertThat(only(byName).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(byName.responses().get(0).topic()).isEqualTo("nope");
    }

    @Test
    void leaderEpochsAreChecked() throws Exception {
        node.createTopic("t", 1);
        int epoch = node.partition("t", 0).leaderEpoch();
        UUID id = node.topicId("t");
        PartitionData ahead = only(send((short) 17, fetch(0, -1, 0, 1,
                topic(id, partition(0, 0).setCurrentLeaderEpoch(epoch + 1)))));
        assertThat(ahead.errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
        PartitionData same = only(send((short) 17, fetch(0, -1, 0, 1, topic(id, partition(0, 0).setCurrentLeaderEpoch(epoch)))));
        assertThat(same.errorCode()).isZero();
    }

    @Test
    void replicasAreRefusedAsKafkaRefusesAReplicaItDoesNotKnow() throws Exception {
        node.createTopic("t", 1);
        PartitionData old = only(send((short) 12, fetch(0, -1, 0, 1, topic("t", partition(0, 0))).setReplicaId(2)));
        assertThat(old.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        FetchRequestData withEpoch = fetch(0, -1, 0, 1, topic(node.topicId("t"), partition(0, 0).setCurrentLeaderEpoch(
                node.partition("t", 0).leaderEpoch())));
        withEpoch.setReplicaState(new ReplicaState().setReplicaId(2).setReplicaEpoch(1));
        assertThat(only(send((short) 17, withEpoch)).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
    }

    @Test
    void limitsShareMaxBytesButTheFirstBatchAlwaysComes() throws Exception {
        node.createTopic("t", 2);
        for (int p = 0; p < 2; p++) {
            node.appendLarge("t", p, 10_000);
            node.appendLarge("t", p, 10_000);
        }
        UUID id = node.topicId("t");
        // Partition limits of one byte: the first partition still gets its first batch, the second nothing.
        FetchResponseData tiny = send((short) 17, fetch(0, -1, 0, 1, topic(id, partition(0, 0, 1), partition(1, 0, 1))));
        assertThat(partitions(tiny)).extracting(p -> batchCount(p.records())).containsExactly(1, 0);

        // A response limit of one byte: the same.
        FetchRequestData small = fetch(0, -1, 0, 1, topic(id, partition(0, 0), partition(1, 0))).setMaxBytes(1);
        assertThat(partitions(send((short) 17, small))).extracting(p -> batchCount(p.records())).containsExactly(1, 0);

        // Room for three batches in all: two from the first partition, one from the second.
        FetchRequestData three = fetch(0, -1, 0, 1, topic(id, partition(0, 0), partition(1, 0))).setMaxBytes(31_000);
        assertThat(partitions(send((short) 17, three))).extracting(p -> batchCount(p.records())).containsExactly(2, 1);

        // Without limits, everything.
        FetchResponseData all = send((short) 17, fetch(0, -1, 0, 1, topic(id, partition(0, 0), partition(1, 0))));
        assertThat(partitions(all)).extracting(p -> batchCount(p.records())).containsExactly(2, 2);
    }
}
