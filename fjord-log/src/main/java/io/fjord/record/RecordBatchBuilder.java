package io.fjord.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Writes one v2 batch: set the header fields, append records, {@link #build()}. Offsets are
 * consecutive from {@link #baseOffset(long)} unless given explicitly (increasing, gaps allowed, as
 * compaction leaves them); baseTimestamp is the first record's timestamp and maxTimestamp the
 * largest, or the broker's time for LogAppendTime. Uncompressed records are written in place after
 * a reserved header; compressed batches are compressed once at build time. One builder, one batch.
 */
public final class RecordBatchBuilder {
    private static final int DEFAULT_CAPACITY = 1024;

    private final CompressionType compression;
    private final GrowableBytes records;
    private int compressionLevel;
    private long baseOffset;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long logAppendTime = RecordBatch.NO_TIMESTAMP;

    private int count;
    private long lastOffset;
    private long baseTimestamp = RecordBatch.NO_TIMESTAMP;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private boolean built;

    public RecordBatchBuilder(CompressionType compression) {
        this(compression, DEFAULT_CAPACITY);
    }

    /** @param expectedRecordBytes a hint for the uncompressed size of the records, to size buffers once */
    public RecordBatchBuilder(CompressionType compression, int expectedRecordBytes) {
        this.compression = compression;
        this.compressionLevel = Compressor.defaultLevel(compression);
        // Uncompressed batches are built in place: the header goes in front of the records at build time.
        int reserved = compression == CompressionType.NONE ? RecordBatch.HEADER_SIZE : 0;
        this.records = new GrowableBytes(reserved + Math.max(0, expectedRecordBytes));
        this.records.size(reserved);
    }

    /** Kafka's compression.&lt;codec&gt;.level: gzip 1-9, lz4 1-17, zstd -131072..22; snappy has none. */
    public RecordBatchBuilder compressionLevel(int level) {
        Compressor.checkLevel(compression, level);
        this.compressionLevel = level;
        return this;
    }

    /** Must be set before the first record, whose offset delta is relative to it. */
    public RecordBatchBuilder baseOffset(long baseOffset) {
        if (count > 0) {
            throw new IllegalStateException("baseOffset must be set before records are appended");
        }
        this.baseOffset = baseOffset;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int epoch) {
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    /** A control batch (transaction markers and the like); its records carry control keys. */
    public RecordBatchBuilder control(boolean control) {
        this.control = control;
        return this;
    }

    /** Makes the batch LogAppendTime, stamped with the broker's {@code time} as its maxTimestamp. */
    public RecordBatchBuilder logAppendTime(long time) {
        this.timestampType = TimestampType.LOG_APPEND_TIME;
        this.logAppendTime = time;
        return this;
    }

    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, Header... headers) {
        return appendWithOffset(nextOffset(), timestamp, wrap(key), wrap(value), headers);
    }

    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value, Header... headers) {
        return appendWithOffset(nextOffset(), timestamp, key, value, headers);
    }

    /** Appends a copy of a record read elsewhere, at its own offset (compaction, recompression). */
    public RecordBatchBuilder append(Record record) {
        return appendWithOffset(record.offset(), record);
    }

    public RecordBatchBuilder appendWithOffset(long offset, Record record) {
        return appendWithOffset(offset, record.timestamp(), record.key(), record.value(),
                record.headers().toArray(new Header[0]));
    }

    /**
     * Appends a record at an explicit offset: not below baseOffset, above the previous record's, and
     * within an int of baseOffset. Key and value bytes are copied from their position to their limit
     * without moving either.
     */
    public RecordBatchBuilder appendWithOffset(long offset, long timestamp, ByteBuffer key, ByteBuffer value,
            Header... headers) {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
            throw new IllegalArgumentException("invalid negative timestamp " + timestamp);
        }
        if (count > 0 && offset <= lastOffset) {
            throw new IllegalArgumentException("offset " + offset + " does not follow the previous offset " + lastOffset);
        }
        long delta = offset - baseOffset;
        if (delta < 0 || delta > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " is not within an int above baseOffset " + baseOffset);
        }
        if (count == 0) {
            baseTimestamp = timestamp;
        }
        int offsetDelta = (int) delta;
        long timestampDelta = timestamp - baseTimestamp;
        int keySize = key == null ? -1 : key.remaining();
        int valueSize = value == null ? -1 : value.remaining();
        byte[][] headerKeys = headers.length == 0 ? null : new byte[headers.length][];

        long body = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta)
                + bytesFieldSize(keySize) + bytesFieldSize(valueSize) + Varints.sizeOfVarint(headers.length);
        for (int i = 0; i < headers.length; i++) {
            headerKeys[i] = headers[i].key().getBytes(StandardCharsets.UTF_8);
            ByteBuffer headerValue = headers[i].value();
            body += bytesFieldSize(headerKeys[i].length) + bytesFieldSize(headerValue == null ? -1 : headerValue.remaining());
        }
        if (body > Integer.MAX_VALUE - 5) {
            throw new IllegalArgumentException("record of " + body + " bytes is too large");
        }
        int bodySize = (int) body;

        records.ensureWritable(Varints.sizeOfVarint(bodySize) + bodySize);
        byte[] array = records.array();
        int pos = Varints.writeVarint(array, records.size(), bodySize);
        array[pos++] = 0;
        pos = Varints.writeVarlong(array, pos, timestampDelta);
        pos = Varints.writeVarint(array, pos, offsetDelta);
        pos = writeBytes(array, pos, key);
        pos = writeBytes(array, pos, value);
        pos = Varints.writeVarint(array, pos, headers.length);
        for (int i = 0; i < headers.length; i++) {
            pos = Varints.writeVarint(array, pos, headerKeys[i].length);
            System.arraycopy(headerKeys[i], 0, array, pos, headerKeys[i].length);
            pos += headerKeys[i].length;
            pos = writeBytes(array, pos, headers[i].value());
        }
        records.size(pos);

        count++;
        lastOffset = offset;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        return this;
    }

    public int recordCount() {
        return count;
    }

    /** The offset the next {@link #append} will use. */
    public long nextOffset() {
        return count == 0 ? baseOffset : lastOffset + 1;
    }

    /** Header plus records before compression: the batch's size when uncompressed. */
    public int uncompressedSizeInBytes() {
        return compression == CompressionType.NONE ? records.size() : RecordBatch.HEADER_SIZE + records.size();
    }

    /**
     * Writes the header, compressing the records first if the codec asks for it, and returns the
     * batch as a heap buffer of exactly its size (position 0).
     *
     * @throws IllegalStateException without records: Kafka's clients never send empty batches
     */
    public ByteBuffer build() {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (count == 0) {
            throw new IllegalStateException("a batch needs at least one record");
        }
        built = true;
        GrowableBytes out;
        if (compression == CompressionType.NONE) {
            out = records;
        } else {
            out = new GrowableBytes(RecordBatch.HEADER_SIZE + records.size() / 2);
            out.size(RecordBatch.HEADER_SIZE);
            Compressor.compress(compression, compressionLevel, records.array(), 0, records.size(), out);
        }
        int size = out.size();
        ByteBuffer batch = ByteBuffer.wrap(out.array(), 0, size).slice();
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        batch.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
        batch.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET,
                RecordBatch.attributes(compression, timestampType, transactional, control));
        batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, (int) (lastOffset - baseOffset));
        batch.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        batch.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET,
                timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp);
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, count);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), RecordBatch.ATTRIBUTES_OFFSET, size - RecordBatch.ATTRIBUTES_OFFSET);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
        return batch;
    }

    private static int bytesFieldSize(int length) {
        return length < 0 ? 1 : Varints.sizeOfVarint(length) + length;
    }

    private static int writeBytes(byte[] array, int pos, ByteBuffer bytes) {
        if (bytes == null) {
            return Varints.writeVarint(array, pos, -1);
        }
        int length = bytes.remaining();
        pos = Varints.writeVarint(array, pos, length);
        bytes.get(bytes.position(), array, pos, length);
        return pos + length;
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }
}
