package io.fjord.fetch;

import io.fjord.partition.Partition;
import io.fjord.protocol.message.FetchResponseData.PartitionData;

/**
 * One partition's answer, kept with what produced it.
 *
 * @param partition   the partition read, or null when it could not be found
 * @param readError   an error found while reading (offset out of range, epoch fenced...), which
 *     answers the whole fetch at once; errors found before reading (unknown topic) do not, as in Kafka
 * @param readBound   where a replica's read stopped (the log end offset), -1 for consumer reads, whose bound is
 *     the high watermark or last stable offset their answer reports
 */
record PartitionResult(FetchKey key, Partition partition, PartitionData data, boolean readError, long readBound) {

    /** A result whose read stopped at the bound its answer reports (the high watermark or last stable offset). */
    PartitionResult(FetchKey key, Partition partition, PartitionData data, boolean readError) {
        this(key, partition, data, readError, -1);
    }

    int recordsBytes() {
        return data.records() == null ? 0 : data.records().sizeInBytes();
    }
}
