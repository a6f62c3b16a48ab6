package io.fjord.record;

import java.nio.ByteBuffer;

/**
 * Checks the record batches a client sent for one partition before the broker assigns offsets and
 * appends them, with Kafka's error for each kind of fault: CORRUPT_MESSAGE when bytes were damaged
 * (CRC, lengths that do not fit, truncation), MESSAGE_TOO_LARGE past the size limit, INVALID_RECORD
 * when intact bytes break the format's rules (magic, record count against lastOffsetDelta, records
 * that do not parse or whose offset deltas do not fit the header).
 *
 * <p>With {@code fromClient}, Kafka's produce rules apply: exactly one batch, at least one record,
 * lastOffsetDelta = recordCount - 1 and offset deltas 0, 1, 2, ..., baseOffset 0, no control batch,
 * a sequence number wherever there is a producer id. Without it (batches a replica fetched), any
 * number of batches is fine and compaction's gaps and empty batches are allowed. Unlike Kafka, which
 * drops trailing bytes that do not form a whole batch, such bytes are refused as corrupt.
 *
 * <p>Validation walks the buffer in place and allocates nothing on success beyond the result (and,
 * with {@link RecordChecks#ALL}, the decompression buffer it keeps). Instances with
 * {@link RecordChecks#ALL} are not thread-safe; the others are.
 */
public final class BatchValidator {
    /** How deep to look at the records themselves, beyond the batch headers and CRC. */
    public enum RecordChecks {
        /** Headers and CRC only. */
        NONE,
        /** Also parse the records of uncompressed batches, which costs no copy. */
        UNCOMPRESSED,
        /** Also decompress compressed batches and parse their records. */
        ALL
    }

    private final int maxBatchBytes;
    private final RecordChecks recordChecks;
    private final boolean fromClient;
    private final Decompressor decompressor;

    /**
     * @param maxBatchBytes the largest batch accepted, header included (the topic's max.message.bytes)
     * @param fromClient whether Kafka's produce-request rules apply (as opposed to replication)
     */
    public BatchValidator(int maxBatchBytes, RecordChecks recordChecks, boolean fromClient) {
        this.maxBatchBytes = maxBatchBytes;
        this.recordChecks = recordChecks;
        this.fromClient = fromClient;
        this.decompressor = recordChecks == RecordChecks.ALL
                ? new Decompressor(RecordReader.DEFAULT_MAX_DECOMPRESSED_BYTES) : null;
    }

    /** The produce path's default: client rules, uncompressed records parsed. */
    public static BatchValidator forProduce(int maxBatchBytes) {
        return new BatchValidator(maxBatchBytes, RecordChecks.UNCOMPRESSED, true);
    }

    /** Validates the batches between the buffer's position and limit; neither is moved. */
    public ValidationResult validate(ByteBuffer batches) {
        int limit = batches.limit();
        int pos = batches.position();
        if (pos >= limit) {
            return ValidationResult.fail(ValidationError.INVALID_RECORD, 0, "no record batch");
        }
        RecordBatch batch = new RecordBatch();
        RecordCursor cursor = null;
        int index = 0;
        int records = 0;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        while (pos < limit) {
            int remaining = limit - pos;
            if (remaining < RecordBatch.HEADER_SIZE) {
                return ValidationResult.fail(ValidationError.CORRUPT_MESSAGE, index,
                        remaining + " trailing bytes are too few for a batch header");
            }
            int batchLength = batches.getInt(pos + RecordBatch.LENGTH_OFFSET);
            if (batchLength < RecordBatches.MIN_BATCH_LENGTH) {
                return ValidationResult.fail(ValidationError.CORRUPT_MESSAGE, index,
                        "batch length " + batchLength + " is below the minimum of " + RecordBatches.MIN_BATCH_LENGTH);
            }
            long size = (long) batchLength + RecordBatch.LOG_OVERHEAD;
            if (size > maxBatchBytes) {
                return ValidationResult.fail(ValidationError.MESSAGE_TOO_LARGE, index,
                        "batch of " + size + " bytes exceeds the maximum of " + maxBatchBytes);
            }
            if (size > remaining) {
                return ValidationResult.fail(ValidationError.CORRUPT_MESSAGE, index,
                        "batch of " + size + " bytes is truncated to " + remaining);
            }
            if (fromClient && index > 0) {
                return ValidationResult.fail(ValidationError.INVALID_RECORD, index,
                        "a produce request carries exactly one batch per partition");
            }
            batch.wrap(batches, pos);
            if (batch.magic() != RecordBatch.MAGIC) {
                return ValidationResult.fail(ValidationError.INVALID_RECORD, index,
                        "batch magic is " + batch.magic() + ", only magic 2 is accepted");
            }
            if (!batch.isValid()) {
                return ValidationResult.fail(ValidationError.CORRUPT_MESSAGE, index,
                        "batch CRC " + batch.crc() + " does not match its bytes (" + batch.computeCrc() + ")");
            }
            String invalid = checkHeader(batch);
            if (invalid != null) {
                return ValidationResult.fail(ValidationError.INVALID_RECORD, index, invalid);
            }
            int count = batch.recordCount();
            if (count > 0 && walksRecords(batch.compressionType())) {
                if (cursor == null) {
                    cursor = new RecordCursor();
                }
                try {
                    maxTimestamp = Math.max(maxTimestamp, walkRecords(batch, index, cursor));
                } catch (Refusal refusal) {
                    return refusal.result;
                }
            } else {
                maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            }
            records += count;
            pos += (int) size;
            index++;
        }
        return ValidationResult.ok(index, records, maxTimestamp);
    }

    /** Rules on the header fields of a batch whose CRC is good; null when it passes. */
    private String checkHeader(RecordBatch batch) {
        if (batch.compressionType() == null) {
            return "unknown compression codec " + (batch.attributes() & 0x07);
        }
        int count = batch.recordCount();
        int lastOffsetDelta = batch.lastOffsetDelta();
        if (!fromClient) {
            // Replicated batches may come from compacted logs: offsets with gaps, even no records left.
            if (count < 0 || lastOffsetDelta < 0 || lastOffsetDelta < count - 1) {
                return "lastOffsetDelta " + lastOffsetDelta + " cannot cover " + count + " records";
            }
            return null;
        }
        if (count <= 0) {
            return "batch declares " + count + " records";
        }
        if (lastOffsetDelta != count - 1) {
            return "lastOffsetDelta " + lastOffsetDelta + " does not match the record count " + count;
        }
        if (batch.baseOffset() != 0) {
            return "a client batch must have baseOffset 0, not " + batch.baseOffset();
        }
        if (batch.isControlBatch()) {
            return "clients may not write control batches";
        }
        if (batch.hasProducerId() && batch.baseSequence() < 0) {
            return "batch of producer " + batch.producerId() + " has no sequence number";
        }
        return null;
    }

    private boolean walksRecords(CompressionType compression) {
        return switch (recordChecks) {
            case NONE -> false;
            case UNCOMPRESSED -> compression == CompressionType.NONE;
            case ALL -> true;
        };
    }

    /** Parses every record of the batch; returns their largest timestamp or throws a {@link Refusal}. */
    private long walkRecords(RecordBatch batch, int index, RecordCursor cursor) {
        int payloadStart = batch.position() + RecordBatch.HEADER_SIZE;
        int payloadEnd = batch.position() + batch.sizeInBytes();
        CompressionType compression = batch.compressionType();
        if (compression == CompressionType.NONE) {
            cursor.reset(batch.buffer(), payloadStart, payloadEnd);
        } else {
            ByteBuffer inflated;
            try {
                inflated = decompressor.decompress(compression, batch.buffer(), payloadStart, payloadEnd - payloadStart);
            } catch (CorruptRecordException e) {
                throw new Refusal(ValidationError.CORRUPT_MESSAGE, index, e.getMessage());
            }
            cursor.reset(inflated, 0, inflated.limit());
        }
        int count = batch.recordCount();
        boolean logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        long baseTimestamp = batch.baseTimestamp();
        long max = logAppendTime ? batch.maxTimestamp() : RecordBatch.NO_TIMESTAMP;
        int previousDelta = -1;
        for (int i = 0; i < count; i++) {
            if (!cursor.hasRemaining()) {
                throw new Refusal(ValidationError.INVALID_RECORD, index, "batch declares " + count + " records but holds " + i);
            }
            try {
                cursor.next();
            } catch (CorruptRecordException e) {
                throw new Refusal(ValidationError.INVALID_RECORD, index, "record " + i + ": " + e.getMessage());
            }
            // A client's offsets are dense from 0; a replica's only increase within lastOffsetDelta.
            boolean inOrder = fromClient ? cursor.offsetDelta == i
                    : cursor.offsetDelta > previousDelta && cursor.offsetDelta <= batch.lastOffsetDelta();
            if (!inOrder) {
                throw new Refusal(ValidationError.INVALID_RECORD, index, "record " + i + " has offset delta " + cursor.offsetDelta);
            }
            previousDelta = cursor.offsetDelta;
            if (!logAppendTime) {
                max = Math.max(max, baseTimestamp + cursor.timestampDelta);
            }
        }
        if (cursor.hasRemaining()) {
            throw new Refusal(ValidationError.INVALID_RECORD, index,
                    cursor.remaining() + " bytes follow the last of the " + count + " records");
        }
        return max;
    }

    /** Carries a failure out of the record walk; only the failure path pays for it, and no stack trace. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ValidationResult result;

        Refusal(ValidationError error, int batchIndex, String message) {
            super(message, null, false, false);
            this.result = ValidationResult.fail(error, batchIndex, message);
        }
    }
}
