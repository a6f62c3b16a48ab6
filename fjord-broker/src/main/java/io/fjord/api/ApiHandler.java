package io.fjord.api;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.message.ApiKey;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one API. Handlers are called on a network event loop and must not block it: anything
 * slow completes the future later, from any thread.
 */
public interface ApiHandler {

    ApiKey apiKey();

    /** The lowest version whose semantics this handler implements. */
    short lowestVersion();

    /**
     * The lowest version ApiVersions lists, normally {@link #lowestVersion()}. Kafka 4 lists Produce
     * from v0 though it refuses v0-2 (KAFKA-18659: old librdkafka needs to see v0), so a handler may
     * advertise below what it accepts; requests below {@link #lowestVersion()} are still refused.
     */
    default short advertisedLowestVersion() {
        return lowestVersion();
    }

    /** The highest version whose semantics this handler implements. */
    short highestVersion();

    /**
     * Completes with the response body, or with {@code null} when the protocol sends no response
     * at all (produce with acks=0). The request, and any records in it, stay valid until then.
     */
    CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request);
}
