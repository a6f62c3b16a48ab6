package io.fjord.replication;

import io.fjord.network.Endpoint;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.ListOffsetsRequestData;
import io.fjord.protocol.message.ListOffsetsResponseData;
import io.fjord.protocol.message.RequestHeaderData;
import io.fjord.protocol.message.ResponseHeaderData;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A leader broker as far as a replica fetcher can tell: a socket on 127.0.0.1 that answers ApiVersions,
 * and Fetch and ListOffsets through handlers the test sets. A handler may return null to hang up instead
 * of answering, or block to hold the answer. Every request is recorded, in order.
 */
final class FakeLeader implements AutoCloseable {
    /** The requests received, with the version they came in. */
    record Received(ApiKey key, short version, ApiMessage body) {
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final BlockingQueue<Received> requests = new LinkedBlockingQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    volatile Function<FetchRequestData, FetchResponseData> fetch = request -> new FetchResponseData();
    volatile Function<ListOffsetsRequestData, ListOffsetsResponseData> listOffsets = request -> new ListOffsetsResponseData();

    FakeLeader() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().name("fake-leader-accept").daemon().start(this::accept);
    }

    Endpoint endpoint() {
        return new Endpoint("PLAINTEXT", "127.0.0.1", server.getLocalPort());
    }

    /** The next request of {@code key}, skipping others; fails after {@code seconds}. */
    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T next(ApiKey key, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Received r = requests.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no " + key + " request within " + seconds + " s");
            }
            if (r.key() == key) {
                return (T) r.body();
            }
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                connections.incrementAndGet();
                Thread.ofPlatform().name("fake-leader-conn").daemon().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                ByteBuffer buffer = ByteBuffer.wrap(frame);
                ApiKey key = ApiKey.forId(buffer.getShort(0));
                short version = buffer.getShort(2);
                ByteBufferAccessor reader = new ByteBufferAccessor(buffer);
                RequestHeaderData header = new RequestHeaderData(reader, key.requestHeaderVersion(version));
                ApiMessage request = key.newRequest();
                request.read(reader, version);
                requests.add(new Received(key, version, request));
                ApiMessage response = switch (key) {
                    case API_VERSIONS -> apiVersions();
                    case FETCH -> fetch.apply((FetchRequestData) request);
                    case LIST_OFFSETS -> listOffsets.apply((ListOffsetsRequestData) request);
                    default -> null;
                };
                if (response == null) {
                    return; // hang up, as a broker does on what it cannot answer
                }
                ResponseHeaderData responseHeader = new ResponseHeaderData().setCorrelationId(header.correlationId());
                short headerVersion = key.responseHeaderVersion(version);
                int size = responseHeader.size(headerVersion) + response.size(version);
                ByteBuffer answer = ByteBuffer.allocate(4 + size).putInt(size);
                ByteBufferAccessor writer = new ByteBufferAccessor(answer);
                responseHeader.write(writer, headerVersion);
                response.write(writer, version);
                out.write(answer.array());
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the fetcher hung up, or the test closed us
        }
    }

    private static ApiVersionsResponseData apiVersions() {
        List<ApiVersionsResponseData.ApiVersion> keys = new java.util.ArrayList<>();
        keys.add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKey.API_VERSIONS.id()).setMinVersion((short) 0)
                .setMaxVersion((short) 4));
        keys.add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKey.FETCH.id()).setMinVersion((short) 4)
                .setMaxVersion((short) 18));
        keys.add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKey.LIST_OFFSETS.id()).setMinVersion((short) 1)
                .setMaxVersion((short) 11));
        return new ApiVersionsResponseData().setApiKeys(keys);
    }

    /** Closes every connection the fetcher has open (it must connect again), keeping the listener. */
    void dropConnections() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
        acceptor.interrupt();
    }
}
