package io.fjord.network;

import io.fjord.api.ApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;

/** A request frame read into its header, its body and the handler that serves it. */
record ParsedRequest(RequestContext context, ApiHandler handler, ApiMessage body) {
}
