package io.fjord.log;

import io.fjord.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the batches of a segment file from the start, checking each as recovery must: a sane length that
 * fits the file, magic 2, a CRC32C that matches, offsets that never go backwards and stay within the
 * segment's int32 relative range. Reads in large chunks so a scan costs about one read per chunk; a batch
 * larger than the chunk grows the buffer.
 */
final class BatchFileReader {
    private static final int CHUNK = 256 * 1024;
    private static final int MIN_BATCH_LENGTH = RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD;

    private final FileChannel channel;
    private final long fileSize;
    private final long segmentBaseOffset;
    private final RecordBatch view = new RecordBatch();
    private ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    /** File position of buffer index 0. */
    private long bufferFilePosition;
    private long position;
    private long expectedOffset;

    private int batchSize;
    private long batchBaseOffset;
    private int batchLastOffsetDelta;
    private long batchMaxTimestamp;
    private String problem;

    BatchFileReader(FileChannel channel, long fileSize, long segmentBaseOffset) {
        this.channel = channel;
        this.fileSize = fileSize;
        this.segmentBaseOffset = segmentBaseOffset;
        this.expectedOffset = segmentBaseOffset;
        buffer.limit(0);
    }

    /**
     * Advances to the next batch. Returns false at the end of the file, or at the first bad batch, in which
     * case {@link #problem()} says why and {@link #position()} is where it starts.
     */
    boolean next() throws IOException {
        if (batchSize > 0) {
            position += batchSize;
            batchSize = 0;
        }
        long remaining = fileSize - position;
        if (remaining == 0) {
            return false;
        }
        if (remaining < RecordBatch.HEADER_SIZE) {
            return fail("incomplete batch header (" + remaining + " bytes at the end of the file)");
        }
        if (!ensure(RecordBatch.HEADER_SIZE)) {
            return fail("file shorter than its size while reading");
        }
        int at = (int) (position - bufferFilePosition);
        int length = buffer.getInt(at + RecordBatch.LENGTH_OFFSET);
        if (length < MIN_BATCH_LENGTH) {
            return fail("invalid batch length " + length);
        }
        if (length > remaining - RecordBatch.LOG_OVERHEAD) {
            return fail("batch length " + length + " runs past the end of the file (torn write)");
        }
        byte magic = buffer.get(at + RecordBatch.MAGIC_OFFSET);
        if (magic != RecordBatch.MAGIC) {
            return fail("unsupported magic " + magic);
        }
        int size = length + RecordBatch.LOG_OVERHEAD;
        if (!ensure(size)) {
            return fail("file shorter than its size while reading");
        }
        at = (int) (position - bufferFilePosition);
        view.wrap(buffer, at);
        long baseOffset = view.baseOffset();
        int lastOffsetDelta = view.lastOffsetDelta();
        if (!view.isValid()) {
            return fail("CRC mismatch (stored " + view.crc() + ", computed " + view.computeCrc() + ")");
        }
        if (lastOffsetDelta < 0) {
            return fail("negative lastOffsetDelta " + lastOffsetDelta);
        }
        if (baseOffset < expectedOffset) {
            return fail("base offset " + baseOffset + " is below the expected " + expectedOffset);
        }
        if (baseOffset + lastOffsetDelta - segmentBaseOffset > Integer.MAX_VALUE) {
            return fail("offset " + (baseOffset + lastOffsetDelta) + " does not fit the segment's relative range");
        }
        batchSize = size;
        batchBaseOffset = baseOffset;
        batchLastOffsetDelta = lastOffsetDelta;
        batchMaxTimestamp = view.maxTimestamp();
        expectedOffset = baseOffset + lastOffsetDelta + 1;
        return true;
    }

    /** Makes {@code bytes} bytes from {@link #position} available in the buffer. */
    private boolean ensure(int bytes) throws IOException {
        long end = bufferFilePosition + buffer.limit();
        if (position >= bufferFilePosition && position + bytes <= end) {
            return true;
        }
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(Math.max(bytes, buffer.capacity() * 2));
        }
        buffer.clear();
        int want = (int) Math.min(buffer.capacity(), fileSize - position);
        buffer.limit(want);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                break;
            }
        }
        buffer.flip();
        bufferFilePosition = position;
        return buffer.limit() >= bytes;
    }

    private boolean fail(String reason) {
        problem = reason;
        return false;
    }

    String problem() {
        return problem;
    }

    long position() {
        return position;
    }

    int batchSize() {
        return batchSize;
    }

    long baseOffset() {
        return batchBaseOffset;
    }

    int lastOffsetDelta() {
        return batchLastOffsetDelta;
    }

    long maxTimestamp() {
        return batchMaxTimestamp;
    }

    /** The offset after the last good batch, i.e. the segment's next offset if the scan stopped here. */
    long nextOffset() {
        return expectedOffset;
    }
}
