package io.fjord.api;

import io.fjord.protocol.message.ApiKey;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a handler knows about a request besides its body.
 *
 * @param apiVersion the version the body was read in and the response will be written in
 * @param headerApiVersion the version the client put in the header; differs from {@code apiVersion}
 *     only for an ApiVersions request of a version we do not know, which is answered in v0
 * @param listenerName the listener the request arrived on, which decides the endpoints we advertise
 * @param eventLoop the thread that serves the connection, for handlers that finish later (timers,
 *     wake-ups) and want to do so without handing the work between threads; null outside a server
 */
public record RequestContext(
        ApiKey apiKey,
        short apiVersion,
        short headerApiVersion,
        int correlationId,
        String clientId,
        String listenerName,
        SocketAddress clientAddress,
        ScheduledExecutorService eventLoop) {

    /** A context without an event loop, for handlers called directly (tests). */
    public RequestContext(ApiKey apiKey, short apiVersion, short headerApiVersion, int correlationId, String clientId,
            String listenerName, SocketAddress clientAddress) {
        this(apiKey, apiVersion, headerApiVersion, correlationId, clientId, listenerName, clientAddress, null);
    }

    public boolean hasUnsupportedVersion() {
        return apiVersion != headerApiVersion;
    }
}
