package io.fjord.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One record of a v2 batch, with its absolute offset and timestamp resolved against the batch
 * header. Key, value and headers stay where they are in the buffer the record was read from (the
 * batch itself, or the reader's decompression buffer); {@link #key()} and {@link #value()} hand out
 * slices, never copies, so a record is only as durable as that buffer.
 */
public final class Record {
    private final ByteBuffer buffer;
    private final long offset;
    private final long timestamp;
    private final int offsetDelta;
    private final long timestampDelta;
    private final byte attributes;
    private final int sizeInBytes;
    private final int keyPosition;
    private final int keySize;
    private final int valuePosition;
    private final int valueSize;
    private final int headersPosition;
    private final int headerCount;

    Record(ByteBuffer buffer, long offset, long timestamp, RecordCursor parsed) {
        this.buffer = buffer;
        this.offset = offset;
        this.timestamp = timestamp;
        this.offsetDelta = parsed.offsetDelta;
        this.timestampDelta = parsed.timestampDelta;
        this.attributes = parsed.attributes;
        this.sizeInBytes = parsed.size;
        this.keyPosition = parsed.keyPosition;
        this.keySize = parsed.keySize;
        this.valuePosition = parsed.valuePosition;
        this.valueSize = parsed.valueSize;
        this.headersPosition = parsed.headersPosition;
        this.headerCount = parsed.headerCount;
    }

    public long offset() {
        return offset;
    }

    /** baseTimestamp + timestampDelta, or the batch's maxTimestamp when the batch is LogAppendTime. */
    public long timestamp() {
        return timestamp;
    }

    public int offsetDelta() {
        return offsetDelta;
    }

    public long timestampDelta() {
        return timestampDelta;
    }

    /** Unused by the v2 format (always 0 from Kafka's clients), kept for fidelity. */
    public byte attributes() {
        return attributes;
    }

    /** The encoded size, length varint included. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    public boolean hasKey() {
        return keySize >= 0;
    }

    /** Key length in bytes, or -1 for a null key. */
    public int keySize() {
        return keySize;
    }

    /** A slice over the key bytes, or null. */
    public ByteBuffer key() {
        return keySize < 0 ? null : buffer.slice(keyPosition, keySize);
    }

    public boolean hasValue() {
        return valueSize >= 0;
    }

    /** Value length in bytes, or -1 for a null value (a tombstone on compacted topics). */
    public int valueSize() {
        return valueSize;
    }

    /** A slice over the value bytes, or null. */
    public ByteBuffer value() {
        return valueSize < 0 ? null : buffer.slice(valuePosition, valueSize);
    }

    public int headerCount() {
        return headerCount;
    }

    /** Decodes the headers; the structure was checked when the record was read, so this cannot fail. */
    public List<Header> headers() {
        if (headerCount == 0) {
            return List.of();
        }
        Header[] headers = new Header[headerCount];
        RecordCursor cursor = new RecordCursor().reset(buffer, headersPosition, buffer.limit());
        for (int i = 0; i < headerCount; i++) {
            int keyLength = cursor.readVarint();
            String key = utf8(cursor.position(), keyLength);
            cursor.skip(keyLength);
            int valueLength = cursor.readVarint();
            ByteBuffer value = valueLength < 0 ? null : buffer.slice(cursor.position(), valueLength);
            cursor.skip(Math.max(valueLength, 0));
            headers[i] = new Header(key, value);
        }
        return List.of(headers);
    }

    private String utf8(int position, int length) {
        if (buffer.hasArray()) {
            return new String(buffer.array(), buffer.arrayOffset() + position, length, StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[length];
        buffer.get(position, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", keySize=" + keySize
                + ", valueSize=" + valueSize + ", headers=" + headerCount + ")";
    }
}
