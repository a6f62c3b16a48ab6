package io.fjord.testing;

import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Produce and Fetch requests built with our own codec, for what the Java client will not send
 * (corrupt or oversized batches) or does not show (the batches exactly as the broker stores them).
 */
public final class RawRequests {
    /** A version every Kafka 4 client still uses: names topics (v13 uses ids), flexible (v9+). */
    public static final short PRODUCE_VERSION = 9;
    /** Names topics (v13+ use ids), flexible (v12+). */
    public static final short FETCH_VERSION = 12;

    private RawRequests() {
    }

    /** One partition's batches, as a Produce request carries them (may hold several batches back to back). */
    public record PartitionBatches(int partition, ByteBuffer records) {
    }

    /** A Produce request with acks=-1 for {@code topic}, one entry per partition. */
    public static ProduceRequestData produceRequest(String topic, List<PartitionBatches> partitions) {
        List<ProduceRequestData.PartitionProduceData> data = new ArrayList<>();
        for (PartitionBatches p : partitions) {
            data.add(new ProduceRequestData.PartitionProduceData().setIndex(p.partition())
                    .setRecords(new MemoryRecords(p.records().duplicate())));
        }
        List<ProduceRequestData.TopicProduceData> topics = new ArrayList<>();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(data));
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics);
    }

    /** Sends one Produce request and returns the answer for each partition, in the order the broker wrote them. */
    public static List<ProduceResponseData.PartitionProduceResponse> produce(RawConnection connection, String topic,
            List<PartitionBatches> partitions) throws IOException {
        ProduceResponseData response = connection.roundTrip(ApiKey.PRODUCE, PRODUCE_VERSION,
                produceRequest(topic, partitions));
        if (response.responses().size() != 1 || !response.responses().get(0).name().equals(topic)) {
            throw new AssertionError("expected an answer for exactly topic " + topic + ": " + response);
        }
        return response.responses().get(0).partitionResponses();
    }

    public static ProduceResponseData.PartitionProduceResponse produce(RawConnection connection, String topic,
            int partition, ByteBuffer batch) throws IOException {
        List<ProduceResponseData.PartitionProduceResponse> answers = produce(connection, topic,
                List.of(new PartitionBatches(partition, batch)));
        if (answers.size() != 1 || answers.get(0).index() != partition) {
            throw new AssertionError("expected an answer for exactly partition " + partition + ": " + answers);
        }
        return answers.get(0);
    }

    /** One partition of a Fetch answer: its error, offsets and the batches exactly as sent. */
    public record Fetched(short errorCode, long highWatermark, long logStartOffset, List<RecordBatch> batches) {
    }

    /** Fetches {@code topic}-{@code partition} from {@code offset}, up to {@code maxBytes}, without waiting. */
    public static Fetched fetch(RawConnection connection, String topic, int partition, long offset, int maxBytes)
            throws IOException {
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setMaxBytes(maxBytes)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(new ArrayList<>(List.of(new FetchRequestData.FetchTopic().setTopic(topic)
                        .setPartitions(new ArrayList<>(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(partition).setFetchOffset(offset).setLogStartOffset(-1)
                                .setPartitionMaxBytes(maxBytes)))))));
        FetchResponseData response = connection.roundTrip(ApiKey.FETCH, FETCH_VERSION, request);
        if (response.errorCode() != 0) {
            throw new AssertionError("fetch failed as a whole: " + response);
        }
        if (response.responses().size() != 1 || response.responses().get(0).partitions().size() != 1) {
            throw new AssertionError("expected exactly one partition in " + response);
        }
        FetchResponseData.PartitionData data = response.responses().get(0).partitions().get(0);
        List<RecordBatch> batches = new ArrayList<>();
        if (data.records() instanceof MemoryRecords records) {
            ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes()).put(records.buffer()).flip();
            RecordBatches.of(copy).forEach(batches::add);
        } else if (data.records() != null) {
            throw new AssertionError("unexpected records type " + data.records().getClass());
        }
        return new Fetched(data.errorCode(), data.highWatermark(), data.logStartOffset(), batches);
    }
}
