package io.fjord.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.ApiRegistry;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.testing.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Response order and the no-response case, with handlers that finish when the test says so. */
class ConnectionHandlerTest {

    /** Answers Metadata only when the test completes the future it kept for the correlation id. */
    private static final class DeferredMetadata extends AbstractApiHandler {
        final Map<Integer, CompletableFuture<ApiMessage>> pending = new HashMap<>();

        DeferredMetadata() {
            super(ApiKey.METADATA);
        }

        @Override
        public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request) {
            CompletableFuture<ApiMessage> future = new CompletableFuture<>();
            pending.put(context.correlationId(), future);
            return future;
        }

        void answer(int correlationId) {
            pending.get(correlationId).complete(new MetadataResponseData().setClusterId("c" + correlationId));
        }
    }

    /** Produce with acks=0 as far as the network cares: never a response. */
    private static final class SilentProduce extends AbstractApiHandler {
        SilentProduce() {
            super(ApiKey.PRODUCE);
        }

        @Override
        public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private final DeferredMetadata metadata = new DeferredMetadata();
    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1 << 20, "TEST"),
            new ConnectionHandler(ApiRegistry.of(List.of(metadata, new SilentProduce())), "TEST"));

    private void send(ApiKey key, short version, int correlationId, ApiMessage body) {
        channel.writeInbound(Unpooled.wrappedBuffer(Frames.request(key, version, correlationId, body)));
    }

    private List<Integer> writtenCorrelationIds() {
        List<Integer> ids = new ArrayList<>();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            int size = out.readInt();
            assertThat(out.readableBytes()).isEqualTo(size);
            ids.add(out.getInt(out.readerIndex()));
            out.release();
        }
        return ids;
    }

    @Test
    void responsesLeaveInRequestOrderWhateverOrderHandlersFinishIn() {
        short v = 12;
        send(ApiKey.METADATA, v, 1, new MetadataRequestData());
        send(ApiKey.METADATA, v, 2, new MetadataRequestData());
        send(ApiKey.PRODUCE, ApiKey.PRODUCE.highestVersion(), 3, new ProduceRequestData().setAcks((short) 0));
        send(ApiKey.API_VERSIONS, (short) 3, 4, new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
        send(ApiKey.METADATA, v, 5, new MetadataRequestData());

        metadata.answer(5);
        metadata.answer(2);
        channel.runPendingTasks();
        assertThat(writtenCorrelationIds()).as("nothing may overtake request 1").isEmpty();

        metadata.answer(1);
        channel.runPendingTasks();
        // 3 had no response by design and keeps its place all the same.
        assertThat(writtenCorrelationIds()).containsExactly(1, 2, 4, 5);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRequestThatIsAnsweredAtOnceIsWrittenAtOnce() {
        send(ApiKey.API_VERSIONS, (short) 0, 9, new ApiVersionsRequestData());
        ByteBuf out = channel.readOutbound();
        out.skipBytes(4);
        Frames.Response<ApiVersionsResponseData> response = Frames.response(out.nioBuffer(), ApiKey.API_VERSIONS, (short) 0);
        out.release();
        assertThat(response.correlationId()).isEqualTo(9);
        assertThat(response.body().apiKeys()).extracting(a -> (int) a.apiKey())
                .containsExactly((int) ApiKey.PRODUCE.id(), (int) ApiKey.METADATA.id(), (int) ApiKey.API_VERSIONS.id());
    }

    @Test
    void aFailedHandlerClosesTheConnection() {
        send(ApiKey.METADATA, (short) 12, 1, new MetadataRequestData());
        metadata.pending.get(1).completeExceptionally(new IllegalStateException("boom"));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(writtenCorrelationIds()).isEmpty();
    }

    @Test
    void readingStopsWhileTooManyRequestsAreInFlightAndResumesAfter() {
        for (int i = 0; i < ConnectionHandler.MAX_IN_FLIGHT; i++) {
            send(ApiKey.METADATA, (short) 12, i, new MetadataRequestData());
        }
        assertThat(channel.config().isAutoRead()).isFalse();
        for (int i = 0; i < ConnectionHandler.MAX_IN_FLIGHT; i++) {
            metadata.answer(i);
        }
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(writtenCorrelationIds()).hasSize(ConnectionHandler.MAX_IN_FLIGHT);
    }
}
