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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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
 * The generated codec on the produce path, the W2 shape: reading a Produce request (v11, one topic,
 * {@code partitions} partitions of one 16 KiB batch each) from a direct buffer, as the broker reads a
 * frame, and writing the matching response into a pooled buffer. The records are views of the frame,
 * never copied, so the cost is per request and per partition, not per byte.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ProduceCodecBenchmark {
    private static final short VERSION = 11;

    @Param({"1", "8"})
    public int partitions;

    private ByteBuf frame;
    private ProduceResponseData response;

    @Setup
    public void setUp() {
        ByteBuffer batch = BenchBatches.ofSize(16 * 1024, 42);
        List<PartitionProduceData> data = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            data.add(new PartitionProduceData().setIndex(p).setRecords(new MemoryRecords(batch.duplicate())));
        }
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTopicData(new ArrayList<>(List.of(new TopicProduceData().setName("bench").setPartitionData(data))));
        frame = PooledByteBufAllocator.DEFAULT.directBuffer(request.size(VERSION));
        request.write(new ByteBufAccessor(frame), VERSION);

        List<PartitionProduceResponse> answers = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            answers.add(new PartitionProduceResponse().setIndex(p).setBaseOffset(1_000_000L * p).setLogStartOffset(0));
        }
        response = new ProduceResponseData().setResponses(
                new ArrayList<>(List.of(new TopicProduceResponse().setName("bench").setPartitionResponses(answers))));
    }

    @TearDown
    public void tearDown() {
        frame.release();
    }

    @Benchmark
    public ProduceRequestData readRequest() {
        ProduceRequestData request = new ProduceRequestData();
        request.read(new ByteBufAccessor(frame.duplicate()), VERSION);
        return request;
    }

    @Benchmark
    public int writeResponse() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(response.size(VERSION));
        try {
            response.write(new ByteBufAccessor(out), VERSION);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
