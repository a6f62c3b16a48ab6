package io.fjord.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.RequestContext;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.InitProducerIdRequestData;
import io.fjord.protocol.message.InitProducerIdResponseData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InitProducerIdHandlerTest {
    private final AtomicLong next = new AtomicLong(7000);
    private final InitProducerIdHandler handler = new InitProducerIdHandler(
            () -> CompletableFuture.completedFuture(next.getAndIncrement()));

    private InitProducerIdResponseData call(InitProducerIdRequestData request) {
        RequestContext context = new RequestContext(ApiKey.INIT_PRODUCER_ID, (short) 5, (short) 5, 1, "test", "PLAINTEXT", null);
        return (InitProducerIdResponseData) handler.handle(context, request).join();
    }

    @Test
    void anIdempotentProducerGetsAFreshIdAtEpochZero() {
        InitProducerIdResponseData first = call(new InitProducerIdRequestData().setTransactionalId(null));
        InitProducerIdResponseData second = call(new InitProducerIdRequestData().setTransactionalId(null)
                .setProducerId(7000).setProducerEpoch((short) 0));
        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.producerId()).isEqualTo(7000);
        assertThat(first.producerEpoch()).isZero();
        // KIP-360's epoch bump request of an idempotent producer: Kafka answers with a new id.
        assertThat(second.producerId()).isEqualTo(7001);
        assertThat(second.producerEpoch()).isZero();
    }

    @Test
    void transactionalIdsWaitForATransactionCoordinator() {
        InitProducerIdResponseData response = call(new InitProducerIdRequestData().setTransactionalId("tx"));
        assertThat(response.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(response.producerId()).isEqualTo(-1);
        assertThat(response.producerEpoch()).isEqualTo((short) -1);
        assertThat(call(new InitProducerIdRequestData().setTransactionalId("")).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void anIdWithoutAnEpochIsInvalid() {
        assertThat(call(new InitProducerIdRequestData().setTransactionalId(null).setProducerId(5)).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void aFailedReservationIsRetriable() {
        InitProducerIdHandler failing = new InitProducerIdHandler(
                () -> CompletableFuture.failedFuture(new IllegalStateException("store closed")));
        RequestContext context = new RequestContext(ApiKey.INIT_PRODUCER_ID, (short) 4, (short) 4, 1, "test", "PLAINTEXT", null);
        InitProducerIdResponseData response = (InitProducerIdResponseData) failing.handle(context,
                new InitProducerIdRequestData().setTransactionalId(null)).join();
        assertThat(Errors.forCode(response.errorCode()).isRetriable()).isTrue();
    }
}
