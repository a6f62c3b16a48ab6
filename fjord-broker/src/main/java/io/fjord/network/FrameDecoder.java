package io.fjord.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into request frames: a 4-byte big-endian size, then that many bytes.
 * Each frame goes on as a retained slice of what was received, so nothing is copied. A size that
 * is negative or above {@code socket.request.max.bytes} closes the connection before anything is
 * allocated for it: the size is an untrusted number and must not decide how much memory we take.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

    private final int maxRequestBytes;
    private final String listenerName;
    private boolean rejected;

    FrameDecoder(int maxRequestBytes, String listenerName) {
        this.maxRequestBytes = maxRequestBytes;
        this.listenerName = listenerName;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            // The connection is closing; whatever else arrives is meaningless.
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxRequestBytes) {
            rejected = true;
            in.skipBytes(in.readableBytes());
            String reason = size < 0
                    ? "request size " + size + " is negative"
                    : "request size " + size + " exceeds socket.request.max.bytes=" + maxRequestBytes;
            log.warn("Closing connection from {} on listener {}: {}", ctx.channel().remoteAddress(), listenerName, reason);
            ctx.close();
            return;
        }
        if (in.readableBytes() - 4 < size) {
            return;
        }
        in.skipBytes(4);
        out.add(in.readRetainedSlice(size));
    }
}
