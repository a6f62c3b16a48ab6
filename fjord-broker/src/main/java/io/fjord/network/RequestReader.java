package io.fjord.network;

import io.fjord.api.ApiHandler;
import io.fjord.api.ApiRegistry;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufAccessor;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.RequestHeaderData;
import io.netty.buffer.ByteBuf;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledExecutorService;

/** Reads one request frame: the header, then the body in the version the header names. */
final class RequestReader {
    private final ApiRegistry registry;
    private final String listenerName;

    RequestReader(ApiRegistry registry, String listenerName) {
        this.registry = registry;
        this.listenerName = listenerName;
    }

    ParsedRequest read(ByteBuf frame, SocketAddress peer, ScheduledExecutorService eventLoop) throws BadRequestException {
        if (frame.readableBytes() < 8) {
            throw new BadRequestException("a request of " + frame.readableBytes() + " bytes is too short for a request header");
        }
        // The key and version come first in every header version, and decide how to read the rest.
        short keyId = frame.getShort(frame.readerIndex());
        short version = frame.getShort(frame.readerIndex() + 2);
        ApiKey key = ApiKey.forId(keyId);
        if (key == null) {
            throw new BadRequestException("unknown API key " + keyId);
        }
        ApiHandler handler = registry.handler(key);
        if (handler == null) {
            throw new BadRequestException("API key " + keyId + " (" + key.title() + ") is not supported");
        }
        boolean supported = version >= handler.lowestVersion() && version <= handler.highestVersion();
        // A client that does not know our versions yet asks ApiVersions in the newest version it
        // knows; it gets an answer in v0 (see ApiVersionsHandler), every other API gets closed on.
        boolean apiVersionsFallback = !supported && key == ApiKey.API_VERSIONS;
        if (!supported && !apiVersionsFallback) {
            throw new BadRequestException(key.title() + " version " + version + " is not supported (supported: "
                    + handler.lowestVersion() + "-" + handler.highestVersion() + ")");
        }

        ByteBufAccessor in = new ByteBufAccessor(frame);
        RequestHeaderData header;
        try {
            header = new RequestHeaderData(in, key.requestHeaderVersion(version));
        } catch (RuntimeException e) {
            throw new BadRequestException("cannot read the header of a " + key.title() + " v" + version + " request: " + describe(e));
        }
        ApiMessage body;
        short bodyVersion = apiVersionsFallback ? 0 : version;
        if (apiVersionsFallback) {
            // The body's layout in an unknown version is unknown, so it is not read at all.
            body = new ApiVersionsRequestData();
        } else {
            try {
                body = key.newRequest();
                body.read(in, version);
            } catch (RuntimeException e) {
                throw new BadRequestException("cannot read " + key.title() + " v" + version + " request (correlation id "
                        + header.correlationId() + "): " + describe(e));
            }
        }
        RequestContext context = new RequestContext(key, bodyVersion, version, header.correlationId(),
                header.clientId(), listenerName, peer, eventLoop);
        return new ParsedRequest(context, handler, body);
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
