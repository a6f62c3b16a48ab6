package io.fjord.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
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
    void aFrameTrickledInTinyReadsIsCopiedSoNoReadBufferStaysPinned() {
        EmbeddedChannel large = new EmbeddedChannel(new FrameDecoder(1 << 20, "TEST"));
        int size = 20_000;
        // A large read first (kept as a slice), then one byte per read, as a hostile or broken peer sends.
        ByteBuf head = Unpooled.directBuffer(8192).writeInt(size);
        for (int i = 0; i < 8000; i++) {
            head.writeByte(i * 7);
        }
        large.writeInbound(head);
        assertThat(head.refCnt()).as("a read that fills its buffer is kept as a slice").isEqualTo(1);
        for (int i = 8000; i < size; i++) {
            ByteBuf read = Unpooled.directBuffer(64).writeByte(i * 7);
            large.writeInbound(read);
            if (i < size - 1) {
                assertThat(read.refCnt()).as("read %d is copied and released at once", i).isZero();
                assertThat(large.<Object>readInbound()).isNull();
            }
        }
        assertThat(head.refCnt()).as("what was gathered moved into the copy").isZero();
        ByteBuf frame = large.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(size);
        for (int i = 0; i < size; i++) {
            assertThat(frame.getByte(frame.readerIndex() + i)).isEqualTo((byte) (i * 7));
        }
        frame.release();
        assertThat(large.<Object>readInbound()).isNull();
        assertThat(large.isOpen()).isTrue();
        large.finishAndReleaseAll();
    }

    @Test
    void aSmallFirstPieceOfALargeFrameIsCopiedAndTheRestStillArrives() {
        EmbeddedChannel large = new EmbeddedChannel(new FrameDecoder(1 << 20, "TEST"));
        // Two whole small frames and the first bytes of a large one share a big read buffer.
        ByteBuf first = Unpooled.directBuffer(65536).writeInt(1).writeByte(1).writeInt(1).writeByte(2)
                .writeInt(10_000).writeByte(0).writeByte(1);
        large.writeInbound(first);
        ByteBuf one = large.readInbound();
        ByteBuf two = large.readInbound();
        assertThat(one.getByte(0)).isEqualTo((byte) 1);
        assertThat(two.getByte(0)).isEqualTo((byte) 2);
        one.release();
        two.release();
        assertThat(first.refCnt()).as("the big read is not pinned by the large frame's two bytes").isZero();
        ByteBuf rest = Unpooled.directBuffer(10_000);
        for (int i = 2; i < 10_000; i++) {
            rest.writeByte(i);
        }
        large.writeInbound(rest);
        ByteBuf frame = large.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(frame.getByte(frame.readerIndex() + i)).isEqualTo((byte) i);
        }
        frame.release();
        assertThat(rest.refCnt()).isZero();
        large.finishAndReleaseAll();
    }

    @Test
    void anIncompleteFrameIsReleasedWhenTheConnectionCloses() {
        EmbeddedChannel large = new EmbeddedChannel(new FrameDecoder(1 << 20, "TEST"));
        ByteBuf read = Unpooled.directBuffer(8192).writeInt(10_000).writeZero(8000);
        large.writeInbound(read);
        assertThat(read.refCnt()).as("kept while the frame is incomplete").isPositive();
        large.close();
        assertThat(read.refCnt()).isZero();
    }

    @Test
    void anIncompleteFrameBeingCopiedIsReleasedWhenTheConnectionCloses() {
        UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
        EmbeddedChannel large = new EmbeddedChannel(new FrameDecoder(1 << 20, "TEST"));
        large.config().setAllocator(allocator);
        large.writeInbound(Unpooled.directBuffer(64).writeInt(10_000).writeZero(10));
        large.writeInbound(Unpooled.directBuffer(64).writeZero(10));
        assertThat(allocator.metric().usedDirectMemory()).as("the copy of the incomplete frame").isPositive();
        large.close();
        assertThat(allocator.metric().usedDirectMemory()).isZero();
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
