package io.fjord.network;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufAccessor;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ResponseHeaderData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Writes a response frame: a 4-byte size, the response header, the body. The size comes from the
 * messages' own size methods, so buffers are allocated once, at their exact size, from the pool.
 *
 * <p>A response holding {@link FileRecords} (fetch) becomes a sequence of parts: buffer slices for
 * the header and fields, and file regions that the transport sends with sendfile. Encoding consumes
 * the response's references on its file records, whether it succeeds or fails; the parts hold their
 * own. Everything else is one buffer, as before.
 *
 * <p>One encoder per connection: its header object is reused and it is only used on the event loop.
 */
final class ResponseEncoder {
    /** The parts of one response frame, to be written in this order. */
    record Parts(List<Object> parts) {
    }

    private final ResponseHeaderData header = new ResponseHeaderData();
    private final boolean copyFileRecords;

    /** An encoder that sends file records zero-copy. */
    ResponseEncoder() {
        this(false);
    }

    /** @param copyFileRecords read file records into the buffer instead: for TLS, which cannot use sendfile */
    ResponseEncoder(boolean copyFileRecords) {
        this.copyFileRecords = copyFileRecords;
    }

    /** A {@link ByteBuf} holding the whole frame, or {@link Parts} when the body holds file records. */
    Object encode(ByteBufAllocator alloc, int correlationId, short headerVersion, ApiMessage body, short version) {
        header.setCorrelationId(correlationId);
        int size = header.size(headerVersion) + body.size(version);
        FileRecordsScan files = mayHoldFileRecords(body) ? FileRecordsScan.of(body, version) : null;
        if (files == null || files.isEmpty()) {
            return encodeInOneBuffer(alloc, size, headerVersion, body, version);
        }
        try {
            return encodeInParts(alloc, size, files.fileBytes(), headerVersion, body, version);
        } finally {
            files.releaseAll();
        }
    }

    /**
     * Gives back the file records of a response that will never be encoded (its connection closed
     * first). Safe for any response.
     */
    static void releaseUnsent(ApiMessage body, short version) {
        if (mayHoldFileRecords(body)) {
            FileRecordsScan.of(body, version).releaseAll();
        }
    }

    /**
     * Only fetch responses carry records out of the broker; any handler that starts putting
     * FileRecords into another response must be listed here, or the single-buffer path refuses them.
     */
    private static boolean mayHoldFileRecords(ApiMessage body) {
        return body.apiKey() == ApiKey.FETCH.id();
    }

    private ByteBuf encodeInOneBuffer(ByteBufAllocator alloc, int size, short headerVersion, ApiMessage body,
            short version) {
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

    private Parts encodeInParts(ByteBufAllocator alloc, int size, long fileBytes, short headerVersion, ApiMessage body,
            short version) {
        long bufferBytes = 4L + size - (copyFileRecords ? 0 : fileBytes);
        if (fileBytes > size || bufferBytes > Integer.MAX_VALUE) {
            throw new IllegalStateException("response of " + size + " bytes claims " + fileBytes + " bytes of file records");
        }
        SendBuilder out = new SendBuilder(alloc, (int) bufferBytes, copyFileRecords);
        try {
            out.writeInt(size);
            header.write(out, headerVersion);
            body.write(out, version);
            return new Parts(out.finish());
        } catch (RuntimeException e) {
            out.discard();
            throw e;
        }
    }
}
