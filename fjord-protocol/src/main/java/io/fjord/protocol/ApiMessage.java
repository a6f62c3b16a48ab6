package io.fjord.protocol;

/** A top-level request or response body; {@link #apiKey()} is -1 for headers and data messages. */
public interface ApiMessage extends Message {
    short apiKey();
}
