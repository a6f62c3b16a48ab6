package io.fjord.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A flyweight view of one v2 (magic 2) record batch inside a buffer: reads the 61-byte header in
 * place and rewrites the fields the broker owns. Nothing is copied; {@link #wrap} re-points the view.
 *
 * <p>Layout: baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 |
 * crc uint32 | attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
 * producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records. The
 * CRC32C covers everything from attributes to the end, so baseOffset and partitionLeaderEpoch can be
 * rewritten without touching it, while maxTimestamp and attributes cannot.
 */
public final class RecordBatch {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    public static final int HEADER_SIZE = 61;
    /** baseOffset and batchLength precede what batchLength counts. */
    public static final int LOG_OVERHEAD = 12;
    public static final byte MAGIC = 2;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    private static final int COMPRESSION_MASK = 0x07;
    private static final int TIMESTAMP_TYPE_MASK = 0x08;
    private static final int TRANSACTIONAL_MASK = 0x10;
    private static final int CONTROL_MASK = 0x20;
    private static final int DELETE_HORIZON_MASK = 0x40;

    private ByteBuffer buffer;
    private int position;

    /** The attributes word for a new batch; the delete-horizon bit is only ever set by compaction. */
    static short attributes(CompressionType compression, TimestampType timestampType, boolean transactional,
            boolean control) {
        int attributes = compression.id;
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            attributes |= TIMESTAMP_TYPE_MASK;
        }
        if (transactional) {
            attributes |= TRANSACTIONAL_MASK;
        }
        if (control) {
            attributes |= CONTROL_MASK;
        }
        return (short) attributes;
    }

    public RecordBatch() {
    }

    public RecordBatch(ByteBuffer buffer, int position) {
        wrap(buffer, position);
    }

    /** Points this view at the batch starting at absolute {@code position} of {@code buffer}. */
    public RecordBatch wrap(ByteBuffer buffer, int position) {
        this.buffer = buffer;
        this.position = position;
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int position() {
        return position;
    }

    public long baseOffset() {
        return buffer.getLong(position + BASE_OFFSET_OFFSET);
    }

    public void setBaseOffset(long offset) {
        buffer.putLong(position + BASE_OFFSET_OFFSET, offset);
    }

    public int batchLength() {
        return buffer.getInt(position + LENGTH_OFFSET);
    }

    /** The whole batch in bytes, header included. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(position + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(position + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    public byte magic() {
        return buffer.get(position + MAGIC_OFFSET);
    }

    public long crc() {
        return Integer.toUnsignedLong(buffer.getInt(position + CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(position + ATTRIBUTES_OFFSET);
    }

    /** The codec, or null when the attribute bits name none Kafka defines. */
    public CompressionType compressionType() {
        return CompressionType.forId(attributes() & COMPRESSION_MASK);
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_MASK) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_MASK) != 0;
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(position + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buffer.getLong(position + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(position + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(position + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(position + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(position + BASE_SEQUENCE_OFFSET);
    }

    /** The sequence of the last record; sequences wrap from Integer.MAX_VALUE to 0 as in Kafka. */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public boolean hasProducerId() {
        return producerId() > NO_PRODUCER_ID;
    }

    public int recordCount() {
        return buffer.getInt(position + RECORD_COUNT_OFFSET);
    }

    /** The CRC32C of attributes-to-end as the bytes are now. */
    public long computeCrc() {
        CRC32C crc = new CRC32C();
        int start = position + ATTRIBUTES_OFFSET;
        int end = position + sizeInBytes();
        crc.update(buffer.duplicate().limit(end).position(start));
        return crc.getValue();
    }

    /**
     * Whether the stored CRC matches the bytes. A length field that points outside the buffer (or
     * below the header) makes the batch invalid rather than throwing, so a flipped bit in the length
     * is reported like any other corruption.
     */
    public boolean isValid() {
        if (buffer.limit() - position < HEADER_SIZE) {
            return false;
        }
        int length = batchLength();
        if (length < HEADER_SIZE - LOG_OVERHEAD || length > buffer.limit() - position - LOG_OVERHEAD) {
            return false;
        }
        return crc() == computeCrc();
    }

    /**
     * Sets the timestamp type and max timestamp (LogAppendTime stamps the broker's clock here) and
     * recomputes the CRC, which covers both.
     */
    public void setMaxTimestamp(TimestampType type, long maxTimestamp) {
        short attributes = attributes();
        short newAttributes = (short) (type == TimestampType.LOG_APPEND_TIME
                ? attributes | TIMESTAMP_TYPE_MASK : attributes & ~TIMESTAMP_TYPE_MASK);
        if (newAttributes == attributes && maxTimestamp() == maxTimestamp) {
            return;
        }
        buffer.putShort(position + ATTRIBUTES_OFFSET, newAttributes);
        buffer.putLong(position + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buffer.putInt(position + CRC_OFFSET, (int) computeCrc());
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size=" + sizeInBytes()
                + ", magic=" + magic() + ", compression=" + compressionType() + ", records=" + recordCount()
                + ", producerId=" + producerId() + ", baseSequence=" + baseSequence() + ")";
    }
}
