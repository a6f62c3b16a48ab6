package io.fjord.fetch;

import io.fjord.protocol.BaseRecords;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchRequestData.FetchPartition;
import io.fjord.protocol.message.FetchRequestData.FetchTopic;
import io.fjord.protocol.message.FetchRequestData.ForgottenTopic;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.record.Record;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordBatches;
import io.fjord.record.RecordIterator;
import io.fjord.record.RecordReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Fetch requests as a test writes them, and what their answers hold. */
final class FetchRequests {
    private FetchRequests() {
    }

    static FetchRequestData fetch(int sessionId, int epoch, int maxWaitMs, int minBytes, FetchTopic... topics) {
        return new FetchRequestData().setReplicaId(-1).setSessionId(sessionId).setSessionEpoch(epoch)
                .setMaxWaitMs(maxWaitMs).setMinBytes(minBytes).setMaxBytes(Integer.MAX_VALUE)
                .setTopics(new ArrayList<>(List.of(topics)));
    }

    static FetchTopic topic(UUID id, FetchPartition... partitions) {
        return new FetchTopic().setTopicId(id).setPartitions(new ArrayList<>(List.of(partitions)));
    }

    static FetchTopic topic(String name, FetchPartition... partitions) {
        return new FetchTopic().setTopic(name).setPartitions(new ArrayList<>(List.of(partitions)));
    }

    static FetchPartition partition(int p, long offset) {
        return partition(p, offset, 1 << 20);
    }

    static FetchPartition partition(int p, long offset, int maxBytes) {
        return new FetchPartition().setPartition(p).setFetchOffset(offset).setPartitionMaxBytes(maxBytes);
    }

    static ForgottenTopic forget(UUID id, int... partitions) {
        List<Integer> list = new ArrayList<>();
        for (int p : partitions) {
            list.add(p);
        }
        return new ForgottenTopic().setTopicId(id).setPartitions(list);
    }

    /** Every partition of the answer, in order. */
    static List<PartitionData> partitions(FetchResponseData response) {
        List<PartitionData> all = new ArrayList<>();
        response.responses().forEach(t -> all.addAll(t.partitions()));
        return all;
    }

    static PartitionData only(FetchResponseData response) {
        List<PartitionData> all = partitions(response);
        if (all.size() != 1) {
            throw new AssertionError("expected one partition in " + response);
        }
        return all.get(0);
    }

    static int batchCount(BaseRecords records) {
        if (records == null) {
            return 0;
        }
        int n = 0;
        RecordBatches batches = RecordBatches.over(((MemoryRecords) records).buffer());
        while (batches.hasNext()) {
            batches.next();
            n++;
        }
        return n;
    }

    static List<String> values(BaseRecords records) {
        List<String> values = new ArrayList<>();
        if (records == null) {
            return values;
        }
        RecordReader reader = new RecordReader();
        RecordBatches batches = RecordBatches.over(((MemoryRecords) records).buffer());
        while (batches.hasNext()) {
            RecordBatch batch = batches.next();
            RecordIterator it = reader.records(batch);
            while (it.hasNext()) {
                Record record = it.next();
                byte[] value = new byte[record.valueSize()];
                record.value().get(value);
                values.add(new String(value, StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
