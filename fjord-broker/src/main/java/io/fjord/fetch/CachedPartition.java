package io.fjord.fetch;

import io.fjord.protocol.message.FetchResponseData.PartitionData;

/**
 * A partition in an incremental fetch session (KIP-227): the last request made for it, and what
 * the client was last told, so that answers can leave out partitions with nothing new.
 * Guarded by its session's lock.
 */
final class CachedPartition {
    private PartitionRequest request;
    /** The high watermark last sent; -1 when never sent or when the last answer was an error. */
    private long highWatermark;
    private long logStartOffset;

    /** A partition the client just added: nothing sent yet, so its first answer always goes out. */
    CachedPartition(PartitionRequest request) {
        this(request, -1, -1);
    }

    CachedPartition(PartitionRequest request, long highWatermark, long logStartOffset) {
        this.request = request;
        this.highWatermark = highWatermark;
        this.logStartOffset = logStartOffset;
    }

    PartitionRequest request() {
        return request;
    }

    void update(PartitionRequest newRequest) {
        this.request = newRequest;
    }

    /**
     * Whether {@code response} must be sent: it has records, an error, or a high watermark or log
     * start offset the client has not seen. With {@code remember}, records what is being sent.
     */
    boolean mustRespond(PartitionData response, boolean remember) {
        boolean must = response.records() != null && response.records().sizeInBytes() > 0;
        if (highWatermark != response.highWatermark()) {
            must = true;
            if (remember) {
                highWatermark = response.highWatermark();
            }
        }
        if (logStartOffset != response.logStartOffset()) {
            must = true;
            if (remember) {
                logStartOffset = response.logStartOffset();
            }
        }
        if (response.preferredReadReplica() != -1 || response.divergingEpoch().epoch() >= 0) {
            must = true;
        }
        if (response.errorCode() != 0) {
            must = true;
            // Forget the watermark, so the answer after the error clears goes out too.
            if (remember) {
                highWatermark = -1;
            }
        }
        return must;
    }
}
