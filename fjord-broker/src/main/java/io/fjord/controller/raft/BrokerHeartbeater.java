package io.fjord.controller.raft;

import io.fjord.controller.MetadataCommand;
import io.fjord.controller.MetadataCommandCodec;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataImages;
import io.fjord.network.Endpoint;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of the lease: registers this node's broker with the active controller and
 * heartbeats until the node stops. A broker-only node also receives its metadata this way: each
 * heartbeat says which image version it has, and the controller answers with a newer image when there
 * is one (holding the answer for up to a heartbeat interval when there is not). When the controller no
 * longer knows this registration (it fenced and replaced it, say), the broker registers again.
 */
final class BrokerHeartbeater implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerHeartbeater.class);

    private final QuorumSettings settings;
    private final ImagePublisher publisher;
    private final Function<MetadataCommand, CompletableFuture<CommandReply>> submitter;
    private final Function<byte[], CompletableFuture<byte[]>> query;
    private final Consumer<MetadataImage> imageSink;
    private final CompletableFuture<Void> unfenced = new CompletableFuture<>();
    private final UUID incarnationId = UUID.randomUUID();
    private volatile boolean closed;
    /** The epoch of this incarnation's current registration, -1 while it has none. */
    private volatile long currentEpoch = -1;
    private Thread thread;
    private String rack;
    private List<Endpoint> endpoints;
    private Runnable onCaughtUp;

    /**
     * @param query     sends a read-only message to the active controller and returns its answer
     * @param imageSink where images received in heartbeat answers go (null on controllers, which apply the log)
     */
    BrokerHeartbeater(QuorumSettings settings, ImagePublisher publisher,
                      Function<MetadataCommand, CompletableFuture<CommandReply>> submitter,
                      Function<byte[], CompletableFuture<byte[]>> query, Consumer<MetadataImage> imageSink) {
        this.settings = settings;
        this.publisher = publisher;
        this.submitter = submitter;
        this.query = query;
        this.imageSink = imageSink;
    }

    /**
     * Registers and starts heartbeating; {@code caughtUp} runs once, when the node's image includes its own
     * registration. Completes when the broker is unfenced.
     */
    synchronized CompletableFuture<Void> start(String brokerRack, List<Endpoint> brokerEndpoints, Runnable caughtUp) {
        if (thread != null) {
            throw new IllegalStateException("already registering");
        }
        this.rack = brokerRack;
        this.endpoints = List.copyOf(brokerEndpoints);
        this.onCaughtUp = caughtUp;
        thread = new Thread(this::run, "fjord-broker-heartbeat");
        thread.setDaemon(true);
        thread.start();
        return unfenced;
    }

    private void run() {
        long epoch = -1;
        boolean caughtUp = false;
        boolean wasFenced = true;
        while (!closed) {
            try {
                if (epoch < 0) {
                    currentEpoch = -1;
                    epoch = register();
                    currentEpoch = epoch;
                }
                long known = publisher.image().version();
                if (!caughtUp && known >= epoch) {
                    // Everything up to our registration is in the image now: partitions can start from it,
                    // and only then may the controller let this broker lead (it unfences on the version we report).
                    try {
                        onCaughtUp.run();
                    } catch (RuntimeException e) {
                        // The node cannot serve this cluster (its data belongs to another, say): it never heartbeats
                        // again, so it stays fenced, and its start fails with the reason.
                        unfenced.completeExceptionally(e);
                        return;
                    }
                    caughtUp = true;
                }
                boolean wantImage = imageSink != null;
                int wait = wantImage && !wasFenced ? settings.heartbeatIntervalMs() : 0;
                QueryMessages.Heartbeat heartbeat = new QueryMessages.Heartbeat(settings.nodeId(), epoch,
                        caughtUp ? known : Math.min(known, epoch - 1), wantImage, wait);
                byte[] answer;
                try {
                    // An answer overdue by a heartbeat interval is given up (the Raft client may still be
                    // retrying it towards a controller that just lost leadership): the next heartbeat is sent at
                    // once, so the lease is kept with whichever controller is active now.
                    answer = query.apply(heartbeat.encode()).get(wait + Math.max(500L, settings.heartbeatIntervalMs()),
                            TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    log.debug("Broker {} heartbeat got no answer in time; sending another", settings.nodeId());
                    continue;
                }
                QueryMessages.HeartbeatReply reply = QueryMessages.HeartbeatReply.decode(answer);
                if (reply.image() != null && imageSink != null) {
                    imageSink.accept(MetadataImages.decode(reply.image()));
                }
                if (!reply.registered()) {
                    log.warn("The active controller no longer knows broker {} epoch {}; registering again", settings.nodeId(), epoch);
                    epoch = -1;
                    continue;
                }
                if (reply.fenced() != wasFenced) {
                    log.info("Broker {} is {} (epoch {})", settings.nodeId(), reply.fenced() ? "fenced" : "unfenced", epoch);
                    wasFenced = reply.fenced();
                }
                if (!reply.fenced()) {
                    unfenced.complete(null);
                }
                if (!caughtUp && imageSink == null) {
                    // A controller's own log brings the registration; wait for it rather than spin.
                    publisher.awaitVersion(epoch, settings.heartbeatIntervalMs()).get();
                } else if (!wantImage || reply.fenced()) {
                    // Controllers learn changes from the log; a fenced broker asks again soon to be let in.
                    Thread.sleep(reply.fenced() ? Math.min(100, settings.heartbeatIntervalMs()) : settings.heartbeatIntervalMs());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                log.warn("Broker {} could not reach the active controller ({}): {}; retrying", settings.nodeId(),
                        epoch < 0 ? "registering" : "heartbeat", cause.toString());
                try {
                    Thread.sleep(Math.min(500, settings.heartbeatIntervalMs()));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The broker epoch of the current registration; -1 while the broker is not registered. */
    long brokerEpoch() {
        return currentEpoch;
    }

    private long register() throws Exception {
        MetadataCommand.RegisterBroker command = new MetadataCommand.RegisterBroker(settings.nodeId(), incarnationId, rack, endpoints);
        CommandReply reply = submitter.apply(command).get();
        if (reply.failure() != null) {
            throw new IOException("registration refused: " + reply.failure().messageOrDefault());
        }
        long epoch = (Long) MetadataCommandCodec.decodeResult(command, reply.result());
        log.info("Broker {} registered with epoch {}", settings.nodeId(), epoch);
        return epoch;
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        unfenced.completeExceptionally(new IllegalStateException("broker " + settings.nodeId() + " stopped"));
    }
}
