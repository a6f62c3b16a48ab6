package io.fjord.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between clients and a node, for failures a clean shutdown cannot make:
 * {@link #dropResponses()} lets requests through but throws the node's answers away (a node that
 * wrote records and died before answering), {@link #cutAll()} closes every connection. The node
 * advertises the proxy's address so clients reconnect through it; {@link #target(int)} points it
 * at a restarted node. Threads are daemons and everything stops with {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedBytes = new AtomicLong();
    private volatile int targetPort;
    private volatile boolean dropResponses;
    private volatile boolean closed;

    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Where new connections go from now on. */
    public void target(int port) {
        this.targetPort = port;
    }

    /** From now on, bytes from the node to clients are read and discarded; requests still go through. */
    public void dropResponses() {
        dropResponses = true;
    }

    /** Answers reach clients again (on connections made from now on; cut the old ones first). */
    public void passResponses() {
        dropResponses = false;
    }

    /** How many bytes of answers were thrown away. */
    public long droppedBytes() {
        return droppedBytes.get();
    }

    /** Closes every connection open now, both sides. */
    public void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket node = new Socket();
            try {
                node.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                client.setTcpNoDelay(true);
                node.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client); // the node is down: the client sees a refused connection, more or less
                closeQuietly(node);
                continue;
            }
            sockets.add(client);
            sockets.add(node);
            pump(client, node, false);
            pump(node, client, true);
        }
    }

    private void pump(Socket from, Socket to, boolean responses) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (responses && dropResponses) {
                        droppedBytes.addAndGet(n);
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, responses ? "tcp-proxy-down" : "tcp-proxy-up");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cutAll();
    }
}
