package io.fjord.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.ApiRegistry;
import io.fjord.api.CloseConnectionException;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.FetchableTopicResponse;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.testing.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Responses holding file records on a connection: written as regions in order, and every record
 * reference given back exactly once however the connection ends.
 */
class ConnectionFileResponsesTest {
    @TempDir
    Path dir;
    private FileRecordsFixture file;
    private final Map<Integer, CompletableFuture<ApiMessage>> pending = new HashMap<>();
    private EmbeddedChannel channel;

    /** Answers each fetch when the test says, with the file records the test gives. */
    private final class DeferredFetch extends AbstractApiHandler {
        DeferredFetch() {
            super(ApiKey.FETCH, 4, 18);
        }

        @Override
        public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request) {
            CompletableFuture<ApiMessage> future = new CompletableFuture<>();
            pending.put(context.correlationId(), future);
            return future;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        file = new FileRecordsFixture(dir, 4096);
        channel = new EmbeddedChannel(new FrameDecoder(1 << 20, "TEST"),
                new ConnectionHandler(ApiRegistry.of(List.of(new DeferredFetch())), "TEST"));
    }

    @AfterEach
    void tearDown() throws IOException {
        channel.finishAndReleaseAll();
        file.close();
    }

    private void fetch(int correlationId) {
        fetch(correlationId, (short) 16);
    }

    private void fetch(int correlationId, short version) {
        channel.writeInbound(Unpooled.wrappedBuffer(Frames.request(ApiKey.FETCH, version, correlationId,
                new FetchRequestData())));
    }

    private void answer(int correlationId, int position, int length) {
        pending.get(correlationId).complete(new FetchResponseData().setResponses(List.of(new FetchableTopicResponse()
                .setTopicId(UUID.randomUUID())
                .setPartitions(List.of(new PartitionData().setRecords(file.records(position, length)))))));
        channel.runPendingTasks();
    }

    private List<Object> written() {
        List<Object> out = new ArrayList<>();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            out.add(msg);
        }
        return out;
    }

    @Test
    void fileResponsesAreWrittenAsRegionsInRequestOrder() {
        fetch(1);
        fetch(2);
        answer(2, 1000, 500);
        assertThat(written()).isEmpty();
        answer(1, 0, 100);

        List<Object> out = written();
        // [frame 1: buffer, region, buffer] [frame 2: buffer, region, buffer]
        assertThat(out).hasSize(6);
        assertThat(((ByteBuf) out.get(0)).getInt(4)).isEqualTo(1);
        assertThat(((FileRegion) out.get(1)).count()).isEqualTo(100);
        assertThat(((ByteBuf) out.get(3)).getInt(4)).isEqualTo(2);
        assertThat(((FileRegion) out.get(4)).count()).isEqualTo(500);
        assertThat(file.released).hasValue(0);
        out.forEach(ReferenceCountUtil::release);
        assertThat(file.released).hasValue(2);
    }

    @Test
    void aClosedConnectionReleasesQueuedAndLateFileResponses() {
        fetch(1);
        fetch(2);
        fetch(3);
        answer(2, 0, 10); // done, queued behind 1
        channel.close();
        assertThat(file.released).as("queued response released on close").hasValue(1);

        answer(1, 10, 10); // completes after the close
        assertThat(file.released).hasValue(2);
        answer(3, 20, 10);
        assertThat(file.released).hasValue(3);
        assertThat(written()).isEmpty();
    }

    @Test
    void anUnwritableResponseClosesTheConnectionAndReleasesTheRest() {
        fetch(1, (short) 4);
        fetch(2, (short) 4);
        answer(2, 0, 10);
        // A preferred read replica cannot be told before v11: the handler's bug closes the connection.
        pending.get(1).complete(new FetchResponseData().setResponses(List.of(new FetchableTopicResponse()
                .setTopic("t")
                .setPartitions(List.of(new PartitionData().setPreferredReadReplica(3)
                        .setRecords(file.records(10, 10)))))));
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(written()).isEmpty();
        assertThat(file.released).hasValue(2);
    }

    @Test
    void closeConnectionAnswersWriteEverythingBeforeThemThenClose() {
        fetch(1);
        fetch(2);
        channel.writeInbound(Unpooled.wrappedBuffer(Frames.request(ApiKey.API_VERSIONS, (short) 3, 3,
                new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"))));
        pending.get(2).completeExceptionally(new CloseConnectionException("acks=0 produce failed"));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("request 1 is still to be answered").isTrue();

        answer(1, 0, 10);
        channel.runPendingTasks();
        List<Object> out = written();
        assertThat(out).hasSize(4); // frame 1 in three parts, then the empty buffer that carries the close
        assertThat(((ByteBuf) out.get(0)).getInt(4)).isEqualTo(1);
        out.forEach(ReferenceCountUtil::release);
        assertThat(channel.isOpen()).isFalse();
        assertThat(file.released).hasValue(1);
    }
}
