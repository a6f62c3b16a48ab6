package io.fjord.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses a batch payload the way Kafka's clients frame it for each codec, so any Kafka client
 * (and our own {@link Decompressor}) reads it. Levels follow Kafka's {@code compression.*.level}
 * configs: gzip 1-9, lz4 1-17, zstd -131072..22, each with Kafka's default.
 */
final class Compressor {
    static final int GZIP_DEFAULT_LEVEL = Deflater.DEFAULT_COMPRESSION;
    static final int ZSTD_DEFAULT_LEVEL = 3;
    static final int ZSTD_MIN_LEVEL = -131072;
    static final int ZSTD_MAX_LEVEL = 22;

    private Compressor() {
    }

    static int defaultLevel(CompressionType type) {
        return switch (type) {
            case GZIP -> GZIP_DEFAULT_LEVEL;
            case LZ4 -> Lz4Frame.DEFAULT_LEVEL;
            case ZSTD -> ZSTD_DEFAULT_LEVEL;
            case NONE, SNAPPY -> 0;
        };
    }

    static void checkLevel(CompressionType type, int level) {
        boolean ok = switch (type) {
            case GZIP -> level == GZIP_DEFAULT_LEVEL || (level >= Deflater.BEST_SPEED && level <= Deflater.BEST_COMPRESSION);
            case LZ4 -> level >= Lz4Frame.MIN_LEVEL && level <= Lz4Frame.MAX_LEVEL;
            case ZSTD -> level >= ZSTD_MIN_LEVEL && level <= ZSTD_MAX_LEVEL;
            case NONE, SNAPPY -> level == 0;
        };
        if (!ok) {
            throw new IllegalArgumentException("compression level " + level + " is not valid for " + type.configName);
        }
    }

    /** Appends the compressed form of {@code src[off, off+len)} to {@code out}. */
    static void compress(CompressionType type, int level, byte[] src, int off, int len, GrowableBytes out) {
        try {
            switch (type) {
                case NONE -> out.write(src, off, len);
                case GZIP -> {
                    try (OutputStream gzip = new LeveledGzipOutputStream(out, level)) {
                        gzip.write(src, off, len);
                    }
                }
                case SNAPPY -> SnappyFrame.compress(src, off, len, out);
                case LZ4 -> Lz4Frame.compress(src, off, len, out, level);
                case ZSTD -> {
                    try (OutputStream zstd = new ZstdOutputStreamNoFinalizer(out, RecyclingBufferPool.INSTANCE, level)) {
                        zstd.write(src, off, len);
                        // Kafka's buffered stream flushes before closing, which ends the frame with an
                        // empty last block; doing the same keeps our bytes identical to theirs.
                        zstd.flush();
                    }
                }
            }
        } catch (IOException e) {
            // The sink is memory; an IOException here is a codec library failure, not bad input.
            throw new UncheckedIOException(type.configName + " compression failed", e);
        }
    }

    /** The JDK's gzip stream with a settable level (its deflater is only reachable from a subclass). */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, 8 * 1024);
            def.setLevel(level);
        }
    }
}
