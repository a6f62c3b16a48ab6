package io.fjord.api;

import io.fjord.protocol.message.ApiKey;

/** An {@link ApiHandler} that states its API key and the versions it implements once, in its constructor. */
public abstract class AbstractApiHandler implements ApiHandler {
    private final ApiKey apiKey;
    private final short lowestVersion;
    private final short highestVersion;

    /** Implements every version the spec defines for {@code apiKey}. */
    protected AbstractApiHandler(ApiKey apiKey) {
        this(apiKey, apiKey.lowestVersion(), apiKey.highestVersion());
    }

    protected AbstractApiHandler(ApiKey apiKey, int lowestVersion, int highestVersion) {
        this.apiKey = apiKey;
        this.lowestVersion = (short) lowestVersion;
        this.highestVersion = (short) highestVersion;
    }

    @Override
    public final ApiKey apiKey() {
        return apiKey;
    }

    @Override
    public final short lowestVersion() {
        return lowestVersion;
    }

    @Override
    public final short highestVersion() {
        return highestVersion;
    }
}
