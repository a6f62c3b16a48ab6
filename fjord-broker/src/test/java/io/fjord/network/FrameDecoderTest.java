package io.fjord.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(16, "TEST"));

    private static ByteBuf bytes(int... values) {
        ByteBuf buf = Unpooled.buffer();
        for (int v : values) {
            buf.writeByte(v);
        }
        return buf;
    }

    @Test
    void framesSplitAcrossReadsAndJoinedInOneReadAreSeparated() {
        channel.writeInbound(bytes(0, 0));
        channel.writeInbound(bytes(0, 2, 7));
        assertThat(channel.<Object>readInbound()).isNull();
        channel.writeInbound(bytes(8, 0, 0, 0, 1, 9, 0, 0, 0, 0));
        ByteBuf first = channel.readInbound();
        ByteBuf second = channel.readInbound();
        ByteBuf third = channel.readInbound();
        assertThat(first.readableBytes()).isEqualTo(2);
        assertThat(first.getByte(0)).isEqualTo((byte) 7);
        assertThat(first.getByte(1)).isEqualTo((byte) 8);
        assertThat(second.readableBytes()).isEqualTo(1);
        assertThat(third.readableBytes()).isZero();
        first.release();
        second.release();
        third.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aFrameSpreadOverManyReadsArrivesWholeAndTheReadsAreReleased() {
        EmbeddedChannel large = new EmbeddedChannel(new FrameDecoder(1 << 20, "TEST"));
        int size = 100_000;
        ByteBuf stream = Unpooled.buffer().writeInt(size);
        for (int i = 0; i < size; i++) {
            stream.writeByte(i * 31);
        }
        stream.writeInt(1).writeByte(42);
        java.util.List<ByteBuf> reads = new java.util.ArrayList<>();
        // Cut so that the second frame's size prefix is split between two reads too.
        for (int at : new int[] {2, 3000, 65536, 100_002, 100_006, stream.readableBytes()}) {
            ByteBuf read = Unpooled.directBuffer().writeBytes(stream, at - stream.readerIndex());
            reads.add(read);
            large.writeInbound(read);
        }
        ByteBuf first = large.readInbound();
        ByteBuf second = large.readInbound();
        assertThat(first.readableBytes()).isEqualTo(size);
        assertThat(first.nioBufferCount()).as("one contiguous buffer").isEqualTo(1);
        for (int i = 0; i < size; i++) {
            assertThat(first.getByte(i)).isEqualTo((byte) (i * 31));
        }
        assertThat(second.readableBytes()).isEqualTo(1);
        assertThat(second.getByte(0)).isEqualTo((byte) 42);
        first.release();
        second.release();
        assertThat(reads).allSatisfy(read -> assertThat(read.refCnt()).isZero());
        assertThat(large.<Object>readInbound()).isNull();
        large.finishAndReleaseAll();
    }

    @Test
    void anIncompleteFrameIsReleasedWhenTheConnectionCloses() {
        EmbeddedChannel large = new EmbeddedChannel(new FrameDecoder(1 << 20, "TEST"));
        ByteBuf read = Unpooled.directBuffer().writeInt(1000).writeZero(10);
        large.writeInbound(read);
        assertThat(read.refCnt()).as("kept while the frame is incomplete").isPositive();
        large.close();
        assertThat(read.refCnt()).isZero();
    }

    @Test
    void aFrameOfExactlyTheLimitIsAccepted() {
        ByteBuf frame = Unpooled.buffer().writeInt(16).writeZero(16);
        channel.writeInbound(frame);
        ByteBuf decoded = channel.readInbound();
        assertThat(decoded.readableBytes()).isEqualTo(16);
        decoded.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aSizeAboveTheLimitClosesWithoutWaitingForTheBytes() {
        channel.writeInbound(Unpooled.buffer().writeInt(17));
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void aNegativeSizeCloses() {
        channel.writeInbound(bytes(0x80, 0, 0, 0, 1, 2, 3));
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.<Object>readInbound()).isNull();
    }
}
