package io.fjord.cli;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.RequestHeaderData;
import io.fjord.protocol.message.ResponseHeaderData;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * One blocking Kafka-protocol connection for the command-line tools, written with Fjord's own
 * generated codecs (the CLI must not need kafka-clients at runtime). One request at a time: the
 * tools ask a handful of questions and print the answers, so pipelining would buy nothing.
 * Right after connecting it asks ApiVersions, so every later request can go out in the highest
 * version both sides know ({@link #version}).
 */
final class KafkaConnection implements AutoCloseable {
    /** Larger answers than this are not what a broker sends to these requests; refuse rather than allocate. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    /** ApiVersions v3 is the first flexible one, the version Kafka's own clients have sent since 2.4. */
    private static final short API_VERSIONS_VERSION = 3;
    private static final String CLIENT_ID = "fjord-cli";

    private final String address;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<ApiKey, short[]> brokerVersions = new EnumMap<>(ApiKey.class);
    private int nextCorrelationId = 1;

    private KafkaConnection(String address, Socket socket) throws IOException {
        this.address = address;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to {@code host:port} and learns its API versions.
     *
     * @param timeout bounds the connect and each answer
     * @throws IOException when the node cannot be reached, hangs up, or answers something unreadable
     */
    static KafkaConnection open(String host, int port, Duration timeout) throws IOException {
        String address = host + ":" + port;
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            InetSocketAddress resolved = new InetSocketAddress(host, port);
            if (resolved.isUnresolved()) {
                // Socket.connect would say only the host name.
                throw new UnknownHostException(address + ": unknown host");
            }
            socket.connect(resolved, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            KafkaConnection connection = new KafkaConnection(address, socket);
            connection.learnVersions();
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void learnVersions() throws IOException {
        String version = Fjord.class.getPackage().getImplementationVersion();
        ApiVersionsResponseData response = send(ApiKey.API_VERSIONS, API_VERSIONS_VERSION, new ApiVersionsRequestData()
                .setClientSoftwareName(CLIENT_ID)
                .setClientSoftwareVersion(version != null ? version : "development"));
        if (response.errorCode() != Errors.NONE.code()) {
            throw new IOException(address + " answered ApiVersions with " + errorName(response.errorCode()));
        }
        for (ApiVersionsResponseData.ApiVersion api : response.apiKeys()) {
            ApiKey key = ApiKey.forId(api.apiKey());
            if (key != null) {
                brokerVersions.put(key, new short[] {api.minVersion(), api.maxVersion()});
            }
        }
    }

    /** Where this connection goes, as host:port. */
    String address() {
        return address;
    }

    /**
     * The highest version of {@code key} that both this code and the node support and that is at
     * least {@code atLeast}, or -1 when there is none (the node does not offer the API at all, or
     * only older versions than the caller can use).
     */
    short version(ApiKey key, short atLeast) {
        short[] range = brokerVersions.get(key);
        if (range == null) {
            return -1;
        }
        short highest = (short) Math.min(range[1], key.highestVersion());
        short lowest = (short) Math.max(Math.max(range[0], key.lowestVersion()), atLeast);
        return highest >= lowest ? highest : -1;
    }

    /** Sends {@code request} as {@code version} of {@code key} and returns the decoded answer. */
    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T send(ApiKey key, short version, ApiMessage request) throws IOException {
        int correlationId = nextCorrelationId++;
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(key.id())
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(CLIENT_ID);
        short headerVersion = key.requestHeaderVersion(version);
        int size = header.size(headerVersion) + request.size(version);
        ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(frame);
        header.write(writer, headerVersion);
        request.write(writer, version);
        try {
            out.write(frame.array());
            out.flush();
            int responseSize = in.readInt();
            if (responseSize < 4 || responseSize > MAX_RESPONSE_BYTES) {
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
            // A Kafka broker hangs up on a request it cannot serve (an API or version it does not have).
            throw new IOException(address + " closed the connection instead of answering " + key.title() + " v" + version);
        } catch (SocketTimeoutException e) {
            throw new IOException(address + " did not answer " + key.title() + " within " + socket.getSoTimeout() + " ms");
        } catch (RuntimeException e) {
            // The generated readers throw unchecked exceptions on malformed input.
            throw new IOException(address + " sent an unreadable " + key.title() + " v" + version + " response: "
                    + Fjord.oneLine(e), e);
        }
    }

    /** Kafka's name of an error code, e.g. NOT_CONTROLLER, or the bare number for a code we do not know. */
    static String errorName(short code) {
        Errors error = Errors.forCode(code);
        return error != null ? error.name() : "error code " + code;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was pending; the tool is finishing anyway
        }
    }
}
