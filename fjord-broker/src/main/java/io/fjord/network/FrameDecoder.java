package io.fjord.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into request frames: a 4-byte big-endian size, then that many bytes.
 * A size that is negative or above {@code socket.request.max.bytes} closes the connection before
 * anything is allocated for it: the size is an untrusted number and must not decide how much memory
 * we take.
 *
 * <p>Record bytes are copied at most once between the socket buffer and the log. A frame that lies
 * whole in one socket read goes on as a retained slice of it, no copy. A frame spread over several
 * reads (a produce request of a few hundred KiB always is) is gathered as retained slices of those
 * reads, and copied once, into a buffer of exactly its size, when its last byte arrives. (Netty's
 * {@code ByteToMessageDecoder} instead appends every read to a growing buffer, which copies a large
 * frame two or three times over as that buffer is enlarged.)
 *
 * <p>A slice pins the whole read buffer it comes from, so slicing is only worth it for pieces that
 * fill much of their buffer. Once a piece of an incomplete frame is small ({@link #worthSlicing}),
 * the frame goes on in one growing buffer instead, copied into; a peer trickling a large frame a few
 * bytes at a time then holds at most 256 KiB or about twice what it sent, never what its size prefix
 * claims beyond that, and never a read buffer (and a component) per byte.
 */
final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);
    private static final int SIZE_PREFIX = 4;
    /** The smallest piece of an incomplete frame kept as a slice of its read rather than copied. */
    static final int MIN_SLICE_BYTES = 4096;
    /**
     * The first capacity of a frame being copied (never more than the frame's size): most requests then fit
     * without the buffer being enlarged and copied again, and an untrusted size prefix still cannot make us
     * take more than this ahead of the bytes actually arriving.
     */
    private static final int COPY_START_BYTES = 256 * 1024;

    private final int maxRequestBytes;
    private final String listenerName;
    private boolean rejected;
    /** What has arrived of an incomplete frame (from its size prefix on, until that is known); null between frames. */
    private CompositeByteBuf partial;
    /** The incomplete frame's bytes once it arrives in small pieces, instead of {@link #partial}; else null. */
    private ByteBuf copied;
    /** The incomplete frame's size once its prefix is complete, else -1. */
    private int partialSize = -1;

    FrameDecoder(int maxRequestBytes, String listenerName) {
        this.maxRequestBytes = maxRequestBytes;
        this.listenerName = listenerName;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (rejected) {
                // The connection is closing; whatever else arrives is meaningless.
                return;
            }
            if ((partial != null || copied != null) && !continuePartial(ctx, in)) {
                return;
            }
            while (!rejected && in.isReadable()) {
                int readable = in.readableBytes();
                if (readable < SIZE_PREFIX) {
                    startPartial(ctx, in, readable, -1);
                    return;
                }
                int size = in.getInt(in.readerIndex());
                if (!acceptable(ctx, size)) {
                    return;
                }
                in.skipBytes(SIZE_PREFIX);
                if (readable - SIZE_PREFIX >= size) {
                    ctx.fireChannelRead(in.readRetainedSlice(size));
                } else {
                    startPartial(ctx, in, readable - SIZE_PREFIX, size);
                    return;
                }
            }
        } finally {
            in.release();
        }
    }

    private void startPartial(ChannelHandlerContext ctx, ByteBuf in, int length, int size) {
        partialSize = size;
        if (size >= 0 && !worthSlicing(in, length)) {
            copied = copyBuffer(ctx, length);
            copied.writeBytes(in, length);
            return;
        }
        // Unbounded components: a bounded composite consolidates (copies) whenever it reaches its limit.
        partial = ctx.alloc().compositeDirectBuffer(Integer.MAX_VALUE);
        partial.addComponent(true, in.readRetainedSlice(length));
    }

    /** Whether {@code length} bytes of {@code in} fill enough of it to be kept as a slice that pins all of it. */
    private static boolean worthSlicing(ByteBuf in, int length) {
        return length >= MIN_SLICE_BYTES && length >= in.capacity() / 2;
    }

    private int received() {
        return copied != null ? copied.readableBytes() : partial.readableBytes();
    }

    /** A buffer for the incomplete frame's copy, with room for {@code atLeast} bytes; it never grows past the frame. */
    private ByteBuf copyBuffer(ChannelHandlerContext ctx, int atLeast) {
        return ctx.alloc().directBuffer(Math.min(partialSize, Math.max(atLeast, COPY_START_BYTES)), partialSize);
    }

    /** From now on the incomplete frame is copied into one buffer; what was gathered so far moves there. */
    private void switchToCopying(ChannelHandlerContext ctx, int next) {
        int have = partial.readableBytes();
        ByteBuf buffer = copyBuffer(ctx, have + next);
        partial.getBytes(partial.readerIndex(), buffer, have);
        partial.release();
        partial = null;
        copied = buffer;
    }

    /** Feeds {@code in} to the incomplete frame; true once that frame went on and {@code in} may hold more. */
    private boolean continuePartial(ChannelHandlerContext ctx, ByteBuf in) {
        if (partialSize < 0) {
            int missing = SIZE_PREFIX - partial.readableBytes();
            int take = Math.min(missing, in.readableBytes());
            partial.addComponent(true, in.readRetainedSlice(take));
            if (take < missing) {
                return false;
            }
            int size = partial.readInt();
            if (!acceptable(ctx, size)) {
                return false;
            }
            partialSize = size;
        }
        int take = Math.min(partialSize - received(), in.readableBytes());
        if (take > 0) {
            // The piece that completes the frame may be small: one such slice per frame costs little.
            boolean completes = received() + take == partialSize;
            if (copied == null && !completes && !worthSlicing(in, take)) {
                switchToCopying(ctx, take);
            }
            if (copied != null) {
                copied.writeBytes(in, take);
            } else {
                partial.addComponent(true, in.readRetainedSlice(take));
            }
        }
        if (received() < partialSize) {
            return false;
        }
        ByteBuf frame;
        if (copied != null) {
            frame = copied;
            copied = null;
        } else {
            frame = ctx.alloc().directBuffer(partialSize, partialSize);
            // Component by component: writeBytes(composite) would first merge the components into a new
            // (heap) buffer through nioBuffer(), a second copy.
            partial.getBytes(partial.readerIndex(), frame, 0, partialSize);
            frame.writerIndex(partialSize);
        }
        releasePartial();
        ctx.fireChannelRead(frame);
        return true;
    }

    private boolean acceptable(ChannelHandlerContext ctx, int size) {
        if (size >= 0 && size <= maxRequestBytes) {
            return true;
        }
        rejected = true;
        releasePartial();
        String reason = size < 0
                ? "request size " + size + " is negative"
                : "request size " + size + " exceeds socket.request.max.bytes=" + maxRequestBytes;
        log.warn("Closing connection from {} on listener {}: {}", ctx.channel().remoteAddress(), listenerName, reason);
        ctx.close();
        return false;
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        if (copied != null) {
            copied.release();
            copied = null;
        }
        partialSize = -1;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePartial();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePartial();
    }
}
