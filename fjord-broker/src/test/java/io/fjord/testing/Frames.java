package io.fjord.testing;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.RequestHeaderData;
import io.fjord.protocol.message.ResponseHeaderData;
import java.nio.ByteBuffer;

/** Request frames as a client writes them, and response frames read back, using our own codec. */
public final class Frames {
    private Frames() {
    }

    /** A whole frame, size prefix included, of a request in {@code version} with header fields as a client sets them. */
    public static byte[] request(ApiKey key, short version, int correlationId, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(key.id())
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId("fjord-test");
        short headerVersion = key.requestHeaderVersion(version);
        int size = header.size(headerVersion) + body.size(version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor out = new ByteBufferAccessor(buffer);
        header.write(out, headerVersion);
        body.write(out, version);
        return buffer.array();
    }

    /** A frame with a well-formed header for {@code key} and {@code version} followed by {@code body}, verbatim. */
    public static byte[] requestWithRawBody(ApiKey key, short version, int correlationId, byte[] body) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(key.id())
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId("fjord-test");
        short headerVersion = key.requestHeaderVersion(version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + header.size(headerVersion) + body.length);
        buffer.putInt(buffer.capacity() - 4);
        header.write(new ByteBufferAccessor(buffer), headerVersion);
        buffer.put(body);
        return buffer.array();
    }

    /** A frame of {@code payload} bytes behind a correct size prefix. */
    public static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    /** The first bytes of a request header, enough for the broker to pick the API and version. */
    public static byte[] headerPrefix(int apiKey, int version, int correlationId) {
        return ByteBuffer.allocate(10).putShort((short) apiKey).putShort((short) version).putInt(correlationId)
                .putShort((short) -1).array();
    }

    /** A response read from a frame (without its size prefix). */
    public record Response<T extends ApiMessage>(int correlationId, T body) {
    }

    @SuppressWarnings("unchecked")
    public static <T extends ApiMessage> Response<T> response(ByteBuffer frame, ApiKey key, short version) {
        ByteBufferAccessor in = new ByteBufferAccessor(frame);
        ResponseHeaderData header = new ResponseHeaderData(in, key.responseHeaderVersion(version));
        ApiMessage body = key.newResponse();
        body.read(in, version);
        if (frame.hasRemaining()) {
            throw new AssertionError(frame.remaining() + " bytes left after reading a " + key.title() + " v" + version
                    + " response");
        }
        return new Response<>(header.correlationId(), (T) body);
    }
}
