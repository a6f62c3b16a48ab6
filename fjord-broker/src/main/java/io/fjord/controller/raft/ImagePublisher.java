package io.fjord.controller.raft;

import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataListener;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's current metadata image and who is told of the next one. Images arrive from one thread at
 * a time (the Raft state machine on a controller, the heartbeat thread on a broker-only node), in order.
 *
 * <p>Listeners (the partitions, the coordinators) stay silent until {@link #activate}: a node must first
 * catch up with the quorum, so that the image its partitions start from already has everything up to its
 * own registration, and only then follow each change.
 */
final class ImagePublisher {
    private static final Logger log = LoggerFactory.getLogger(ImagePublisher.class);

    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, List<CompletableFuture<MetadataImage>>> waiters = new TreeMap<>();
    private volatile MetadataImage image;
    private boolean active;

    ImagePublisher(MetadataImage initial) {
        this.image = initial;
    }

    MetadataImage image() {
        return image;
    }

    void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    /**
     * Hands the current image to {@code startup}, then tells listeners of every later one. The startup
     * (opening and recovering partitions) runs outside the lock: images keep being applied meanwhile, and
     * listeners then hear of everything since the startup image in one step.
     */
    void activate(Consumer<MetadataImage> startup) {
        MetadataImage start = image;
        startup.accept(start);
        synchronized (this) {
            active = true;
            MetadataImage current = image;
            if (current != start) {
                tell(start, current);
            }
        }
    }

    private void tell(MetadataImage previous, MetadataImage next) {
        for (MetadataListener listener : listeners) {
            try {
                listener.onImage(previous, next);
            } catch (RuntimeException | AssertionError e) {
                log.error("Metadata listener {} failed on image version {}", listener, next.version(), e);
            }
        }
    }

    /** Publishes {@code next}: listeners first (when active), then readers, then whoever waits for its version. */
    void publish(MetadataImage next) {
        List<CompletableFuture<MetadataImage>> ready = new ArrayList<>();
        synchronized (this) {
            MetadataImage previous = image;
            if (next == previous) {
                return;
            }
            if (active) {
                tell(previous, next);
            }
            image = next;
            for (Iterator<Map.Entry<Long, List<CompletableFuture<MetadataImage>>>> it = waiters.entrySet().iterator();
                 it.hasNext(); ) {
                Map.Entry<Long, List<CompletableFuture<MetadataImage>>> e = it.next();
                if (e.getKey() > next.version()) {
                    break;
                }
                ready.addAll(e.getValue());
                it.remove();
            }
        }
        // Outside the lock: what waiters do next (answer a client, encode an image) must not hold up the log.
        ready.forEach(f -> f.complete(next));
    }

    /** Completes with the first image whose version is at least {@code version}. */
    synchronized CompletableFuture<MetadataImage> awaitVersion(long version) {
        MetadataImage current = image;
        if (current.version() >= version) {
            return CompletableFuture.completedFuture(current);
        }
        CompletableFuture<MetadataImage> future = new CompletableFuture<>();
        waiters.computeIfAbsent(version, v -> new ArrayList<>()).add(future);
        return future;
    }

    /**
     * Completes with the first image whose version is at least {@code version}, or with null once
     * {@code timeoutMs} have passed (the waiter is then dropped, so abandoned waits do not pile up).
     */
    CompletableFuture<MetadataImage> awaitVersion(long version, long timeoutMs) {
        CompletableFuture<MetadataImage> seen = awaitVersion(version);
        return seen.completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS).thenApply(image -> {
            if (image == null) {
                forget(version, seen);
            }
            return image;
        });
    }

    /** Drops a waiter that gave up, so waiters do not pile up. */
    synchronized void forget(long version, CompletableFuture<MetadataImage> future) {
        List<CompletableFuture<MetadataImage>> list = waiters.get(version);
        if (list != null) {
            list.remove(future);
            if (list.isEmpty()) {
                waiters.remove(version);
            }
        }
    }
}
