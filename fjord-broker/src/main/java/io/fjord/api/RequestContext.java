package io.fjord.api;

import io.fjord.protocol.message.ApiKey;
import java.net.SocketAddress;

/**
 * What a handler knows about a request besides its body.
 *
 * @param apiVersion the version the body was read in and the response will be written in
 * @param headerApiVersion the version the client put in the header; differs from {@code apiVersion}
 *     only for an ApiVersions request of a version we do not know, which is answered in v0
 * @param listenerName the listener the request arrived on, which decides the endpoints we advertise
 */
public record RequestContext(
        ApiKey apiKey,
        short apiVersion,
        short headerApiVersion,
        int correlationId,
        String clientId,
        String listenerName,
        SocketAddress clientAddress) {

    public boolean hasUnsupportedVersion() {
        return apiVersion != headerApiVersion;
    }
}
