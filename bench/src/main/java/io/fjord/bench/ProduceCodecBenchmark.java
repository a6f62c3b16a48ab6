package io.fjord.bench;

import io.fjord.protocol.ByteBufAccessor;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceRequestData.PartitionProduceData;
import io.fjord.protocol.message.ProduceRequestData.TopicProduceData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.message.ProduceResponseData.PartitionProduceResponse;
import io.fjord.protocol.message.ProduceResponseData.TopicProduceResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The generated codec on the produce path: reading a ProduceRequest body out of a direct frame (what the
 * network does for every request, records left as slices of the frame) and writing the ProduceResponse.
 * Time per request; the batch bytes are never copied, so the cost should not grow with {@code batchBytes}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ProduceCodecBenchmark {
    /** 11 is the newest version that names topics; 13 (Kafka 4.x clients) identifies them by id. */
    @Param({"11", "13"})
    public short version;

    @Param({"1", "8"})
    public int partitions;

    @Param({"1024", "16384"})
    public int batchBytes;

    private ByteBuf requestFrame;
    private ProduceResponseData response;

    @Setup
    public void setUp() {
        List<PartitionProduceData> data = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            data.add(new PartitionProduceData().setIndex(p)
                    .setRecords(new MemoryRecords(BenchBatches.ofSize(batchBytes, p))));
        }
        TopicProduceData topic = new TopicProduceData().setPartitionData(data);
        if (version >= 13) {
            topic.setTopicId(new UUID(0x1234_5678_9abc_def0L, 0x0fed_cba9_8765_4321L));
        } else {
            topic.setName("bench-topic");
        }
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTopicData(List.of(topic));
        requestFrame = Unpooled.directBuffer(request.size(version));
        request.write(new ByteBufAccessor(requestFrame), version);

        List<PartitionProduceResponse> answers = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            answers.add(new PartitionProduceResponse().setIndex(p).setBaseOffset(1_000_000L * p)
                    .setLogAppendTimeMs(-1).setLogStartOffset(0));
        }
        TopicProduceResponse answer = new TopicProduceResponse().setPartitionResponses(answers);
        if (version >= 13) {
            answer.setTopicId(topic.topicId());
        } else {
            answer.setName(topic.name());
        }
        response = new ProduceResponseData().setResponses(List.of(answer));
    }

    @TearDown
    public void tearDown() {
        requestFrame.release();
    }

    @Benchmark
    public ProduceRequestData readRequest() {
        // A duplicate shares the bytes and gives the read its own index, as a fresh frame would.
        return new ProduceRequestData(new ByteBufAccessor(requestFrame.duplicate()), version);
    }

    @Benchmark
    public int writeResponse() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(response.size(version));
        try {
            response.write(new ByteBufAccessor(out), version);
            return out.writerIndex();
        } finally {
            out.release();
        }
    }
}
