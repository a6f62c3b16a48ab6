package io.fjord.network;

import io.fjord.api.ApiRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts client connections on every listener and hands each one a pipeline of frame decoder and
 * connection handler. One acceptor thread, {@code num.network.threads} event loops for the
 * connections.
 */
public final class SocketServer implements AutoCloseable {
    /** The largest socket read; see where the child channels are configured. */
    static final int MAX_READ_BYTES = 256 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);

    static {
        // Netty's buffer allocators emit JFR events by default, and the first allocation then loads
        // the JFR machinery: ~100 ms on the first request. Off unless asked for explicitly.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
    }

    private final List<Endpoint> listeners;
    private final int maxRequestBytes;
    private final int networkThreads;
    private final ApiRegistry registry;
    private final ChannelGroup channels = new DefaultChannelGroup("fjord-connections", GlobalEventExecutor.INSTANCE);
    private final List<Endpoint> bound = new ArrayList<>();
    private final List<Channel> serverChannels = new ArrayList<>();
    private Transport transport;
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private boolean closed;

    public SocketServer(List<Endpoint> listeners, int maxRequestBytes, int networkThreads, ApiRegistry registry) {
        this.listeners = List.copyOf(listeners);
        this.maxRequestBytes = maxRequestBytes;
        this.networkThreads = networkThreads;
        this.registry = registry;
    }

    /**
     * Loads the transport (native library, Netty's classes) on a background thread, so that it
     * overlaps with whatever else a starting node does; binding later finds it ready. Startup
     * time is a feature here, and this is a large share of it.
     */
    public static void warmUp() {
        Thread thread = new Thread(() -> {
            Transport transport = Transport.select();
            new ServerBootstrap().channel(transport.serverChannel());
        }, "fjord-network-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Binds every listener and returns them with the ports really bound (port 0 becomes the
     * ephemeral one). Connections are not accepted until {@link #startAccepting()}: what we
     * advertise depends on the bound ports, and no client should see a node that cannot say it yet.
     */
    public synchronized List<Endpoint> bind() {
        transport = Transport.select();
        log.info("Network transport: {}", transport.description());
        acceptors = transport.newGroup(1, "fjord-acceptor");
        workers = transport.newGroup(networkThreads, "fjord-network");
        try {
            for (Endpoint listener : listeners) {
                bound.add(bind(listener));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return List.copyOf(bound);
    }

    private Endpoint bind(Endpoint listener) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Reads of up to 256 KiB instead of Netty's 64 KiB: a produce request (W2's are ~130 KiB) then
                // mostly arrives within one read, which FrameDecoder hands on without copying, in fewer
                // recvfrom calls. The size adapts down again for connections that send little.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast("frames", new FrameDecoder(maxRequestBytes, listener.listenerName()));
                        ch.pipeline().addLast("requests", new ConnectionHandler(registry, listener.listenerName()));
                    }
                });
        InetSocketAddress address = listener.host().isEmpty()
                ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.host(), listener.port());
        ChannelFuture future = bootstrap.bind(address).awaitUninterruptibly();
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            throw new IllegalStateException("cannot bind listener " + listener + ": " + cause.getMessage(), cause);
        }
        channels.add(future.channel());
        serverChannels.add(future.channel());
        int port = ((InetSocketAddress) future.channel().localAddress()).getPort();
        return listener.withPort(port);
    }

    /** Starts accepting connections on every bound listener. */
    public synchronized void startAccepting() {
        for (Channel channel : serverChannels) {
            channel.config().setAutoRead(true);
        }
    }

    /** The listeners as bound, valid after {@link #bind()}. */
    public synchronized List<Endpoint> boundListeners() {
        return List.copyOf(bound);
    }

    /** Closes listeners and connections and stops the event loops; waits for them, briefly. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (EventLoopGroup group : new EventLoopGroup[] {acceptors, workers}) {
            if (group != null) {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            }
        }
        for (EventLoopGroup group : new EventLoopGroup[] {acceptors, workers}) {
            if (group != null) {
                group.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
    }
}
