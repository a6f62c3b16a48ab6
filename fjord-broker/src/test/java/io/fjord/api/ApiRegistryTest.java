package io.fjord.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.message.ApiKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ApiRegistryTest {

    private static ApiHandler handler(ApiKey key, int lowest, int highest) {
        return new ApiHandler() {
            @Override
            public ApiKey apiKey() {
                return key;
            }

            @Override
            public short lowestVersion() {
                return (short) lowest;
            }

            @Override
            public short highestVersion() {
                return (short) highest;
            }

            @Override
            public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }

    @Test
    void apiVersionsIsAlwaysThereAndOnlyRegisteredApisAreServed() {
        ApiRegistry registry = ApiRegistry.of(List.of(handler(ApiKey.METADATA, 0, 13)));
        assertThat(registry.handler(ApiKey.API_VERSIONS)).isInstanceOf(ApiVersionsHandler.class);
        assertThat(registry.handler(ApiKey.METADATA).highestVersion()).isEqualTo((short) 13);
        assertThat(registry.handler(ApiKey.FETCH)).isNull();
        assertThat(registry.handler(ApiKey.DESCRIBE_CLUSTER)).isNull();
    }

    @Test
    void aHandlerCannotClaimVersionsTheSpecDoesNotHave() {
        assertThatThrownBy(() -> ApiRegistry.of(List.of(handler(ApiKey.METADATA, 0, 99))))
                .hasMessageContaining("Metadata");
        assertThatThrownBy(() -> ApiRegistry.of(List.of(handler(ApiKey.METADATA, 5, 4))))
                .hasMessageContaining("Metadata");
    }

    @Test
    void anApiCannotHaveTwoHandlers() {
        assertThatThrownBy(() -> ApiRegistry.of(List.of(handler(ApiKey.METADATA, 0, 1), handler(ApiKey.METADATA, 0, 1))))
                .hasMessageContaining("two handlers");
    }
}
