package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.kafka.common.compress.Lz4BlockOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Our LZ4 frame reader against frames other writers produce: lz4-java's reference frame writer
 * with every optional feature, and Kafka's own writer with block checksums on.
 */
class Lz4FrameTest {
    private static final byte[] CONTENT = content(300_000);

    private static byte[] content(int n) {
        Random random = new Random(3);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (random.nextInt(8) == 0 ? random.nextInt() : 'x' + i % 5);
        }
        return b;
    }

    private static byte[] decompress(byte[] frame, int maxSize) {
        GrowableBytes out = new GrowableBytes(16);
        Lz4Frame.decompress(frame, 0, frame.length, out, maxSize);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static byte[] referenceFrame(BLOCKSIZE size, Bits... bits) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(sink, size, CONTENT.length, bits)) {
            out.write(CONTENT);
        }
        return sink.toByteArray();
    }

    @Test
    void readsFramesWithEveryOptionalFeature() throws IOException {
        for (BLOCKSIZE size : BLOCKSIZE.values()) {
            byte[] all = referenceFrame(size, Bits.BLOCK_INDEPENDENCE, Bits.BLOCK_CHECKSUM, Bits.CONTENT_SIZE,
                    Bits.CONTENT_CHECKSUM);
            assertThat(decompress(all, Integer.MAX_VALUE - 8)).as("%s", size).isEqualTo(CONTENT);
            byte[] plain = referenceFrame(size, Bits.BLOCK_INDEPENDENCE);
            assertThat(decompress(plain, Integer.MAX_VALUE - 8)).isEqualTo(CONTENT);
        }
    }

    @Test
    void checksumsAreVerified() throws IOException {
        byte[] frame = referenceFrame(BLOCKSIZE.SIZE_64KB, Bits.BLOCK_INDEPENDENCE, Bits.BLOCK_CHECKSUM,
                Bits.CONTENT_CHECKSUM);
        byte[] badContentChecksum = frame.clone();
        badContentChecksum[frame.length - 1] ^= 1;
        assertThatThrownBy(() -> decompress(badContentChecksum, Integer.MAX_VALUE - 8))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("content checksum");

        byte[] badDescriptor = frame.clone();
        badDescriptor[6] ^= 1;
        assertThatThrownBy(() -> decompress(badDescriptor, Integer.MAX_VALUE - 8))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("descriptor checksum");

        byte[] badBlock = frame.clone();
        badBlock[20] ^= 1;
        assertThatThrownBy(() -> decompress(badBlock, Integer.MAX_VALUE - 8)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void readsKafkasFramesWithBlockChecksums() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (Lz4BlockOutputStream out = new Lz4BlockOutputStream(sink, Lz4BlockOutputStream.BLOCKSIZE_64KB,
                Lz4Frame.DEFAULT_LEVEL, true, false)) {
            out.write(CONTENT);
        }
        assertThat(decompress(sink.toByteArray(), Integer.MAX_VALUE - 8)).isEqualTo(CONTENT);
    }

    @Test
    void linkedBlocksAreRefused() throws IOException {
        // lz4-java will not write linked blocks; clear the flag in a valid frame and re-sign its descriptor.
        byte[] linked = referenceFrame(BLOCKSIZE.SIZE_64KB, Bits.BLOCK_INDEPENDENCE);
        linked[4] &= ~0x20;
        linked[6] = (byte) (XXHashFactory.fastestInstance().hash32().hash(linked, 4, 2, 0) >>> 8);
        assertThatThrownBy(() -> decompress(linked, Integer.MAX_VALUE - 8))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("linked blocks");
    }

    @Test
    void aDeclaredContentSizeOverTheBoundFailsBeforeDecompressing() throws IOException {
        byte[] frame = referenceFrame(BLOCKSIZE.SIZE_4MB, Bits.BLOCK_INDEPENDENCE, Bits.CONTENT_SIZE);
        assertThatThrownBy(() -> decompress(frame, 1000))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("limit");
        byte[] withoutSize = referenceFrame(BLOCKSIZE.SIZE_4MB, Bits.BLOCK_INDEPENDENCE);
        assertThatThrownBy(() -> decompress(withoutSize, 1000))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("limit");
    }

    @Test
    void roundTripsIncompressibleAndEmptyInputs() {
        byte[] noise = new byte[200_000];
        new Random(5).nextBytes(noise);
        for (byte[] input : new byte[][] {noise, new byte[0], new byte[65_536], CONTENT}) {
            for (int level : new int[] {Lz4Frame.DEFAULT_LEVEL, 1, 17}) {
                GrowableBytes frame = new GrowableBytes(16);
                Lz4Frame.compress(input, 0, input.length, frame, level);
                assertThat(decompress(Arrays.copyOf(frame.array(), frame.size()), Integer.MAX_VALUE - 8))
                        .isEqualTo(input);
            }
        }
    }
}
