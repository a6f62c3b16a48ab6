package io.fjord.produce;

import static io.fjord.produce.TestLogs.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.InitProducerIdRequestData;
import io.fjord.protocol.message.InitProducerIdResponseData;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceRequestData.PartitionProduceData;
import io.fjord.protocol.message.ProduceRequestData.TopicProduceData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import io.fjord.record.CompressionType;
import io.fjord.server.FjordNode;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.RawConnection;
import io.fjord.testing.TestNodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A retry that reaches a restarted node is still recognised, and producer ids are not handed out twice. */
class DedupAcrossRestartTest {
    @TempDir
    Path dataDir;

    private static PartitionProduceResponse produce(int port, ByteBuffer batch) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000)
                    .setTopicData(new ArrayList<>(List.of(new TopicProduceData().setName("restart")
                            .setPartitionData(new ArrayList<>(List.of(new PartitionProduceData().setIndex(0)
                                    .setRecords(new MemoryRecords(batch.duplicate()))))))));
            ProduceResponseData response = connection.roundTrip(ApiKey.PRODUCE, (short) 11, request);
            return response.responses().get(0).partitionResponses().get(0);
        }
    }

    private static long producerId(int port) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            InitProducerIdResponseData response = connection.roundTrip(ApiKey.INIT_PRODUCER_ID, (short) 5,
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(-1));
            assertThat(response.errorCode()).isZero();
            assertThat(response.producerEpoch()).isZero();
            return response.producerId();
        }
    }

    @Test
    void aRetryAfterARestartGetsTheOriginalOffset() throws Exception {
        long pid;
        long firstOffset;
        try (FjordNode node = TestNodes.start(dataDir)) {
            int port = TestNodes.port(node);
            KafkaClients.createTopics(port, KafkaClients.topic("restart", 1, Map.of()));
            pid = producerId(port);
            assertThat(producerId(port)).isEqualTo(pid + 1);
            produce(port, batch(CompressionType.SNAPPY, 4, pid, (short) 0, 0));
            firstOffset = produce(port, batch(CompressionType.SNAPPY, 4, pid, (short) 0, 4)).baseOffset();
            assertThat(firstOffset).isEqualTo(4);
        }
        try (FjordNode node = TestNodes.start(dataDir)) {
            int port = TestNodes.port(node);
            PartitionProduceResponse retry = produce(port, batch(CompressionType.SNAPPY, 4, pid, (short) 0, 4));
            assertThat(retry.errorCode()).isZero();
            assertThat(retry.baseOffset()).isEqualTo(firstOffset);
            assertThat(node.partitions().partition("restart", 0).logEndOffset()).isEqualTo(8);
            assertThat(produce(port, batch(CompressionType.SNAPPY, 1, pid, (short) 0, 9)).errorCode())
                    .as("a gap is still a gap").isEqualTo(io.fjord.protocol.Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
            assertThat(produce(port, batch(CompressionType.SNAPPY, 1, pid, (short) 0, 8)).baseOffset()).isEqualTo(8);
            // Ids of the block the first run had reserved are never handed out again.
            assertThat(producerId(port)).isGreaterThan(pid + 1);
        }
    }
}
