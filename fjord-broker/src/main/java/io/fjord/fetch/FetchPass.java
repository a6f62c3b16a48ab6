package io.fjord.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One pass over a fetch's partitions, in order, sharing the response's max_bytes between them as
 * Kafka does: each partition gets at most its partition_max_bytes and at most what is left, and
 * until some partition returned data the first batch comes back even when larger than both, so a
 * consumer never stalls on a batch bigger than its limits (KIP-74).
 */
record FetchPass(List<PartitionResult> results, long bytes, boolean readError, boolean anyReadable) {

    static FetchPass run(PartitionReader reader, List<Map.Entry<FetchKey, PartitionRequest>> partitions,
            FetchParams params) {
        List<PartitionResult> results = new ArrayList<>(partitions.size());
        int left = params.maxBytes();
        boolean minOneBatch = true;
        long bytes = 0;
        boolean readError = false;
        boolean anyReadable = false;
        for (Map.Entry<FetchKey, PartitionRequest> e : partitions) {
            PartitionRequest request = e.getValue();
            PartitionResult result = reader.read(e.getKey(), request, params, Math.min(request.maxBytes(), left),
                    minOneBatch);
            int size = result.recordsBytes();
            if (size > 0) {
                minOneBatch = false;
            }
            left = Math.max(0, left - size);
            bytes += size;
            readError |= result.readError();
            anyReadable |= result.partition() != null;
            results.add(result);
        }
        return new FetchPass(results, bytes, readError, anyReadable);
    }

    /**
     * Whether to answer now rather than wait: enough bytes, an error worth telling at once, or
     * nothing that could ever get data (Kafka's conditions, without the tiered-storage ones).
     */
    boolean satisfies(FetchParams params) {
        return bytes >= params.minBytes() || readError || !anyReadable;
    }

    void release() {
        results.forEach(FetchContext::release);
    }
}
