package io.fjord.network;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.function.Supplier;

/**
 * The socket implementation: native epoll where it loads, NIO otherwise. Netty would fall back to
 * NIO silently, so the choice and the reason for it are stated.
 */
record Transport(String description, Supplier<IoHandlerFactory> ioHandlers, Class<? extends ServerChannel> serverChannel) {

    static Transport select() {
        if (Epoll.isAvailable()) {
            return new Transport("native epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class);
        }
        Throwable cause = Epoll.unavailabilityCause();
        String reason = cause == null ? "unknown reason" : String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause);
        return new Transport("NIO (native epoll unavailable: " + reason + ")", NioIoHandler::newFactory,
                NioServerSocketChannel.class);
    }

    EventLoopGroup newGroup(int threads, String name) {
        // Daemon threads: the process lives as long as its main thread says, never because of a stray loop.
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), ioHandlers.get());
    }
}
