package io.fjord.api;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.ApiVersionsResponseData.ApiVersion;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * ApiVersions: the handshake. A client that asks in a version we do not know gets a v0 answer with
 * UNSUPPORTED_VERSION and our ranges, so it can retry in a version we share instead of giving up.
 */
final class ApiVersionsHandler extends AbstractApiHandler {
    static final short LOWEST_VERSION = 0;
    static final short HIGHEST_VERSION = 4;

    // Kafka's rule for client software names and versions (v3+): alphanumerics, with '-' and '.'
    // allowed inside.
    private static final Pattern SOFTWARE_NAME_OR_VERSION = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    private final List<ApiVersion> apiKeys;

    ApiVersionsHandler(List<ApiVersion> apiKeys) {
        super(ApiKey.API_VERSIONS, LOWEST_VERSION, HIGHEST_VERSION);
        // Shared by every response; responses are only ever written, never changed.
        this.apiKeys = List.copyOf(apiKeys);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request) {
        ApiVersionsResponseData response = new ApiVersionsResponseData();
        if (context.hasUnsupportedVersion()) {
            response.setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setApiKeys(apiKeys);
        } else if (context.apiVersion() >= 3 && !hasValidSoftware((ApiVersionsRequestData) request)) {
            response.setErrorCode(Errors.INVALID_REQUEST.code());
        } else {
            response.setApiKeys(apiKeys);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static boolean hasValidSoftware(ApiVersionsRequestData request) {
        return matches(request.clientSoftwareName()) && matches(request.clientSoftwareVersion());
    }

    private static boolean matches(String s) {
        return s != null && SOFTWARE_NAME_OR_VERSION.matcher(s).matches();
    }
}
