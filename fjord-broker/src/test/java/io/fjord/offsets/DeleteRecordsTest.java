package io.fjord.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fjord.fetch.FetchNode;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.DeleteRecordsRequestData;
import io.fjord.protocol.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import io.fjord.protocol.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import io.fjord.protocol.message.DeleteRecordsResponseData;
import io.fjord.protocol.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeleteRecords moves the log start offset: earliest offsets and consumers from the beginning follow it. */
class DeleteRecordsTest {
    private static final TopicPartition TP = new TopicPartition("dr", 0);

    @TempDir
    Path dir;

    private static long lowWatermark(Admin admin, long beforeOffset) throws Exception {
        return admin.deleteRecords(Map.of(TP, RecordsToDelete.beforeOffset(beforeOffset))).lowWatermarks().get(TP)
                .get(15, TimeUnit.SECONDS).lowWatermark();
    }

    @Test
    void adminDeleteRecordsMovesTheEarliestOffset() throws Exception {
        try (FetchNode node = FetchNode.start(dir); Admin admin = KafkaClients.admin(node.port)) {
            node.createTopic("dr", 1);
            for (int i = 0; i < 4; i++) {
                node.append("dr", 0, 5, "b" + i);
            }
            assertThat(lowWatermark(admin, 7)).isEqualTo(7);
            assertThat(admin.listOffsets(Map.of(TP, OffsetSpec.earliest())).partitionResult(TP).get().offset()).isEqualTo(7);
            // Not backwards.
            assertThat(lowWatermark(admin, 3)).isEqualTo(7);

            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port)) {
                List<ConsumerRecord<byte[], byte[]>> records = KafkaClients.readFromBeginning(consumer, List.of(TP), 13,
                        Duration.ofSeconds(15));
                assertThat(records).hasSize(13);
                assertThat(records.get(0).offset()).isEqualTo(7);
                assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("b1-2");
            }

            // Past the high watermark: refused, nothing moves.
            assertThatThrownBy(() -> lowWatermark(admin, 21))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(OffsetOutOfRangeException.class);
            // -1 means the high watermark: everything goes.
            assertThat(lowWatermark(admin, -1)).isEqualTo(20);
            assertThat(admin.listOffsets(Map.of(TP, OffsetSpec.earliest())).partitionResult(TP).get().offset()).isEqualTo(20);
            assertThat(admin.listOffsets(Map.of(TP, OffsetSpec.latest())).partitionResult(TP).get().offset()).isEqualTo(20);
        }
    }

    @Test
    void unknownAndInternalTopicsAreRefused() throws Exception {
        try (FetchNode node = FetchNode.start(dir); RawConnection c = new RawConnection(node.port)) {
            DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(1000).setTopics(List.of(
                    new DeleteRecordsTopic().setName("missing").setPartitions(List.of(
                            new DeleteRecordsPartition().setPartitionIndex(0).setOffset(1))),
                    new DeleteRecordsTopic().setName("__consumer_offsets").setPartitions(List.of(
                            new DeleteRecordsPartition().setPartitionIndex(0).setOffset(1)))));
            DeleteRecordsResponseData response = c.roundTrip(ApiKey.DELETE_RECORDS, (short) 2, request);
            assertThat(response.topics()).extracting(t -> t.partitions().get(0)).extracting(
                    DeleteRecordsPartitionResult::errorCode, DeleteRecordsPartitionResult::lowWatermark).containsExactly(
                            tuple(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), -1L),
                            tuple(Errors.INVALID_TOPIC_EXCEPTION.code(), -1L));
        }
    }
}
