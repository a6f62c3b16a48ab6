package io.fjord.replication;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.RequestHeaderData;
import io.fjord.protocol.message.ResponseHeaderData;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

/**
 * One blocking Kafka-protocol connection to a broker (a follower to its leader, and the {@code fjord}
 * command-line tools to the node they ask), with Fjord's generated codecs. One request at a time: a replica fetcher has one fetch in flight per leader,
 * as Kafka's does. Every read is bounded by the socket timeout, so a leader that stops answering (paused,
 * cut off) fails the request instead of hanging the fetcher; {@link #close()} from another thread ends a
 * request in progress at once.
 *
 * <p>Right after connecting it asks ApiVersions, so callers can pick the highest version both sides know
 * ({@link #version}). Records in answers stay undecoded: a {@code records} field is a read-only slice of
 * the answer's frame, which this connection never reuses.
 */
public final class BrokerConnection implements AutoCloseable {
    /** ApiVersions v3 is the first flexible one, what Kafka's own clients send. */
    private static final short API_VERSIONS_VERSION = 3;
    private static final String SOFTWARE_NAME = "fjord-replica-fetcher";

    private final String host;
    private final int port;
    private final String address;
    private final Socket socket = new Socket();
    private final String clientId;
    private final String softwareName;
    private final int maxResponseBytes;
    private final Map<ApiKey, short[]> peerVersions = new EnumMap<>(ApiKey.class);
    private DataInputStream in;
    private OutputStream out;
    private int nextCorrelationId = 1;

    /**
     * A connection not yet made: {@link #close()} works from now on, so whoever holds it can end a
     * {@link #connect} that waits on an unresponsive peer.
     */
    BrokerConnection(String host, int port, String clientId, int maxResponseBytes) {
        this(host, port, clientId, SOFTWARE_NAME, maxResponseBytes);
    }

    private BrokerConnection(String host, int port, String clientId, String softwareName, int maxResponseBytes) {
        this.host = host;
        this.port = port;
        this.address = host + ":" + port;
        this.clientId = clientId;
        this.softwareName = softwareName;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Connects to {@code host:port} and learns its API versions.
     *
     * @param connectTimeoutMs bounds the TCP connect
     * @param readTimeoutMs    bounds the wait for each answer (Kafka's {@code replica.socket.timeout.ms})
     * @param maxResponseBytes larger answer frames are refused (and the connection closed) before allocating them
     * @throws IOException when the broker cannot be reached, hangs up, or answers something unreadable
     */
    public static BrokerConnection open(String host, int port, int connectTimeoutMs, int readTimeoutMs,
            String clientId, int maxResponseBytes) throws IOException {
        return open(host, port, connectTimeoutMs, readTimeoutMs, clientId, SOFTWARE_NAME, maxResponseBytes);
    }

    /** {@link #open}, naming the client software in ApiVersions (KIP-511) as {@code softwareName}. */
    public static BrokerConnection open(String host, int port, int connectTimeoutMs, int readTimeoutMs,
            String clientId, String softwareName, int maxResponseBytes) throws IOException {
        BrokerConnection connection = new BrokerConnection(host, port, clientId, softwareName, maxResponseBytes);
        connection.connect(connectTimeoutMs, readTimeoutMs);
        return connection;
    }

    /** Makes the connection and asks ApiVersions; on failure the connection is closed. */
    void connect(int connectTimeoutMs, int readTimeoutMs) throws IOException {
        try {
            socket.setTcpNoDelay(true);
            InetSocketAddress resolved = new InetSocketAddress(host, port);
            if (resolved.isUnresolved()) {
                throw new UnknownHostException(address + ": unknown host");
            }
            socket.connect(resolved, connectTimeoutMs);
            socket.setSoTimeout(readTimeoutMs);
            in = new DataInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            learnVersions();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void learnVersions() throws IOException {
        ApiVersionsResponseData response = send(ApiKey.API_VERSIONS, API_VERSIONS_VERSION, new ApiVersionsRequestData()
                .setClientSoftwareName(softwareName)
                .setClientSoftwareVersion("1"));
        if (response.errorCode() != Errors.NONE.code()) {
            throw new IOException(address + " answered ApiVersions with " + errorName(response.errorCode()));
        }
        for (ApiVersionsResponseData.ApiVersion api : response.apiKeys()) {
            ApiKey key = ApiKey.forId(api.apiKey());
            if (key != null) {
                peerVersions.put(key, new short[] {api.minVersion(), api.maxVersion()});
            }
        }
    }

    /** host:port of the other end. */
    public String address() {
        return address;
    }

    /**
     * The highest version of {@code key} both sides support, at most {@code atMost} and at least
     * {@code atLeast}; -1 when there is none.
     */
    public short version(ApiKey key, short atLeast, short atMost) {
        short[] range = peerVersions.get(key);
        if (range == null) {
            return -1;
        }
        short highest = (short) Math.min(Math.min(range[1], key.highestVersion()), atMost);
        short lowest = (short) Math.max(Math.max(range[0], key.lowestVersion()), atLeast);
        return highest >= lowest ? highest : -1;
    }

    /**
     * Sends {@code request} as {@code version} of {@code key} and returns the decoded answer.
     *
     * @throws IOException on any failure; the connection is then unusable and must be closed
     */
    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> T send(ApiKey key, short version, ApiMessage request) throws IOException {
        int correlationId = nextCorrelationId++;
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(key.id())
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(clientId);
        short headerVersion = key.requestHeaderVersion(version);
        try {
            int size = header.size(headerVersion) + request.size(version);
            ByteBuffer frame = ByteBuffer.allocate(4 + size);
            frame.putInt(size);
            ByteBufferAccessor writer = new ByteBufferAccessor(frame);
            header.write(writer, headerVersion);
            request.write(writer, version);
            out.write(frame.array(), 0, frame.position());
            out.flush();
            int responseSize = in.readInt();
            if (responseSize < 4 || responseSize > maxResponseBytes) {
                throw new IOException(address + " sent a " + key.title() + " response frame of " + responseSize + " bytes");
            }
            byte[] bytes = new byte[responseSize];
            in.readFully(bytes);
            ByteBufferAccessor reader = new ByteBufferAccessor(ByteBuffer.wrap(bytes));
            ResponseHeaderData responseHeader = new ResponseHeaderData(reader, key.responseHeaderVersion(version));
            if (responseHeader.correlationId() != correlationId) {
                throw new IOException(address + " answered correlation id " + responseHeader.correlationId()
                        + " to request " + correlationId);
            }
            ApiMessage response = key.newResponse();
            response.read(reader, version);
            return (T) response;
        } catch (EOFException e) {
            // A Kafka broker hangs up on a request it cannot serve (an API or version it does not have), or it stopped.
            throw new IOException(address + " closed the connection instead of answering " + key.title() + " v" + version, e);
        } catch (SocketTimeoutException e) {
            throw new IOException(address + " did not answer " + key.title() + " within " + socket.getSoTimeout() + " ms", e);
        } catch (RuntimeException e) {
            // The generated codecs throw unchecked exceptions on malformed input (or a field a version lacks).
            throw new IOException(address + " " + key.title() + " v" + version + " failed: " + e, e);
        }
    }

    /** Kafka's name of an error code, or the bare number for a code we do not know. */
    public static String errorName(short code) {
        Errors error = Errors.forCode(code);
        return error != null ? error.name() : "error code " + code;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    /** Closes the socket; safe from any thread, and a request waiting for its answer fails at once. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to flush that anyone waits for
        }
    }

    @Override
    public String toString() {
        return "BrokerConnection(" + address + ")";
    }
}
