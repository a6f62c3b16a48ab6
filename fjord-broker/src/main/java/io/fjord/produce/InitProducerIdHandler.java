package io.fjord.produce;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.InitProducerIdRequestData;
import io.fjord.protocol.message.InitProducerIdResponseData;
import io.fjord.record.RecordBatch;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InitProducerId, every version: an idempotent producer (no transactional id) gets a fresh producer
 * id with epoch 0, as Kafka's transaction coordinator gives one to any such request, even one that
 * names its current id and epoch (KIP-360): the new id starts its sequences over everywhere.
 *
 * <p>Transactional ids need a transaction coordinator, which does not exist yet: such requests get
 * COORDINATOR_NOT_AVAILABLE, which clients treat as retriable (a transactional producer's
 * initTransactions() waits until max.block.ms, then fails with a timeout).
 */
public final class InitProducerIdHandler extends AbstractApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InitProducerIdHandler.class);

    private final ProducerIdAllocator allocator;

    public InitProducerIdHandler(ProducerIdAllocator allocator) {
        super(ApiKey.INIT_PRODUCER_ID);
        this.allocator = allocator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) message;
        boolean noId = request.producerId() == RecordBatch.NO_PRODUCER_ID;
        boolean noEpoch = request.producerEpoch() == RecordBatch.NO_PRODUCER_EPOCH;
        if (noId != noEpoch) {
            // Kafka's rule: an existing producer names both its id and its epoch, a new one neither.
            return error(Errors.INVALID_REQUEST);
        }
        String transactionalId = request.transactionalId();
        if (transactionalId != null) {
            return error(transactionalId.isEmpty() ? Errors.INVALID_REQUEST : Errors.COORDINATOR_NOT_AVAILABLE);
        }
        CompletableFuture<Long> id;
        try {
            id = allocator.nextProducerId();
        } catch (RuntimeException e) {
            LOG.warn("Cannot allocate a producer id", e);
            return error(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        }
        return id.handle((producerId, failure) -> {
            if (failure != null) {
                // Retriable, as Kafka answers while its block of ids is not there yet.
                return response(Errors.COORDINATOR_LOAD_IN_PROGRESS, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
            }
            return response(Errors.NONE, producerId, (short) 0);
        });
    }

    private static CompletableFuture<ApiMessage> error(Errors error) {
        return CompletableFuture.completedFuture(response(error, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH));
    }

    private static ApiMessage response(Errors error, long producerId, short epoch) {
        return new InitProducerIdResponseData().setErrorCode(error.code()).setProducerId(producerId).setProducerEpoch(epoch);
    }
}
