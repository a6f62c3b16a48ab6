package io.fjord.network;

import io.fjord.api.ApiRegistry;
import io.fjord.api.CloseConnectionException;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one connection. Clients pipeline requests and match responses to them by
 * order as much as by correlation id, so responses leave strictly in request order even when
 * handlers finish out of order: each request takes a place in a queue, and the head of the queue is
 * written as soon as it is done. All state here is touched only on the channel's event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    /** Requests in flight before we stop reading from the socket, so a client cannot queue unbounded work. */
    static final int MAX_IN_FLIGHT = 128;

    private final RequestReader reader;
    private final String listenerName;
    /**
     * Sends file records zero-copy. A TLS listener (not there yet) will need
     * {@code new ResponseEncoder(true)}: an SslHandler takes only buffers, the bytes must be encrypted in the JVM.
     */
    private final ResponseEncoder encoder = new ResponseEncoder();
    private final ArrayDeque<InFlight> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** Between the first frame of a socket read and its read-complete: flush once at its end. */
    private boolean inReadBatch;
    private boolean pendingFlush;
    private boolean closing;

    ConnectionHandler(ApiRegistry registry, String listenerName) {
        this.reader = new RequestReader(registry, listenerName);
        this.listenerName = listenerName;
    }

    /** One request's place in the response order. */
    private static final class InFlight {
        final RequestContext context;
        final ByteBuf frame;
        boolean done;
        ApiMessage response;
        /** The answer is to close the connection, once every response before this one is out. */
        boolean closeAfter;

        InFlight(RequestContext context, ByteBuf frame) {
            this.context = context;
            this.frame = frame;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        inReadBatch = true;
        if (closing) {
            frame.release();
            return;
        }
        ParsedRequest request;
        try {
            request = reader.read(frame, ctx.channel().remoteAddress(), ctx.channel().eventLoop());
        } catch (BadRequestException e) {
            frame.release();
            closeConnection(e.getMessage());
            return;
        }
        InFlight inFlight = new InFlight(request.context(), frame);
        queue.add(inFlight);
        updateReading();

        CompletableFuture<ApiMessage> future;
        try {
            future = request.handler().handle(request.context(), request.body());
        } catch (RuntimeException e) {
            complete(inFlight, null, e);
            return;
        }
        if (future == null) {
            complete(inFlight, null, new IllegalStateException("the handler returned no future"));
        } else if (future.isDone() && !future.isCompletedExceptionally()) {
            // The common case: answered at once, written now and flushed once per socket read.
            complete(inFlight, future.getNow(null), null);
        } else {
            EventLoop loop = ctx.channel().eventLoop();
            future.whenComplete((response, error) -> {
                if (loop.inEventLoop()) {
                    complete(inFlight, response, error);
                } else {
                    try {
                        loop.execute(() -> complete(inFlight, response, error));
                    } catch (RejectedExecutionException e) {
                        // The node is stopping and the connection with it: let go of the frame and of
                        // whatever the response holds (file records keep segments open).
                        inFlight.frame.release();
                        releaseUnsent(inFlight.context, response);
                    }
                }
            });
        }
    }

    private void complete(InFlight inFlight, ApiMessage response, Throwable error) {
        // The frame backs any records in the request, so it lives until the handler is done.
        inFlight.frame.release();
        if (closing) {
            releaseUnsent(inFlight.context, response);
            return;
        }
        if (unwrap(error) instanceof CloseConnectionException close) {
            RequestContext c = inFlight.context;
            log.debug("Closing connection from {} on listener {} after {} v{} (correlation id {}): {}", c.clientAddress(),
                    listenerName, c.apiKey().title(), c.apiVersion(), c.correlationId(), close.getMessage());
            inFlight.closeAfter = true;
            inFlight.done = true;
            writeReadyResponses();
            return;
        }
        if (error != null) {
            RequestContext c = inFlight.context;
            log.error("Closing connection from {} on listener {}: the {} v{} handler failed (correlation id {})",
                    c.clientAddress(), listenerName, c.apiKey().title(), c.apiVersion(), c.correlationId(), error);
            closeAfterError();
            return;
        }
        inFlight.response = response;
        inFlight.done = true;
        writeReadyResponses();
    }

    private void writeReadyResponses() {
        boolean wrote = false;
        while (!queue.isEmpty() && queue.peekFirst().done) {
            InFlight head = queue.pollFirst();
            if (head.closeAfter) {
                // What was written before goes out first; the close follows it, never overtakes it.
                closing = true;
                dropQueue();
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (head.response == null) {
                continue; // no response by design (acks=0); the order is kept all the same
            }
            RequestContext c = head.context;
            ApiMessage response = head.response;
            // Encoding consumes the response's file records, so nothing may release them after this.
            head.response = null;
            Object out;
            try {
                out = encoder.encode(ctx.alloc(), c.correlationId(), c.apiKey().responseHeaderVersion(c.apiVersion()),
                        response, c.apiVersion());
            } catch (RuntimeException e) {
                log.error("Closing connection from {} on listener {}: cannot write the {} v{} response (correlation id {})",
                        c.clientAddress(), listenerName, c.apiKey().title(), c.apiVersion(), c.correlationId(), e);
                closeAfterError();
                return;
            }
            // Netty releases what it is given once written, failed, or refused by a closed channel.
            if (out instanceof ResponseEncoder.Parts parts) {
                for (Object part : parts.parts()) {
                    ctx.write(part, ctx.voidPromise());
                }
            } else {
                ctx.write(out, ctx.voidPromise());
            }
            wrote = true;
        }
        if (wrote) {
            if (inReadBatch) {
                pendingFlush = true;
            } else {
                ctx.flush();
            }
        }
        updateReading();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBatch = false;
        if (pendingFlush) {
            pendingFlush = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    /** Stops reading while too much is in flight or the socket cannot take more output, so memory stays bounded. */
    private void updateReading() {
        Channel channel = ctx.channel();
        boolean shouldRead = !closing && queue.size() < MAX_IN_FLIGHT && channel.isWritable();
        if (channel.config().isAutoRead() != shouldRead) {
            channel.config().setAutoRead(shouldRead);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private void closeConnection(String reason) {
        log.warn("Closing connection from {} on listener {}: {}", ctx.channel().remoteAddress(), listenerName, reason);
        closing = true;
        dropQueue();
        ctx.close();
    }

    private void closeAfterError() {
        closing = true;
        dropQueue();
        ctx.close();
    }

    /**
     * Forgets the queued requests. Those done but waiting behind a slower one hold responses that
     * will never be written, and fetch responses among them hold segment files open: release those.
     * Those not done release theirs in {@link #complete} when their handlers finish.
     */
    private void dropQueue() {
        for (InFlight inFlight : queue) {
            if (inFlight.done && inFlight.response != null) {
                ApiMessage response = inFlight.response;
                inFlight.response = null;
                releaseUnsent(inFlight.context, response);
            }
        }
        queue.clear();
    }

    private void releaseUnsent(RequestContext context, ApiMessage response) {
        if (response == null) {
            return;
        }
        try {
            ResponseEncoder.releaseUnsent(response, context.apiVersion());
        } catch (RuntimeException e) {
            log.error("Cannot release the unsent {} v{} response (correlation id {})", context.apiKey().title(),
                    context.apiVersion(), context.correlationId(), e);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Requests still in flight release their frames (and responses) when their handlers finish.
        closing = true;
        dropQueue();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // Resets and broken pipes are how clients go away; nothing to report beyond debug.
            log.debug("Connection from {} on listener {} failed: {}", ctx.channel().remoteAddress(), listenerName,
                    cause.toString());
        } else {
            log.warn("Closing connection from {} on listener {} after an unexpected error",
                    ctx.channel().remoteAddress(), listenerName, cause);
        }
        closing = true;
        dropQueue();
        ctx.close();
    }
}
