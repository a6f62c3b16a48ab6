package io.fjord.testing;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.message.ApiKey;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/** A plain socket to a node, for sending exactly the bytes a test wants, well-formed or not. */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(ApiKey key, short version, int correlationId, ApiMessage body) throws IOException {
        write(Frames.request(key, version, correlationId, body));
    }

    /** The next response frame, without its size prefix. */
    public ByteBuffer receiveFrame() throws IOException {
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        return ByteBuffer.wrap(frame);
    }

    public <T extends ApiMessage> Frames.Response<T> receive(ApiKey key, short version) throws IOException {
        return Frames.response(receiveFrame(), key, version);
    }

    public <T extends ApiMessage> T roundTrip(ApiKey key, short version, ApiMessage request) throws IOException {
        send(key, version, 42, request);
        Frames.Response<T> response = receive(key, version);
        if (response.correlationId() != 42) {
            throw new AssertionError("correlation id " + response.correlationId() + " instead of 42");
        }
        return response.body();
    }

    /** Whether the server closes the connection within {@code timeout}, reading and dropping anything it still sends. */
    public boolean closedByServerWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (in.read() != -1) {
                // discard
            }
            return true;
        } catch (EOFException | SocketException e) {
            return true; // a reset is a close too
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
