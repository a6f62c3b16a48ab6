package io.fjord.record;

/** The header fields a test asks of a batch, built the same way by Fjord and by kafka-clients. */
record BatchSpec(CompressionType compression, long baseOffset, int partitionLeaderEpoch, long producerId,
        short producerEpoch, int baseSequence, boolean transactional, Long logAppendTime) {

    static BatchSpec plain(CompressionType compression) {
        return new BatchSpec(compression, 0L, RecordBatch.NO_PARTITION_LEADER_EPOCH, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false, null);
    }

    BatchSpec baseOffset(long offset) {
        return new BatchSpec(compression, offset, partitionLeaderEpoch, producerId, producerEpoch, baseSequence,
                transactional, logAppendTime);
    }

    BatchSpec leaderEpoch(int epoch) {
        return new BatchSpec(compression, baseOffset, epoch, producerId, producerEpoch, baseSequence, transactional,
                logAppendTime);
    }

    BatchSpec producer(long id, short epoch, int sequence, boolean txn) {
        return new BatchSpec(compression, baseOffset, partitionLeaderEpoch, id, epoch, sequence, txn, logAppendTime);
    }

    BatchSpec logAppendTime(long time) {
        return new BatchSpec(compression, baseOffset, partitionLeaderEpoch, producerId, producerEpoch, baseSequence,
                transactional, time);
    }
}
