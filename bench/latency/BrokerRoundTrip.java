import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * The broker's own share of a serial round trip, without a client library's threads in the way: one
 * blocking socket sends one request and reads its answer, again and again. Each iteration makes an
 * ApiVersions request (the floor: kernel, loopback and the broker's request path), a Produce of one
 * 1 KiB record with acks=1, and a Fetch of that record with max_wait 0 (as EndToEndLatency's consumer
 * sets it). The first fifth of the iterations is warm-up and not counted. Prints avg/p50/p99 in µs.
 *
 * <pre>
 * java -cp $(cat kafka-reference/target/kafka-tools.classpath) bench/latency/BrokerRoundTrip.java \
 *     127.0.0.1:PORT TOPIC ITERATIONS
 * </pre>
 * TOPIC must exist (partition 0 is used). The p50 is the figure to compare: on a busy machine the
 * averages and tails are mostly other processes' doing.
 */
public final class BrokerRoundTrip {
    private final SocketChannel channel;
    private int correlationId;

    private BrokerRoundTrip(SocketChannel channel) {
        this.channel = channel;
    }

    public static void main(String[] args) throws Exception {
        String[] hostPort = args[0].split(":");
        String topic = args[1];
        int iterations = Integer.parseInt(args[2]);
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))) {
            channel.socket().setTcpNoDelay(true);
            new BrokerRoundTrip(channel).run(topic, iterations);
        }
    }

    private void run(String topic, int iterations) throws Exception {
        MetadataResponse metadata = (MetadataResponse) roundTrip(new MetadataRequest.Builder(List.of(topic), false), (short) 12);
        Uuid topicId = metadata.data().topics().iterator().next().topicId();
        byte[] value = new byte[1024];
        long[] apiVersions = new long[iterations];
        long[] produce = new long[iterations];
        long[] fetch = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            roundTrip(new ApiVersionsRequest.Builder(), (short) 3);
            long t1 = System.nanoTime();
            ProduceResponse produced = (ProduceResponse) roundTrip(produceRequest(topic, topicId, value), (short) 11);
            long t2 = System.nanoTime();
            long offset = produced.data().responses().iterator().next().partitionResponses().get(0).baseOffset();
            Map<TopicPartition, FetchRequest.PartitionData> partitions = new LinkedHashMap<>();
            partitions.put(new TopicPartition(topic, 0),
                    new FetchRequest.PartitionData(topicId, offset, -1, 1 << 20, Optional.empty()));
            roundTrip(FetchRequest.Builder.forConsumer((short) 16, 0, 1, partitions), (short) 16);
            long t3 = System.nanoTime();
            apiVersions[i] = t1 - t0;
            produce[i] = t2 - t1;
            fetch[i] = t3 - t2;
        }
        report("apiversions", apiVersions);
        report("produce_acks1_1KiB", produce);
        report("fetch_1KiB_maxwait0", fetch);
    }

    private static ProduceRequest.Builder produceRequest(String topic, Uuid topicId, byte[] value) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setTopicId(topicId).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value))))));
        return new ProduceRequest.Builder((short) 9, (short) 11,
                new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000).setTopicData(topics));
    }

    private static void report(String name, long[] nanos) {
        long[] counted = Arrays.copyOfRange(nanos, nanos.length / 5, nanos.length);
        Arrays.sort(counted);
        System.out.printf("%s avg_us=%.1f p50_us=%.1f p99_us=%.1f%n", name, Arrays.stream(counted).average().orElse(0) / 1e3,
                counted[counted.length / 2] / 1e3, counted[(int) (counted.length * 0.99)] / 1e3);
    }

    private AbstractResponse roundTrip(AbstractRequest.Builder<?> builder, short version) throws Exception {
        AbstractRequest request = builder.build(version);
        RequestHeader header = new RequestHeader(request.apiKey(), version, "broker-round-trip", ++correlationId);
        ByteBuffer body = request.serializeWithHeader(header);
        channel.write(new ByteBuffer[] {ByteBuffer.allocate(4).putInt(0, body.remaining()), body});
        ByteBuffer size = ByteBuffer.allocate(4);
        readFully(size);
        ByteBuffer response = ByteBuffer.allocate(size.getInt(0));
        readFully(response);
        response.flip();
        return AbstractResponse.parseResponse(response, header);
    }

    private void readFully(ByteBuffer buffer) throws Exception {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IllegalStateException("the broker closed the connection");
            }
        }
    }
}
