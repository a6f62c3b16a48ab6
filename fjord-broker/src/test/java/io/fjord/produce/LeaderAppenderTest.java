package io.fjord.produce;

import static io.fjord.produce.TestLogs.TIMESTAMP;
import static io.fjord.produce.TestLogs.batch;
import static io.fjord.produce.TestLogs.batches;
import static io.fjord.produce.TestLogs.config;
import static io.fjord.produce.TestLogs.partition;
import static io.fjord.produce.TestLogs.records;
import static io.fjord.produce.TestLogs.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.partition.Partition;
import io.fjord.partition.PartitionConfig;
import io.fjord.protocol.Errors;
import io.fjord.record.CompressionType;
import io.fjord.record.Record;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.record.TimestampType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Validation, preparation and the append of client batches, on a partition over a real log. */
class LeaderAppenderTest {
    private static final long NOW = TIMESTAMP + 60_000;
    private static final short V13 = 13;
    private static final long PID = 4242;

    @TempDir
    Path dir;
    private final LeaderAppender appender = new LeaderAppender(TimestampLimits.KAFKA_DEFAULTS);
    private Partition partition;

    @AfterEach
    void close() {
        if (partition != null) {
            partition.close();
        }
    }

    private AppendResult append(ByteBuffer batch) {
        return appender.append(partition, batch, (short) -1, V13, NOW);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void storesTheProducersBytesWithOnlyTheBrokersFieldsRewritten(CompressionType codec) {
        partition = partition(dir);
        ByteBuffer first = batch(codec, 3);
        ByteBuffer second = batch(codec, 2);
        assertThat(append(first)).isEqualTo(AppendResult.appended(0, 2, -1, 0));
        assertThat(append(second)).isEqualTo(AppendResult.appended(3, 4, -1, 0));

        List<RecordBatch> stored = batches(partition);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(1).baseOffset()).isEqualTo(3);
        assertThat(stored.get(1).isValid()).isTrue();
        // Past the baseOffset and the partition leader epoch (which the CRC does not cover) the bytes are the producer's.
        ByteBuffer storedSecond = stored.get(1).buffer().duplicate().position(stored.get(1).position()).limit(
                stored.get(1).position() + stored.get(1).sizeInBytes()).slice();
        assertThat(storedSecond.slice(16, storedSecond.limit() - 16)).isEqualTo(second.slice(16, second.limit() - 16));
        assertThat(second.getLong(0)).as("the request's bytes are untouched").isZero();
        assertThat(partition.logEndOffset()).isEqualTo(5);
        assertThat(partition.highWatermark()).isEqualTo(5);
    }

    @Test
    void aWrongCrcIsCorruptAndNothingIsStored() {
        partition = partition(dir);
        ByteBuffer bad = ByteBuffer.allocate(batch(CompressionType.NONE, 2).remaining()).put(batch(CompressionType.NONE, 2)).flip();
        bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 0x55));
        AppendResult result = append(bad.asReadOnlyBuffer());
        assertThat(result.error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(result.baseOffset()).isEqualTo(-1);
        assertThat(partition.logEndOffset()).isZero();
        assertThat(append(batch(CompressionType.NONE, 1)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void aBatchAboveMaxMessageBytesIsTooLarge() {
        partition = partition(dir, config(null, TimestampType.CREATE_TIME, 200));
        assertThat(append(batch(CompressionType.NONE, 20)).error()).isEqualTo(Errors.MESSAGE_TOO_LARGE);
        assertThat(append(batch(CompressionType.NONE, 1)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void twoBatchesForOnePartitionAreAnInvalidRecord() {
        partition = partition(dir);
        ByteBuffer one = batch(CompressionType.NONE, 1);
        ByteBuffer two = ByteBuffer.allocate(one.remaining() * 2).put(one.duplicate()).put(one.duplicate()).flip();
        assertThat(append(two).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(append(ByteBuffer.allocate(0)).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(appender.append(partition, null, (short) 1, V13, NOW).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(partition.logEndOffset()).isZero();
    }

    @Test
    void zstdNeedsProduceV7() {
        partition = partition(dir);
        assertThat(appender.append(partition, batch(CompressionType.ZSTD, 1), (short) 1, (short) 6, NOW).error())
                .isEqualTo(Errors.UNSUPPORTED_COMPRESSION_TYPE);
        assertThat(appender.append(partition, batch(CompressionType.ZSTD, 1), (short) 1, (short) 7, NOW).error())
                .isEqualTo(Errors.NONE);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void logAppendTimeStampsTheBrokersClock(CompressionType codec) {
        partition = partition(dir, config(null, TimestampType.LOG_APPEND_TIME, PartitionConfig.DEFAULT_MAX_MESSAGE_BYTES));
        AppendResult result = append(batch(codec, 3));
        assertThat(result.logAppendTime()).isEqualTo(NOW);
        RecordBatch stored = batches(partition).get(0);
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(NOW);
        assertThat(stored.isValid()).isTrue();
        assertThat(records(stored)).extracting(Record::timestamp).containsOnly(NOW);
    }

    /** A batch inside a larger direct buffer, as a produce request's frame holds it, away from position 0. */
    private static ByteBuffer inFrame(ByteBuffer batch) {
        ByteBuffer frame = ByteBuffer.allocateDirect(batch.remaining() + 40);
        frame.position(17).put(batch.duplicate()).flip().position(17);
        return frame.slice(17, batch.remaining());
    }

    @ParameterizedTest
    @EnumSource(TimestampType.class)
    void anOwnedBatchIsStampedWhereItLiesAndStoredFromThere(TimestampType timestampType) {
        partition = partition(dir, config(null, timestampType, PartitionConfig.DEFAULT_MAX_MESSAGE_BYTES));
        assertThat(append(batch(CompressionType.NONE, 2)).error()).isEqualTo(Errors.NONE);
        ByteBuffer owned = inFrame(batch(CompressionType.NONE, 3));
        assertThat(appender.append(partition, owned, true, (short) -1, V13, NOW))
                .isEqualTo(AppendResult.appended(2, 4, timestampType == TimestampType.LOG_APPEND_TIME ? NOW : -1, 0));

        RecordBatch stored = batches(partition).get(1);
        assertThat(stored.baseOffset()).isEqualTo(2);
        assertThat(stored.isValid()).isTrue();
        assertThat(records(stored)).extracting(Record::offset).containsExactly(2L, 3L, 4L);
        assertThat(stored.maxTimestamp()).isEqualTo(timestampType == TimestampType.LOG_APPEND_TIME ? NOW : TIMESTAMP + 2);
        // The request's own bytes now carry what was stored: they were written, not a copy of them.
        assertThat(owned.getLong(owned.position())).isEqualTo(2);
        assertThat(partition.logEndOffset()).isEqualTo(5);
    }

    @Test
    void anOwnedBatchThatFailsValidationIsNeitherStoredNorRewritten() {
        partition = partition(dir);
        ByteBuffer owned = inFrame(batch(CompressionType.NONE, 2));
        int last = owned.limit() - 1;
        owned.put(last, (byte) (owned.get(last) ^ 0x55));
        ByteBuffer before = ByteBuffer.allocate(owned.remaining()).put(owned.duplicate()).flip();
        assertThat(appender.append(partition, owned, true, (short) -1, V13, NOW).error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(owned).isEqualTo(before);
        assertThat(partition.logEndOffset()).isZero();
    }

    @Test
    void aProducerMayNotClaimLogAppendTime() {
        partition = partition(dir, config(null, TimestampType.LOG_APPEND_TIME, PartitionConfig.DEFAULT_MAX_MESSAGE_BYTES));
        ByteBuffer claimed = new RecordBatchBuilder(CompressionType.NONE).logAppendTime(TIMESTAMP)
                .append(TIMESTAMP, null, TestLogs.bytes("a")).append(TIMESTAMP, null, TestLogs.bytes("b")).build();
        AppendResult result = append(claimed);
        assertThat(result.error()).isEqualTo(Errors.INVALID_TIMESTAMP);
        assertThat(result.recordErrors()).extracting(e -> e.batchIndex()).containsExactly(0, 1);
        assertThat(partition.logEndOffset()).isZero();
    }

    @Test
    void timestampsTooFarAheadAreRefusedRecordByRecord() {
        partition = partition(dir);
        ByteBuffer future = new RecordBatchBuilder(CompressionType.LZ4)
                .append(NOW, null, TestLogs.bytes("ok"))
                .append(NOW + 2 * 3_600_000L, null, TestLogs.bytes("late"))
                .append(NOW + 1000, null, TestLogs.bytes("ok")).build();
        AppendResult result = append(future);
        assertThat(result.error()).isEqualTo(Errors.INVALID_TIMESTAMP);
        assertThat(result.recordErrors()).extracting(e -> e.batchIndex()).containsExactly(1);
        assertThat(result.message()).isNotNull();
        assertThat(partition.logEndOffset()).isZero();

        LeaderAppender ageLimited = new LeaderAppender(new TimestampLimits(1000, Long.MAX_VALUE));
        AppendResult old = ageLimited.append(partition, batch(CompressionType.NONE, 2), (short) 1, V13, NOW);
        assertThat(old.error()).isEqualTo(Errors.INVALID_TIMESTAMP);
        assertThat(old.recordErrors()).hasSize(2);
    }

    @Test
    void aHeaderThatMisstatesItsLargestTimestampIsCorrected() {
        partition = partition(dir);
        ByteBuffer batch = ByteBuffer.allocate(batch(CompressionType.NONE, 3).remaining()).put(batch(CompressionType.NONE, 3)).flip();
        RecordBatch view = new RecordBatch(batch, 0);
        view.setMaxTimestamp(TimestampType.CREATE_TIME, 5);
        assertThat(append(batch).error()).isEqualTo(Errors.NONE);
        RecordBatch stored = batches(partition).get(0);
        assertThat(stored.maxTimestamp()).isEqualTo(TIMESTAMP + 2);
        assertThat(stored.isValid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aTopicCodecRecompressesKeepingEverythingElse(CompressionType source) {
        CompressionType target = source == CompressionType.GZIP ? CompressionType.ZSTD : CompressionType.GZIP;
        partition = partition(dir, config(target, TimestampType.CREATE_TIME, PartitionConfig.DEFAULT_MAX_MESSAGE_BYTES));
        append(batch(CompressionType.NONE, 1, PID, (short) 2, 0));
        assertThat(append(batch(source, 4, PID, (short) 2, 1))).isEqualTo(AppendResult.appended(1, 4, -1, 0));

        RecordBatch stored = batches(partition).get(1);
        assertThat(stored.compressionType()).isEqualTo(target);
        assertThat(stored.isValid()).isTrue();
        assertThat(stored.baseOffset()).isEqualTo(1);
        assertThat(stored.producerId()).isEqualTo(PID);
        assertThat(stored.producerEpoch()).isEqualTo((short) 2);
        assertThat(stored.baseSequence()).isEqualTo(1);
        assertThat(stored.recordCount()).isEqualTo(4);
        assertThat(stored.maxTimestamp()).isEqualTo(TIMESTAMP + 3);
        List<Record> records = records(stored);
        assertThat(records).extracting(Record::offset).containsExactly(1L, 2L, 3L, 4L);
        assertThat(records).extracting(Record::timestamp).containsExactly(TIMESTAMP, TIMESTAMP + 1, TIMESTAMP + 2, TIMESTAMP + 3);
        assertThat(records).extracting(r -> string(r.key())).containsExactly("k0", "k1", "k2", "k3");
        assertThat(records).extracting(r -> string(r.value())).containsExactly("v0", "v1", "v2", "v3");
        assertThat(records.get(3).headers()).singleElement()
                .satisfies(h -> assertThat(string(h.value())).isEqualTo("x3"));
        // Deduplication works on the recompressed batch as on any other.
        assertThat(append(batch(source, 4, PID, (short) 2, 1))).isEqualTo(AppendResult.appended(1, 4, -1, 0));
        assertThat(partition.logEndOffset()).isEqualTo(5);
    }

    @Test
    void theSameCodecAsTheTopicsKeepsTheBytes() {
        partition = partition(dir, config(CompressionType.SNAPPY, TimestampType.CREATE_TIME, PartitionConfig.DEFAULT_MAX_MESSAGE_BYTES));
        ByteBuffer batch = batch(CompressionType.SNAPPY, 5);
        append(batch);
        RecordBatch stored = batches(partition).get(0);
        assertThat(stored.crc()).isEqualTo(new RecordBatch(batch, 0).crc());
        assertThat(stored.sizeInBytes()).isEqualTo(batch.remaining());
    }

    @Test
    void aRetriedBatchIsAnsweredWithItsOriginalOffsetAndStoredOnce() {
        partition = partition(dir);
        assertThat(append(batch(CompressionType.NONE, 2, PID, (short) 0, 0)).baseOffset()).isEqualTo(0);
        assertThat(append(batch(CompressionType.NONE, 3, PID, (short) 0, 2)).baseOffset()).isEqualTo(2);
        assertThat(append(batch(CompressionType.NONE, 1, PID + 1, (short) 0, 0)).baseOffset()).isEqualTo(5);

        AppendResult retry = append(batch(CompressionType.NONE, 3, PID, (short) 0, 2));
        assertThat(retry).isEqualTo(AppendResult.appended(2, 4, -1, 0));
        assertThat(partition.logEndOffset()).isEqualTo(6);
        assertThat(batches(partition)).hasSize(3);
    }

    @Test
    void sequenceAndEpochErrorsAreKafkas() {
        partition = partition(dir);
        append(batch(CompressionType.NONE, 2, PID, (short) 3, 0));
        assertThat(append(batch(CompressionType.NONE, 1, PID, (short) 3, 5)).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        AppendResult fenced = append(batch(CompressionType.NONE, 1, PID, (short) 2, 2));
        assertThat(fenced.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(fenced.logStartOffset()).isZero();
        assertThat(append(batch(CompressionType.NONE, 1, PID, (short) 4, 1)).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(append(batch(CompressionType.NONE, 1, PID, (short) 4, 0)).error()).isEqualTo(Errors.NONE);
        assertThat(partition.logEndOffset()).isEqualTo(3);
    }

    @Test
    void aLogAppendTimeDuplicateGetsTheOriginalAppendTime() {
        partition = partition(dir, config(null, TimestampType.LOG_APPEND_TIME, PartitionConfig.DEFAULT_MAX_MESSAGE_BYTES));
        appender.append(partition, batch(CompressionType.NONE, 1, PID, (short) 0, 0), (short) 1, V13, NOW);
        AppendResult retry = appender.append(partition, batch(CompressionType.NONE, 1, PID, (short) 0, 0), (short) 1, V13, NOW + 5);
        assertThat(retry).isEqualTo(AppendResult.appended(0, 0, NOW, 0));
    }

    @Test
    void transactionalBatchesAreRefused() {
        partition = partition(dir);
        ByteBuffer txn = new RecordBatchBuilder(CompressionType.NONE).producer(PID, (short) 0, 0).transactional(true)
                .append(TIMESTAMP, null, TestLogs.bytes("v")).build();
        assertThat(append(txn).error()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    }

    /** An image that moved the leadership away between the handler's check and the append: nothing is written. */
    @Test
    void aPartitionNoLongerLedRefusesTheAppendUnderTheLock() {
        partition = partition(dir);
        partition.updateLeadership(false, 1);
        AppendResult result = append(batch(CompressionType.NONE, 2));
        assertThat(result.error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(partition.logEndOffset()).isZero();
    }

    /**
     * A leadership change waits for an append in progress (it takes the append lock), so an append that
     * saw this node as leader finishes before the epoch and the leader flag change.
     */
    @Test
    void aLeadershipChangeWaitsForTheAppendLock() throws InterruptedException {
        partition = partition(dir);
        java.util.concurrent.locks.ReentrantLock lock = partition.appendLock();
        lock.lock();
        Thread change = new Thread(() -> partition.updateLeadership(false, 1));
        try {
            change.start();
            while (change.isAlive() && !lock.hasQueuedThread(change)) {
                Thread.onSpinWait();
            }
            assertThat(lock.hasQueuedThread(change)).as("the change waits for the append lock").isTrue();
            assertThat(partition.isLeader()).isTrue();
            assertThat(partition.leaderEpoch()).isZero();
        } finally {
            lock.unlock();
        }
        change.join();
        assertThat(partition.isLeader()).isFalse();
        assertThat(partition.leaderEpoch()).isEqualTo(1);
    }
}
