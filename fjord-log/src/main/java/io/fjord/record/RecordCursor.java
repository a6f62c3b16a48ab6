package io.fjord.record;

import java.nio.ByteBuffer;

/**
 * Walks the records of one (uncompressed or already decompressed) batch payload and checks each
 * one's structure without copying or allocating: every length is bounded by the bytes the record
 * claims, and the record's claim by the bytes that are really there. After {@link #next()} the
 * parsed fields are readable here; {@link Record} copies the few it needs.
 */
final class RecordCursor {
    /** length(1) + attributes(1) + timestampDelta(1) + offsetDelta(1) + key(1) + value(1) + headers(1). */
    static final int MIN_RECORD_SIZE = 7;
    private static final int MIN_BODY_SIZE = MIN_RECORD_SIZE - 1;

    private ByteBuffer buffer;
    private int start;
    private int position;
    private int limit;

    // The record parsed by the last next(); positions are absolute in buffer.
    int size;
    byte attributes;
    long timestampDelta;
    int offsetDelta;
    int keyPosition;
    int keySize;
    int valuePosition;
    int valueSize;
    int headersPosition;
    int headerCount;

    RecordCursor reset(ByteBuffer buffer, int position, int limit) {
        this.buffer = buffer;
        this.start = position;
        this.position = position;
        this.limit = limit;
        return this;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    int position() {
        return position;
    }

    int remaining() {
        return limit - position;
    }

    boolean hasRemaining() {
        return position < limit;
    }

    /** Parses the record at the cursor and moves past it. */
    void next() {
        int recordStart = position;
        int bodySize = readVarint();
        if (bodySize < MIN_BODY_SIZE) {
            throw corrupt("record length " + bodySize + " is below the minimum of " + MIN_BODY_SIZE, recordStart);
        }
        if (bodySize > limit - position) {
            throw corrupt("record of " + bodySize + " bytes runs past the end of the batch (" + (limit - position)
                    + " bytes left)", recordStart);
        }
        int outerLimit = limit;
        limit = position + bodySize;
        try {
            attributes = buffer.get(position++);
            timestampDelta = readVarlong();
            offsetDelta = readVarint();
            keySize = readVarint();
            keyPosition = position;
            skipBytes(keySize, "key", recordStart);
            valueSize = readVarint();
            valuePosition = position;
            skipBytes(valueSize, "value", recordStart);
            headerCount = readVarint();
            headersPosition = position;
            // Each header takes at least two bytes (key length and value length).
            if (headerCount < 0 || headerCount > (limit - position) / 2) {
                throw corrupt("invalid header count " + headerCount, recordStart);
            }
            for (int i = 0; i < headerCount; i++) {
                int headerKeySize = readVarint();
                if (headerKeySize < 0) {
                    throw corrupt("negative header key length " + headerKeySize, recordStart);
                }
                skipBytes(headerKeySize, "header key", recordStart);
                skipBytes(readVarint(), "header value", recordStart);
            }
            if (position != limit) {
                throw corrupt("record declares " + bodySize + " bytes but its fields end " + (limit - position)
                        + " bytes earlier", recordStart);
            }
        } finally {
            limit = outerLimit;
        }
        size = position - recordStart;
    }

    private void skipBytes(int length, String what, int recordStart) {
        if (length < -1) {
            throw corrupt("invalid " + what + " length " + length, recordStart);
        }
        if (length > limit - position) {
            throw corrupt(what + " of " + length + " bytes runs past the end of its record", recordStart);
        }
        if (length > 0) {
            position += length;
        }
    }

    void skip(int length) {
        position += length;
    }

    int readVarint() {
        int raw = 0;
        for (int shift = 0; ; shift += 7) {
            if (position >= limit) {
                throw corrupt("varint runs past the end of its record", position);
            }
            byte b = buffer.get(position++);
            raw |= (b & 0x7F) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
            if (shift == 28) {
                throw corrupt("varint longer than 5 bytes", position);
            }
        }
    }

    long readVarlong() {
        long raw = 0;
        for (int shift = 0; ; shift += 7) {
            if (position >= limit) {
                throw corrupt("varlong runs past the end of its record", position);
            }
            byte b = buffer.get(position++);
            raw |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
            if (shift == 63) {
                throw corrupt("varlong longer than 10 bytes", position);
            }
        }
    }

    private CorruptRecordException corrupt(String message, int at) {
        return new CorruptRecordException(message + " (at byte " + (at - start) + " of the records)");
    }
}
