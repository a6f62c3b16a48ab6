package io.fjord.record;

import java.io.IOException;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;

/**
 * Snappy as Kafka's Java clients frame it: snappy-java's stream format, a 16-byte header (magic
 * {@code 0x82 "SNAPPY" 0x00}, version 1, compatible version 1) then chunks of a big-endian int32
 * length and one raw snappy block per 32 KiB of input. Payloads without that header are one raw
 * snappy block, which is what librdkafka-based producers send; snappy-java's reader accepts both
 * and so does this one.
 */
final class SnappyFrame {
    private static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    private static final int HEADER_SIZE = MAGIC.length + 8;
    private static final int VERSION = 1;
    private static final int BLOCK_SIZE = 32 * 1024;

    private SnappyFrame() {
    }

    static void compress(byte[] src, int off, int len, GrowableBytes out) throws IOException {
        out.ensureWritable(HEADER_SIZE);
        out.write(MAGIC, 0, MAGIC.length);
        putInt(out, VERSION);
        putInt(out, VERSION);
        for (int done = 0; done < len; done += BLOCK_SIZE) {
            int n = Math.min(BLOCK_SIZE, len - done);
            out.ensureWritable(4 + Snappy.maxCompressedLength(n));
            int pos = out.size();
            int compressed = Snappy.compress(src, off + done, n, out.array(), pos + 4);
            out.size(pos);
            putInt(out, compressed);
            out.size(pos + 4 + compressed);
        }
    }

    static void decompress(byte[] src, int off, int len, GrowableBytes out, int maxSize) {
        try {
            if (!hasStreamHeader(src, off, len)) {
                uncompressBlock(src, off, len, out, maxSize);
                return;
            }
            int end = off + len;
            int pos = off + HEADER_SIZE;
            while (pos < end) {
                if (end - pos < 4) {
                    throw new CorruptRecordException("snappy chunk length is truncated");
                }
                // A second stream header marks streams written back to back, which snappy-java reads on.
                if (hasStreamHeader(src, pos, end - pos)) {
                    pos += HEADER_SIZE;
                    continue;
                }
                int chunk = getInt(src, pos);
                pos += 4;
                if (chunk < 0 || chunk > end - pos) {
                    throw new CorruptRecordException("snappy chunk of " + chunk + " bytes runs past the payload ("
                            + (end - pos) + " bytes left)");
                }
                uncompressBlock(src, pos, chunk, out, maxSize);
                pos += chunk;
            }
        } catch (IOException | SnappyError e) {
            throw new CorruptRecordException("snappy payload cannot be decompressed: " + e.getMessage(), e);
        }
    }

    private static void uncompressBlock(byte[] src, int off, int len, GrowableBytes out, int maxSize)
            throws IOException {
        // The block's own preamble says how much it will produce; snappy writes exactly that much,
        // so checking it against the room (and the limit) first keeps the native call in bounds.
        int expected = Snappy.uncompressedLength(src, off, len);
        if (expected < 0 || expected > maxSize - out.size()) {
            throw Decompressor.tooLarge(maxSize);
        }
        out.grow((long) out.size() + expected, maxSize);
        int produced = Snappy.uncompress(src, off, len, out.array(), out.size());
        if (produced != expected) {
            throw new CorruptRecordException("snappy block produced " + produced + " bytes, expected " + expected);
        }
        out.size(out.size() + produced);
    }

    private static boolean hasStreamHeader(byte[] src, int off, int len) {
        if (len < HEADER_SIZE) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (src[off + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void putInt(GrowableBytes out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static int getInt(byte[] a, int pos) {
        return (a[pos] & 0xFF) << 24 | (a[pos + 1] & 0xFF) << 16 | (a[pos + 2] & 0xFF) << 8 | (a[pos + 3] & 0xFF);
    }
}
