package io.fjord.replication;

import io.fjord.metadata.BrokerRegistration;
import io.fjord.metadata.MetadataImage;
import io.fjord.network.Endpoint;
import io.fjord.partition.Partition;
import io.fjord.partition.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side of replication: which partitions this node fetches, from which leader, and the
 * fetcher thread per leader broker that does it (Kafka's ReplicaFetcherManager with
 * {@code num.replica.fetchers=1}). A partition moves between threads when its leader changes; a thread
 * left without partitions stops. Leaders are reached at their endpoint on {@code inter.broker.listener.name}
 * in the current metadata image, looked up on every (re)connect.
 *
 * <p>Threads: {@link #follow} and {@link #unfollow} come from the metadata thread, one image at a time;
 * they only hand partitions to fetcher threads and return at once.
 */
public final class ReplicaFetcherManager implements FollowerTargets, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcherManager.class);
    /** How long close() waits for each fetcher to end (a fetch in flight ends when its socket is closed). */
    private static final long JOIN_TIMEOUT_MS = 10_000;

    private final FetcherSettings settings;
    private final Supplier<MetadataImage> image;
    /** Guarded by this. */
    private final Map<Integer, ReplicaFetcherThread> fetchers = new HashMap<>();
    /** Which leader each followed partition is fetched from; guarded by this. */
    private final Map<TopicIdPartition, Followed> leaders = new HashMap<>();
    /** Fetchers told to stop that may still be finishing a fetch; close() waits for them too. Guarded by this. */
    private final List<ReplicaFetcherThread> retired = new ArrayList<>();
    private boolean closed;

    /** A followed partition's leader, and its name for log lines. */
    private record Followed(int leaderId, TopicPartition name) {
    }

    public ReplicaFetcherManager(FetcherSettings settings, Supplier<MetadataImage> image) {
        this.settings = settings;
        this.image = image;
    }

    @Override
    public void follow(Partition partition, int leaderId, int leaderEpoch) {
        follow(new PartitionFollowerLog(partition), leaderId, leaderEpoch);
    }

    @Override
    public void unfollow(Partition partition) {
        unfollow(new TopicIdPartition(partition.topicId(), partition.topicPartition().partition()));
    }

    /** {@link #follow(Partition, int, int)} for any {@link FollowerLog}. */
    synchronized void follow(FollowerLog replica, int leaderId, int leaderEpoch) {
        if (closed) {
            return;
        }
        TopicIdPartition key = new TopicIdPartition(replica.topicId(), replica.topicPartition().partition());
        if (leaderId < 0 || leaderId == settings.nodeId()) {
            // A caller's mistake, but the metadata thread must not fail on it: nothing to fetch from.
            log.error("Asked to follow {} from broker {}; not fetching it", replica.topicPartition(), leaderId);
            unfollow(key);
            return;
        }
        Followed previous = leaders.put(key, new Followed(leaderId, replica.topicPartition()));
        if (previous != null && previous.leaderId() != leaderId) {
            removeFrom(previous.leaderId(), key);
        }
        ReplicaFetcherThread fetcher = fetchers.get(leaderId);
        if (fetcher == null) {
            fetcher = new ReplicaFetcherThread(leaderId, settings, this::leaderEndpoint);
            fetchers.put(leaderId, fetcher);
            fetcher.start();
        }
        int epochBefore = fetcher.leaderEpochOf(key);
        fetcher.add(key, replica, leaderEpoch);
        if (epochBefore != leaderEpoch) {
            log.info("Following {} from broker {} in leader epoch {}", replica.topicPartition(), leaderId, leaderEpoch);
        }
    }

    /** Stops fetching {@code key}, if it is fetched at all. */
    synchronized void unfollow(TopicIdPartition key) {
        Followed followed = leaders.remove(key);
        if (followed != null) {
            removeFrom(followed.leaderId(), key);
            log.info("Stopped following {} (was fetching from broker {})", followed.name(), followed.leaderId());
        }
    }

    private void removeFrom(int leaderId, TopicIdPartition key) {
        ReplicaFetcherThread fetcher = fetchers.get(leaderId);
        if (fetcher == null) {
            return;
        }
        fetcher.remove(key);
        if (fetcher.partitionCount() == 0) {
            // Not joined here: the metadata thread must not wait for a fetch to unwind.
            fetchers.remove(leaderId);
            fetcher.shutdown();
            retired.removeIf(r -> !r.isAlive());
            retired.add(fetcher);
        }
    }

    /** The leader's endpoint on the inter-broker listener in the current image, or null. */
    Endpoint leaderEndpoint(int brokerId) {
        BrokerRegistration broker = image.get().broker(brokerId);
        if (broker == null) {
            return null;
        }
        for (Endpoint endpoint : broker.endpoints()) {
            if (endpoint.listenerName().equals(settings.listenerName())) {
                return endpoint;
            }
        }
        return null;
    }

    /** The leader a partition is fetched from, or -1. */
    synchronized int leaderOf(TopicIdPartition key) {
        Followed followed = leaders.get(key);
        return followed == null ? -1 : followed.leaderId();
    }

    /** The leaders that have a running fetcher, for tests and diagnostics. */
    synchronized List<Integer> fetcherLeaders() {
        return List.copyOf(fetchers.keySet());
    }

    synchronized ReplicaFetcherThread fetcher(int leaderId) {
        return fetchers.get(leaderId);
    }

    /** Stops every fetcher and waits for them: call before the partitions close. */
    @Override
    public void close() {
        List<ReplicaFetcherThread> stopping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = new ArrayList<>(fetchers.values());
            stopping.addAll(retired);
            fetchers.clear();
            retired.clear();
            leaders.clear();
        }
        stopping.forEach(ReplicaFetcherThread::shutdown);
        boolean interrupted = false;
        for (ReplicaFetcherThread fetcher : stopping) {
            try {
                if (!fetcher.join(JOIN_TIMEOUT_MS)) {
                    log.warn("{} did not stop within {} ms", fetcher, JOIN_TIMEOUT_MS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
