package io.fjord.record;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The LZ4 frame format (lz4_Frame_format.md, v1.5) as Kafka frames batch payloads since magic 1
 * (KIP-57): independent blocks of at most 64 KiB, no content size, no checksums, and a header
 * checksum over the frame descriptor only. Reading accepts what the spec allows around that
 * (block sizes up to 4 MiB, block and content checksums, a content size) but not linked blocks or
 * dictionaries, which Kafka's own reader refuses as well.
 */
final class Lz4Frame {
    static final int MAGIC = 0x184D2204;
    /** Kafka's level for lz4 when none is configured; it selects the fast (non-HC) compressor. */
    static final int DEFAULT_LEVEL = 9;
    static final int MIN_LEVEL = 1;
    static final int MAX_LEVEL = 17;

    private static final int BLOCK_SIZE = 64 * 1024;
    /** Version 01, independent blocks; no block checksum, content size, content checksum or dictionary. */
    private static final byte FLG_WRITTEN = 0x60;
    /** Block maximum size id 4 (64 KiB). */
    private static final byte BD_WRITTEN = 0x40;
    private static final int UNCOMPRESSED_BLOCK = 0x80000000;
    private static final long MAX_EXPANSION = 256;

    private static final int FLG_VERSION_MASK = 0xC0;
    private static final int FLG_VERSION_01 = 0x40;
    private static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    private static final int FLG_BLOCK_CHECKSUM = 0x10;
    private static final int FLG_CONTENT_SIZE = 0x08;
    private static final int FLG_CONTENT_CHECKSUM = 0x04;
    private static final int FLG_RESERVED_AND_DICT = 0x03;

    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    private static final LZ4Compressor FAST = FACTORY.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    private Lz4Frame() {
    }

    /** Appends one frame holding {@code src[off, off+len)} to {@code out}. */
    static void compress(byte[] src, int off, int len, GrowableBytes out, int level) {
        LZ4Compressor compressor = level == DEFAULT_LEVEL ? FAST : FACTORY.highCompressor(level);
        out.ensureWritable(7);
        byte[] dst = out.array();
        int pos = out.size();
        putIntLE(dst, pos, MAGIC);
        dst[pos + 4] = FLG_WRITTEN;
        dst[pos + 5] = BD_WRITTEN;
        dst[pos + 6] = headerChecksum(dst, pos + 4, 2);
        out.size(pos + 7);

        for (int done = 0; done < len; done += BLOCK_SIZE) {
            int n = Math.min(BLOCK_SIZE, len - done);
            int bound = compressor.maxCompressedLength(n);
            out.ensureWritable(4 + Math.max(bound, n));
            dst = out.array();
            pos = out.size();
            int compressed = compressor.compress(src, off + done, n, dst, pos + 4, bound);
            if (compressed >= n) {
                // Incompressible input is stored as is, flagged by the block size's high bit.
                System.arraycopy(src, off + done, dst, pos + 4, n);
                putIntLE(dst, pos, n | UNCOMPRESSED_BLOCK);
                out.size(pos + 4 + n);
            } else {
                putIntLE(dst, pos, compressed);
                out.size(pos + 4 + compressed);
            }
        }
        out.ensureWritable(4);
        putIntLE(out.array(), out.size(), 0);
        out.size(out.size() + 4);
    }

    /**
     * Appends the content of the frame in {@code src[off, off+len)} to {@code out}, never letting
     * {@code out} hold more than {@code maxSize} bytes. Bytes after the end mark are ignored, as
     * Kafka's reader ignores them.
     */
    static void decompress(byte[] src, int off, int len, GrowableBytes out, int maxSize) {
        int end = off + len;
        if (len < 7) {
            throw corrupt("lz4 frame of " + len + " bytes is shorter than its header");
        }
        if (getIntLE(src, off) != MAGIC) {
            throw corrupt("lz4 frame has wrong magic 0x" + Integer.toHexString(getIntLE(src, off)));
        }
        int flg = src[off + 4] & 0xFF;
        int bd = src[off + 5] & 0xFF;
        if ((flg & FLG_VERSION_MASK) != FLG_VERSION_01) {
            throw corrupt("lz4 frame version " + (flg >>> 6) + " is not supported");
        }
        if ((flg & FLG_RESERVED_AND_DICT) != 0) {
            throw corrupt("lz4 frame uses a dictionary or reserved flag bits");
        }
        if ((flg & FLG_BLOCK_INDEPENDENCE) == 0) {
            throw corrupt("lz4 frames with linked blocks are not supported (Kafka writes independent blocks)");
        }
        int blockSizeId = (bd >>> 4) & 0x07;
        if ((bd & 0x8F) != 0 || blockSizeId < 4) {
            throw corrupt("lz4 frame has an invalid block descriptor 0x" + Integer.toHexString(bd));
        }
        int maxBlockSize = 1 << (2 * blockSizeId + 8);
        int descriptorLength = (flg & FLG_CONTENT_SIZE) != 0 ? 10 : 2;
        int pos = off + 4 + descriptorLength;
        if (pos >= end) {
            throw corrupt("lz4 frame descriptor is truncated");
        }
        if (src[pos] != headerChecksum(src, off + 4, descriptorLength)) {
            throw corrupt("lz4 frame descriptor checksum mismatch");
        }
        pos++;
        long contentSize = -1;
        if ((flg & FLG_CONTENT_SIZE) != 0) {
            contentSize = getLongLE(src, off + 6);
            if (contentSize < 0 || contentSize > maxSize - out.size()) {
                throw corrupt("lz4 frame declares " + Long.toUnsignedString(contentSize)
                        + " bytes of content, more than the limit of " + maxSize);
            }
            // Presize from the declaration only when the frame's bytes could produce that much
            // (LZ4 expands at most ~255x): a lie must not buy an allocation.
            if (contentSize > MAX_EXPANSION * len) {
                throw corrupt("lz4 frame declares " + contentSize + " bytes of content, more than its "
                        + len + " bytes can hold");
            }
            out.grow(out.size() + contentSize, maxSize);
        }
        boolean blockChecksums = (flg & FLG_BLOCK_CHECKSUM) != 0;
        int contentStart = out.size();

        while (true) {
            if (end - pos < 4) {
                throw corrupt("lz4 frame ends without an end mark");
            }
            int word = getIntLE(src, pos);
            pos += 4;
            if (word == 0) {
                break;
            }
            boolean stored = (word & UNCOMPRESSED_BLOCK) != 0;
            int blockSize = word & ~UNCOMPRESSED_BLOCK;
            if (blockSize > maxBlockSize) {
                throw corrupt("lz4 block of " + blockSize + " bytes exceeds the frame's maximum of " + maxBlockSize);
            }
            if (blockSize > end - pos - (blockChecksums ? 4 : 0)) {
                throw corrupt("lz4 block of " + blockSize + " bytes is truncated");
            }
            int room = maxSize - out.size();
            if (stored) {
                if (blockSize > room) {
                    throw Decompressor.tooLarge(maxSize);
                }
                out.write(src, pos, blockSize);
            } else {
                int maxOutput = Math.min(maxBlockSize, room);
                out.grow((long) out.size() + maxOutput, maxSize);
                int produced;
                try {
                    produced = DECOMPRESSOR.decompress(src, pos, blockSize, out.array(), out.size(), maxOutput);
                } catch (LZ4Exception e) {
                    throw new CorruptRecordException(maxOutput < maxBlockSize
                            ? "lz4 block is malformed or decompresses past the limit of " + maxSize + " bytes"
                            : "lz4 block is malformed", e);
                }
                out.size(out.size() + produced);
            }
            if (blockChecksums) {
                if (XXHASH.hash(src, pos, blockSize, 0) != getIntLE(src, pos + blockSize)) {
                    throw corrupt("lz4 block checksum mismatch");
                }
                pos += 4;
            }
            pos += blockSize;
        }

        int contentLength = out.size() - contentStart;
        if (contentSize >= 0 && contentSize != contentLength) {
            throw corrupt("lz4 frame declares " + contentSize + " bytes of content but holds " + contentLength);
        }
        if ((flg & FLG_CONTENT_CHECKSUM) != 0) {
            if (end - pos < 4) {
                throw corrupt("lz4 content checksum is truncated");
            }
            if (XXHASH.hash(out.array(), contentStart, contentLength, 0) != getIntLE(src, pos)) {
                throw corrupt("lz4 content checksum mismatch");
            }
        }
    }

    /** The descriptor checksum: the second byte of the descriptor's xxHash32 (seed 0). */
    private static byte headerChecksum(byte[] array, int off, int len) {
        return (byte) (XXHASH.hash(array, off, len, 0) >>> 8);
    }

    private static void putIntLE(byte[] a, int pos, int v) {
        a[pos] = (byte) v;
        a[pos + 1] = (byte) (v >>> 8);
        a[pos + 2] = (byte) (v >>> 16);
        a[pos + 3] = (byte) (v >>> 24);
    }

    private static int getIntLE(byte[] a, int pos) {
        return (a[pos] & 0xFF) | (a[pos + 1] & 0xFF) << 8 | (a[pos + 2] & 0xFF) << 16 | (a[pos + 3] & 0xFF) << 24;
    }

    private static long getLongLE(byte[] a, int pos) {
        return (getIntLE(a, pos) & 0xFFFFFFFFL) | (long) getIntLE(a, pos + 4) << 32;
    }

    private static CorruptRecordException corrupt(String message) {
        return new CorruptRecordException(message);
    }
}
