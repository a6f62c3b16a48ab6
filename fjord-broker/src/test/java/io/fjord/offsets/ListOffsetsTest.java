package io.fjord.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.fetch.FetchNode;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ListOffsetsRequestData;
import io.fjord.protocol.message.ListOffsetsRequestData.ListOffsetsPartition;
import io.fjord.protocol.message.ListOffsetsRequestData.ListOffsetsTopic;
import io.fjord.protocol.message.ListOffsetsResponseData;
import io.fjord.protocol.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import io.fjord.record.CompressionType;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ListOffsets through the Admin client, the consumer, and raw frames for what clients do not send. */
class ListOffsetsTest {
    private static final TopicPartition TP = new TopicPartition("lo", 0);

    @TempDir
    Path dir;
    private FetchNode node;

    @BeforeEach
    void setUp() {
        node = FetchNode.start(dir);
        node.createTopic("lo", 1);
        // Offsets 0-4 at 1000-1004, 5-9 at 2000-2004 (compressed), 10-12 at 1500-1502.
        node.append("lo", 0, CompressionType.NONE, 5, "a", 1000);
        node.append("lo", 0, CompressionType.GZIP, 5, "b", 2000);
        node.append("lo", 0, CompressionType.LZ4, 3, "c", 1500);
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private static ListOffsetsResultInfo list(Admin admin, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(TP, spec)).partitionResult(TP).get(15, TimeUnit.SECONDS);
    }

    @Test
    void adminListsEarliestLatestMaxTimestampAndByTimestamp() throws Exception {
        try (Admin admin = KafkaClients.admin(node.port)) {
            assertThat(list(admin, OffsetSpec.earliest()).offset()).isZero();
            ListOffsetsResultInfo latest = list(admin, OffsetSpec.latest());
            assertThat(latest.offset()).isEqualTo(13);
            assertThat(latest.leaderEpoch()).isEqualTo(Optional.of(0));

            ListOffsetsResultInfo max = list(admin, OffsetSpec.maxTimestamp());
            assertThat(max.offset()).isEqualTo(9);
            assertThat(max.timestamp()).isEqualTo(2004);
            assertThat(max.leaderEpoch()).isEqualTo(Optional.of(0));

            // Inside an uncompressed batch, to the record.
            ListOffsetsResultInfo exact = list(admin, OffsetSpec.forTimestamp(1002));
            assertThat(exact.offset()).isEqualTo(2);
            assertThat(exact.timestamp()).isEqualTo(1002);
            // The first batch reaching the time is the compressed one: its first record at or after it.
            ListOffsetsResultInfo inCompressed = list(admin, OffsetSpec.forTimestamp(2003));
            assertThat(inCompressed.offset()).isEqualTo(8);
            assertThat(inCompressed.timestamp()).isEqualTo(2003);
            // Later batches with earlier times do not count: the log's order is by offset.
            ListOffsetsResultInfo between = list(admin, OffsetSpec.forTimestamp(1501));
            assertThat(between.offset()).isEqualTo(5);
            assertThat(between.timestamp()).isEqualTo(2000);
            ListOffsetsResultInfo none = list(admin, OffsetSpec.forTimestamp(5000));
            assertThat(none.offset()).isEqualTo(-1);
            assertThat(none.timestamp()).isEqualTo(-1);

            // After records are deleted, searches start at the new log start.
            node.partition("lo", 0).log().deleteRecordsBefore(7);
            assertThat(list(admin, OffsetSpec.earliest()).offset()).isEqualTo(7);
            ListOffsetsResultInfo fromStart = list(admin, OffsetSpec.forTimestamp(0));
            assertThat(fromStart.offset()).isEqualTo(7);
            assertThat(fromStart.timestamp()).isEqualTo(2002);
        }
    }

    @Test
    void consumerOffsetsForTimesAndEnds() {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port)) {
            Duration timeout = Duration.ofSeconds(15);
            assertThat(consumer.beginningOffsets(List.of(TP), timeout)).containsEntry(TP, 0L);
            assertThat(consumer.endOffsets(List.of(TP), timeout)).containsEntry(TP, 13L);
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(TP, 1004L), timeout);
            assertThat(found.get(TP).offset()).isEqualTo(4);
            assertThat(found.get(TP).timestamp()).isEqualTo(1004);
            assertThat(found.get(TP).leaderEpoch()).isEqualTo(Optional.of(0));
            Map<TopicPartition, OffsetAndTimestamp> later = consumer.offsetsForTimes(Map.of(TP, 9999L), timeout);
            assertThat(later.get(TP)).isNull();
        }
    }

    private ListOffsetsPartitionResponse raw(short version, long timestamp) throws Exception {
        return raw(version, new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(new ListOffsetsTopic()
                .setName("lo").setPartitions(List.of(new ListOffsetsPartition().setTimestamp(timestamp)))))).get(0);
    }

    private List<ListOffsetsPartitionResponse> raw(short version, ListOffsetsRequestData request) throws Exception {
        try (RawConnection c = new RawConnection(node.port)) {
            ListOffsetsResponseData response = c.roundTrip(ApiKey.LIST_OFFSETS, version, request);
            return response.topics().get(0).partitions();
        }
    }

    @Test
    void specialTimestampsAnswerLikeKafkaWithoutTieredStorage() throws Exception {
        node.partition("lo", 0).log().deleteRecordsBefore(3);
        ListOffsetsPartitionResponse local = raw((short) 8, -4);
        assertThat(local.offset()).isEqualTo(3);
        assertThat(local.leaderEpoch()).isZero();
        for (long tiered : new long[] {-5, -6}) {
            ListOffsetsPartitionResponse r = raw((short) 11, tiered);
            assertThat(r.errorCode()).isZero();
            assertThat(r.offset()).isEqualTo(-1);
            assertThat(r.timestamp()).isEqualTo(-1);
            assertThat(r.leaderEpoch()).isEqualTo(-1);
        }
        // Each special timestamp needs the version that introduced it; other negatives never pass.
        assertThat(raw((short) 6, -3).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(raw((short) 7, -4).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(raw((short) 8, -5).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(raw((short) 10, -6).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(raw((short) 11, -7).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        // v1: no leader epoch field, offsets all the same.
        assertThat(raw((short) 1, -1).offset()).isEqualTo(13);
    }

    @Test
    void badPartitionsAreRefusedOneByOne() throws Exception {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsTopic().setName("lo").setPartitions(List.of(
                        new ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1),
                        new ListOffsetsPartition().setPartitionIndex(4).setTimestamp(-1))),
                new ListOffsetsTopic().setName("nope").setPartitions(List.of(
                        new ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-2)))));
        try (RawConnection c = new RawConnection(node.port)) {
            ListOffsetsResponseData response = c.roundTrip(ApiKey.LIST_OFFSETS, (short) 9, request);
            assertThat(response.topics().get(0).partitions()).extracting(ListOffsetsPartitionResponse::errorCode)
                    .containsExactly((short) 0, Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(response.topics().get(1).partitions().get(0).errorCode())
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        ListOffsetsRequestData twice = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsTopic().setName("lo").setPartitions(List.of(
                        new ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1),
                        new ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-2)))));
        assertThat(raw((short) 9, twice)).singleElement()
                .satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));
        ListOffsetsRequestData ahead = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsTopic().setName("lo").setPartitions(List.of(
                        new ListOffsetsPartition().setTimestamp(-1).setCurrentLeaderEpoch(9)))));
        assertThat(raw((short) 9, ahead).get(0).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
    }
}
