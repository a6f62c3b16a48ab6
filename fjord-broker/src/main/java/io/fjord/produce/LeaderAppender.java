package io.fjord.produce;

import io.fjord.log.InvalidBatchException;
import io.fjord.log.LogAppendInfo;
import io.fjord.log.LogClosedException;
import io.fjord.log.LogStorageException;
import io.fjord.log.RecordsTooLargeException;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionConfig;
import io.fjord.protocol.Errors;
import io.fjord.record.BatchValidator;
import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatch;
import io.fjord.record.TimestampType;
import io.fjord.record.ValidationResult;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one client batch to a partition this node leads, as Kafka's LogValidator and
 * UnifiedLog.append do, in two steps:
 * <ol>
 *   <li>Outside the append lock, the CPU work: the batch is validated in place (size, CRC, magic,
 *       counts, offsets, codec; see {@link BatchValidator}), its timestamps checked, and it is either
 *       stamped where it lies when the request's frame is its own (stamping LogAppendTime there), copied
 *       once into a writable buffer first otherwise or, when the topic's
 *       compression.type differs from the producer's codec, rebuilt in the topic's codec.</li>
 *   <li>Under the lock, the ordering work: min.insync.replicas, the idempotent producer's sequence,
 *       the partition leader epoch, then the log numbers the batch by rewriting its baseOffset and
 *       writes it, and the producer state records it.</li>
 * </ol>
 * A duplicate of one of the producer's last five batches is answered with the original offsets and
 * nothing is written. Nothing is stored unless every check passed.
 */
final class LeaderAppender {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderAppender.class);

    /** Produce v7 brought zstd (KIP-110); older requests may not use it. */
    private static final short MIN_VERSION_FOR_ZSTD = 7;

    private final TimestampLimits timestampLimits;

    LeaderAppender(TimestampLimits timestampLimits) {
        this.timestampLimits = timestampLimits;
    }

    /** Appends bytes that are only read, never rewritten: they are copied once before being stamped. */
    AppendResult append(Partition partition, ByteBuffer records, short acks, short version, long now) {
        return append(partition, records, false, acks, version, now);
    }

    /**
     * @param records  the batch bytes, between position and limit; never kept
     * @param owned    whether {@code records} belong to this request alone and may be rewritten in place
     *                 (offsets, leader epoch, maxTimestamp) and written to the log as they are; otherwise they
     *                 are only read, and copied once before being stamped
     * @param acks     the request's acks, already known to be -1, 0 or 1
     * @param version  the Produce version, for rules that depend on it
     * @param now      the broker's clock, for LogAppendTime, timestamp limits and producer expiry
     */
    AppendResult append(Partition partition, ByteBuffer records, boolean owned, short acks, short version, long now) {
        PartitionConfig config = partition.config();
        if (records == null) {
            return AppendResult.failed(Errors.INVALID_RECORD, "no record batch");
        }
        ValidationResult validation = BatchValidator.forProduce(config.maxMessageBytes()).validate(records);
        if (!validation.isValid()) {
            // Kafka reports damaged and oversized batches without a log start offset, rule breaks with one.
            Errors error = Errors.forCode(validation.error().code);
            long logStart = error == Errors.INVALID_RECORD ? partition.logStartOffset() : -1;
            return AppendResult.failed(error, logStart, validation.message());
        }
        RecordBatch batch = new RecordBatch(records, records.position());
        CompressionType codec = batch.compressionType();
        if (codec == CompressionType.ZSTD && version < MIN_VERSION_FOR_ZSTD) {
            return AppendResult.failed(Errors.UNSUPPORTED_COMPRESSION_TYPE,
                    "Produce v" + version + " cannot carry zstd batches (v7+ can)");
        }
        if (batch.isTransactional()) {
            // Transactions are not served yet, so no producer can hold a transactional id of ours.
            return AppendResult.failed(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "transactions are not supported");
        }
        TimestampType timestampType = config.timestampType();
        boolean logAppendTime = timestampType == TimestampType.LOG_APPEND_TIME;
        // Uncompressed records were walked by the validator; a compressed batch's header is trusted (its CRC held).
        long maxTimestamp = codec == CompressionType.NONE ? validation.maxRecordTimestamp() : batch.maxTimestamp();
        AppendResult refused = TimestampCheck.check(batch, maxTimestamp, timestampType, timestampLimits, now,
                partition.logStartOffset());
        if (refused != null) {
            return refused;
        }

        ByteBuffer prepared;
        CompressionType target = config.compressionType();
        if (target != null && target != codec) {
            Recompressor.Outcome outcome = Recompressor.rebuild(batch, target, logAppendTime ? now : RecordBatch.NO_TIMESTAMP);
            if (outcome.batch() == null) {
                return AppendResult.failed(outcome.error(), partition.logStartOffset(), outcome.message());
            }
            prepared = outcome.batch();
            if (prepared.remaining() > config.maxMessageBytes()) {
                return AppendResult.failed(Errors.MESSAGE_TOO_LARGE, "recompressed to " + target.configName + ", the batch of "
                        + prepared.remaining() + " bytes exceeds max.message.bytes " + config.maxMessageBytes());
            }
        } else {
            // The batch passed validation as it is; what follows rewrites only what the broker owns (and the CRC).
            prepared = owned ? records : ScratchBuffer.copyOf(records);
            RecordBatch copy = new RecordBatch(prepared, prepared.position());
            if (logAppendTime) {
                copy.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, now);
            } else {
                // Corrects a header that misstates its records' largest timestamp (or claims LogAppendTime), as Kafka
                // does; a no-op, without a CRC pass, when the producer got it right.
                copy.setMaxTimestamp(TimestampType.CREATE_TIME, maxTimestamp);
            }
        }
        return appendLocked(partition, config, prepared, acks, now);
    }

    private AppendResult appendLocked(Partition partition, PartitionConfig config, ByteBuffer prepared, short acks,
            long now) {
        RecordBatch batch = new RecordBatch(prepared, prepared.position());
        boolean logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
        ReentrantLock lock = partition.appendLock();
        lock.lock();
        try {
            // The handler's leadership check ran before the lock; an image may have moved the leadership since
            // (updateLeadership takes this lock), and a former leader must not write.
            if (!partition.isLeader()) {
                return AppendResult.failed(Errors.NOT_LEADER_OR_FOLLOWER, partition.logStartOffset(),
                        "This broker no longer leads " + partition.topicPartition());
            }
            int minIsr = partition.effectiveMinInSyncReplicas();
            if (acks == -1 && partition.inSyncReplicaCount() < minIsr) {
                return AppendResult.failed(Errors.NOT_ENOUGH_REPLICAS, partition.logStartOffset(), partition.inSyncReplicaCount()
                        + " in-sync replica(s), min.insync.replicas is " + config.minInSyncReplicas());
            }
            ProducerStateManager producers = partition.producerState();
            boolean idempotent = batch.hasProducerId();
            if (idempotent) {
                SequenceVerdict verdict = producers.check(batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                        batch.lastSequence());
                if (verdict.isRefused()) {
                    return AppendResult.failed(verdict.error(), partition.logStartOffset(), verdict.message());
                }
                if (verdict.isDuplicate()) {
                    BatchMetadata original = verdict.duplicate();
                    LOG.debug("{}: duplicate of batch at offset {} from producer {} (sequences {}-{}), not written",
                            partition.topicPartition(), original.firstOffset(), batch.producerId(), original.firstSeq(),
                            original.lastSeq());
                    return AppendResult.appended(original.firstOffset(), original.lastOffset(),
                            logAppendTime ? original.timestamp() : RecordBatch.NO_TIMESTAMP, partition.logStartOffset());
                }
            }
            batch.setPartitionLeaderEpoch(partition.leaderEpoch());
            LogAppendInfo info = partition.appendAsLeader(prepared);
            if (idempotent) {
                producers.append(batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(),
                        info.firstOffset(), info.lastOffset(), batch.maxTimestamp(), now);
            }
            producers.afterAppend(partition.logEndOffset(), partition.log().segmentCount(), now);
            return AppendResult.appended(info.firstOffset(), info.lastOffset(), logAppendTime ? now : RecordBatch.NO_TIMESTAMP,
                    partition.logStartOffset());
        } catch (RecordsTooLargeException e) {
            return AppendResult.failed(Errors.RECORD_LIST_TOO_LARGE, e.getMessage());
        } catch (LogClosedException e) {
            // The partition is being deleted or moved: the client's retry finds out where it went.
            return AppendResult.failed(Errors.NOT_LEADER_OR_FOLLOWER, e.getMessage());
        } catch (LogStorageException e) {
            LOG.error("{}: append failed", partition.topicPartition(), e);
            return AppendResult.failed(Errors.KAFKA_STORAGE_ERROR, e.getMessage());
        } catch (InvalidBatchException e) {
            // The validator should have caught it; the log's own checks are the last line.
            LOG.warn("{}: the log refused a validated batch", partition.topicPartition(), e);
            return AppendResult.failed(Errors.CORRUPT_MESSAGE, e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
