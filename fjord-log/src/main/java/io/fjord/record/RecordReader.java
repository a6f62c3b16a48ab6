package io.fjord.record;

import java.nio.ByteBuffer;

/**
 * Reads the records of v2 batches, decompressing where the batch is compressed.
 *
 * <p>Records of an uncompressed batch are views into the batch's own buffer. Records of a
 * compressed batch are views into this reader's decompression buffer, which the next call to
 * {@link #records} reuses: finish with (or copy) one compressed batch's records before reading the
 * next. Decompressed payloads are bounded by {@link #maxDecompressedBytes()} so a small hostile
 * batch cannot exhaust memory. A reader is not thread-safe; it is cheap to keep one per thread.
 */
public final class RecordReader {
    /**
     * Far above any batch a Kafka client builds (the producer bounds batches by batch.size and
     * max.request.size), low enough that one decompression cannot take the heap.
     */
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 128 * 1024 * 1024;

    private final Decompressor decompressor;

    public RecordReader() {
        this(DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    public RecordReader(int maxDecompressedBytes) {
        this.decompressor = new Decompressor(maxDecompressedBytes);
    }

    public int maxDecompressedBytes() {
        return decompressor.maxSize();
    }

    /**
     * An iterator over the batch's records. The header is checked here (magic, length within the
     * buffer, a known codec, a plausible record count) and a compressed payload is decompressed in
     * full; each record is checked as the iterator reaches it.
     *
     * @throws CorruptRecordException if the header or the compressed payload is invalid
     */
    public RecordIterator records(RecordBatch batch) {
        ByteBuffer buffer = batch.buffer();
        int position = batch.position();
        if (buffer.limit() - position < RecordBatch.HEADER_SIZE) {
            throw new CorruptRecordException("batch header needs " + RecordBatch.HEADER_SIZE + " bytes, "
                    + Math.max(0, buffer.limit() - position) + " are there");
        }
        if (batch.magic() != RecordBatch.MAGIC) {
            throw new CorruptRecordException("batch magic is " + batch.magic() + ", only magic 2 is supported");
        }
        int batchLength = batch.batchLength();
        if (batchLength < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD
                || batchLength > buffer.limit() - position - RecordBatch.LOG_OVERHEAD) {
            throw new CorruptRecordException("batch length " + batchLength + " does not fit the "
                    + (buffer.limit() - position) + " bytes there");
        }
        CompressionType compression = batch.compressionType();
        if (compression == null) {
            throw new CorruptRecordException("batch names unknown compression codec " + (batch.attributes() & 0x07));
        }
        int count = batch.recordCount();
        if (count < 0) {
            throw new CorruptRecordException("batch declares a negative record count " + count);
        }
        RecordCursor cursor = new RecordCursor();
        if (count == 0) {
            // Empty batches (left by compaction to keep producer state) carry no records to read.
            return new RecordIterator(cursor.reset(buffer, position, position), 0, batch);
        }
        int payloadStart = position + RecordBatch.HEADER_SIZE;
        int payloadLength = batch.sizeInBytes() - RecordBatch.HEADER_SIZE;
        if (compression == CompressionType.NONE) {
            cursor.reset(buffer, payloadStart, payloadStart + payloadLength);
        } else {
            ByteBuffer inflated = decompressor.decompress(compression, buffer, payloadStart, payloadLength);
            cursor.reset(inflated, 0, inflated.limit());
        }
        if ((long) count * RecordCursor.MIN_RECORD_SIZE > cursor.remaining()) {
            throw new CorruptRecordException("batch declares " + count + " records but its " + cursor.remaining()
                    + " bytes of records cannot hold that many");
        }
        return new RecordIterator(cursor, count, batch);
    }
}
