package io.fjord.produce;

import static io.fjord.produce.TestLogs.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.RequestContext;
import io.fjord.log.Log;
import io.fjord.log.LogConfig;
import io.fjord.log.LogStorageException;
import io.fjord.metadata.TopicCreator;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionConfig;
import io.fjord.partition.PartitionLookup;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceRequestData.PartitionProduceData;
import io.fjord.protocol.message.ProduceRequestData.TopicProduceData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import io.fjord.record.CompressionType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The produce answer under {@code fjord.flush.group.commit} when fsyncs are slow or fail, with the fsync's
 * outcome injected: the answer waits for every partition, and one whose fsync failed gets KAFKA_STORAGE_ERROR.
 */
class DurableResponseTest {
    private static final short V9 = 9;
    private static final UUID TOPIC_ID = UUID.nameUUIDFromBytes(new byte[] {7});

    @TempDir
    Path dir;
    private final List<Partition> partitions = new ArrayList<>();
    /** What the injected flusher answers for each partition index; asked offsets are recorded. */
    private final Map<Integer, CompletableFuture<Long>> outcomes = new HashMap<>();
    private final Map<Integer, Long> asked = new HashMap<>();
    private ProduceHandler handler;

    @BeforeEach
    void setUp() {
        // Partitions 0 and 1 have group commit, 2 does not.
        for (int i = 0; i < 3; i++) {
            LogConfig log = LogConfig.defaults().with(LogConfig.GROUP_COMMIT_CONFIG, i < 2);
            PartitionConfig config = new PartitionConfig(log, null, PartitionConfig.DEFAULT_MAX_MESSAGE_BYTES,
                    io.fjord.record.TimestampType.CREATE_TIME, 1);
            partitions.add(new Partition(new TopicPartition("t", i), TOPIC_ID, Log.open(dir.resolve("t-" + i), log),
                    config, 0));
            outcomes.put(i, new CompletableFuture<>());
        }
        PartitionLookup lookup = new PartitionLookup() {
            @Override
            public Partition partition(String topic, int partition) {
                return topic.equals("t") && partition < partitions.size() ? partitions.get(partition) : null;
            }

            @Override
            public Partition partition(UUID topicId, int partition) {
                return null;
            }
        };
        DurableResponse.Flushes flushes = (partition, offset) -> {
            int index = partition.topicPartition().partition();
            asked.put(index, offset);
            return outcomes.get(index);
        };
        handler = new ProduceHandler(lookup, TopicCreator.DISABLED, TimestampLimits.KAFKA_DEFAULTS,
                System::currentTimeMillis, flushes);
    }

    @AfterEach
    void close() {
        partitions.forEach(Partition::close);
    }

    private CompletableFuture<ApiMessage> produce(short acks, int... indexes) {
        List<PartitionProduceData> data = new ArrayList<>();
        for (int index : indexes) {
            data.add(new PartitionProduceData().setIndex(index).setRecords(new MemoryRecords(batch(CompressionType.NONE, 3))));
        }
        ProduceRequestData request = new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000).setTopicData(
                new ArrayList<>(List.of(new TopicProduceData().setName("t").setPartitionData(data))));
        RequestContext context = new RequestContext(ApiKey.PRODUCE, V9, (short) 2, 17, "test", "PLAINTEXT", null);
        return handler.handle(context, request);
    }

    private static List<PartitionProduceResponse> entries(CompletableFuture<ApiMessage> answer) {
        return ((ProduceResponseData) answer.join()).responses().get(0).partitionResponses();
    }

    @Test
    void aFailedFsyncAnswersKafkaStorageErrorForThatPartitionOnceAllAreSettled() {
        CompletableFuture<ApiMessage> answer = produce((short) -1, 0, 1);
        // Appended at once, answered only once both partitions' fsyncs are over.
        assertThat(partitions.get(0).logEndOffset()).isEqualTo(3);
        assertThat(partitions.get(1).logEndOffset()).isEqualTo(3);
        assertThat(asked).containsEntry(0, 2L).containsEntry(1, 2L);
        assertThat(answer).isNotDone();

        outcomes.get(0).completeExceptionally(new LogStorageException("t-0: flush failed",
                new IOException("Input/output error")));
        assertThat(answer).isNotDone();
        outcomes.get(1).complete(3L);
        assertThat(answer).isDone();

        List<PartitionProduceResponse> entries = entries(answer);
        assertThat(entries.get(0).index()).isZero();
        assertThat(entries.get(0).errorCode()).isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());
        assertThat(entries.get(0).baseOffset()).isEqualTo(-1);
        assertThat(entries.get(0).errorMessage()).contains("flush failed");
        assertThat(entries.get(1).index()).isEqualTo(1);
        assertThat(entries.get(1).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(entries.get(1).baseOffset()).isZero();
    }

    @Test
    void anFsyncThatFailedBeforeTheRequestStillAnswersInsteadOfHanging() {
        outcomes.get(0).completeExceptionally(new LogStorageException("t-0: flush failed", new IOException("EIO")));
        CompletableFuture<ApiMessage> answer = produce((short) 1, 0);
        assertThat(answer).isDone();
        assertThat(entries(answer)).singleElement()
                .satisfies(e -> assertThat(e.errorCode()).isEqualTo(Errors.KAFKA_STORAGE_ERROR.code()));
    }

    @Test
    void alreadyDurableOffsetsAreAnsweredAtOnce() {
        outcomes.put(0, CompletableFuture.completedFuture(3L));
        CompletableFuture<ApiMessage> answer = produce((short) -1, 0);
        assertThat(answer).isDone();
        assertThat(entries(answer)).singleElement().satisfies(e -> assertThat(e.errorCode()).isZero());
    }

    @Test
    void aPartitionWithoutGroupCommitDoesNotWait() {
        CompletableFuture<ApiMessage> answer = produce((short) -1, 2);
        assertThat(answer).isDone();
        assertThat(entries(answer)).singleElement().satisfies(e -> assertThat(e.baseOffset()).isZero());
        assertThat(asked).isEmpty();
    }

    @Test
    void acksZeroDoesNotWait() {
        CompletableFuture<ApiMessage> answer = produce((short) 0, 0, 1);
        assertThat(answer).isCompletedWithValue(null);
        assertThat(asked).isEmpty();
        assertThat(partitions.get(0).logEndOffset()).isEqualTo(3);
    }

    @Test
    void aRefusedBatchDoesNotWait() {
        CompletableFuture<ApiMessage> answer = produce((short) -1, 5);
        assertThat(answer).isDone();
        assertThat(entries(answer)).singleElement()
                .satisfies(e -> assertThat(e.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        assertThat(asked).isEmpty();
    }
}
