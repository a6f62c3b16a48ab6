package io.fjord.network;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufAccessor;
import io.fjord.protocol.message.ResponseHeaderData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes a response frame: a 4-byte size, the response header, the body. The buffer is taken from
 * the pooled allocator at exactly the size the messages report, so it never grows or copies.
 * One encoder per connection: its header object is reused and it is only used on the event loop.
 */
final class ResponseEncoder {
    private final ResponseHeaderData header = new ResponseHeaderData();

    ByteBuf encode(ByteBufAllocator alloc, int correlationId, short headerVersion, ApiMessage body, short version) {
        header.setCorrelationId(correlationId);
        int size = header.size(headerVersion) + body.size(version);
        ByteBuf buf = alloc.ioBuffer(4 + size, 4 + size);
        try {
            ByteBufAccessor out = new ByteBufAccessor(buf);
            buf.writeInt(size);
            header.write(out, headerVersion);
            body.write(out, version);
            if (buf.readableBytes() != 4 + size) {
                throw new IllegalStateException("response wrote " + (buf.readableBytes() - 4) + " bytes but its size was "
                        + size);
            }
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }
}
