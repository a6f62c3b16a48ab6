package io.fjord.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import org.xerial.snappy.SnappyError;

/**
 * Inflates compressed batch payloads into one reusable buffer, never past a size bound, so a small
 * hostile batch cannot make the broker allocate without limit. Each call overwrites what the
 * previous one returned. Not thread-safe: one per thread or per reader.
 */
final class Decompressor {
    /**
     * Buffers grown beyond this for one huge batch are dropped, not kept for the next: a reader per
     * thread should not pin its largest batch forever. 4 MiB covers a full 1 MiB batch (Kafka's
     * default max.message.bytes) at a typical compression ratio.
     */
    private static final int RETAINED_CAPACITY = 4 << 20;
    private static final int MIN_CAPACITY = 4096;
    private static final int STREAM_CHUNK = 16 * 1024;

    private final int maxSize;
    private GrowableBytes output;
    private byte[] input;

    Decompressor(int maxSize) {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
        }
        this.maxSize = maxSize;
    }

    int maxSize() {
        return maxSize;
    }

    /**
     * Decompresses {@code length} payload bytes at absolute {@code position} of {@code source} and
     * returns a heap buffer over the result (position 0), valid until the next call.
     */
    ByteBuffer decompress(CompressionType type, ByteBuffer source, int position, int length) {
        if (type == CompressionType.NONE) {
            throw new IllegalArgumentException("payload is not compressed");
        }
        byte[] src;
        int off;
        if (source.hasArray()) {
            src = source.array();
            off = source.arrayOffset() + position;
        } else {
            // Direct or read-only buffers: the codecs here work on arrays, so copy the (compressed,
            // hence smaller) input once.
            src = length <= RETAINED_CAPACITY ? inputScratch(length) : new byte[length];
            source.get(position, src, 0, length);
            off = 0;
        }
        GrowableBytes out = prepareOutput(length);
        try {
            switch (type) {
                case GZIP -> drain(new GZIPInputStream(new ByteArrayInputStream(src, off, length), 8 * 1024), out);
                case SNAPPY -> SnappyFrame.decompress(src, off, length, out, maxSize);
                case LZ4 -> Lz4Frame.decompress(src, off, length, out, maxSize);
                case ZSTD -> drain(new ZstdInputStreamNoFinalizer(
                        new ByteArrayInputStream(src, off, length), RecyclingBufferPool.INSTANCE), out);
                case NONE -> throw new AssertionError("checked above");
            }
        } catch (IOException | SnappyError e) {
            throw new CorruptRecordException(type.configName + " payload cannot be decompressed: " + e.getMessage(), e);
        } catch (CorruptRecordException e) {
            throw e;
        } catch (RuntimeException e) {
            // Codec libraries report malformed input with their own unchecked exceptions.
            throw new CorruptRecordException(type.configName + " payload cannot be decompressed: " + e, e);
        }
        return ByteBuffer.wrap(out.array(), 0, out.size());
    }

    private byte[] inputScratch(int length) {
        if (input == null || input.length < length) {
            input = new byte[Math.max(length, MIN_CAPACITY)];
        }
        return input;
    }

    private GrowableBytes prepareOutput(int compressedLength) {
        int hint = (int) Math.min(maxSize, Math.max(MIN_CAPACITY, 2L * compressedLength));
        if (output == null || output.capacity() > RETAINED_CAPACITY) {
            output = new GrowableBytes(hint);
        } else {
            output.size(0);
            output.grow(hint, Math.max(maxSize, output.capacity()));
        }
        return output;
    }

    /** Reads a decompressing stream to its end into {@code out}, failing once it passes the bound. */
    private void drain(InputStream stream, GrowableBytes out) throws IOException {
        try (stream) {
            while (true) {
                if (out.size() >= maxSize) {
                    // At the bound: only a stream that is really finished may pass.
                    if (stream.read() != -1) {
                        throw Decompressor.tooLarge(maxSize);
                    }
                    return;
                }
                if (out.size() == out.capacity()) {
                    out.grow(Math.min((long) out.size() + STREAM_CHUNK, maxSize), maxSize);
                }
                int room = Math.min(out.capacity(), maxSize) - out.size();
                int n = stream.read(out.array(), out.size(), room);
                if (n < 0) {
                    return;
                }
                out.size(out.size() + n);
            }
        }
    }

    static CorruptRecordException tooLarge(int maxSize) {
        return new CorruptRecordException("records decompress to more than the limit of " + maxSize + " bytes");
    }
}
