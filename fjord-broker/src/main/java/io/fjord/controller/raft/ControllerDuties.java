package io.fjord.controller.raft;

import io.fjord.controller.MetadataCommand;
import io.fjord.controller.QuorumState;
import io.fjord.metadata.BrokerRegistration;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataImages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the active controller does besides applying the log: it keeps each broker's lease from its
 * heartbeats, fences a broker whose lease ran out, unfences a registered broker that heartbeats and has
 * caught up, answers DescribeQuorum, and gives a new cluster its id. Every decision enters the log as an
 * entry; nothing here changes the image directly. Leases live in memory only: a new active controller
 * gives every broker a full session from the moment it took over.
 */
final class ControllerDuties implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerDuties.class);

    private final QuorumSettings settings;
    private final ImagePublisher publisher;
    private final Function<MetadataCommand, CompletableFuture<CommandReply>> submitter;
    private final Supplier<String> proposedClusterId;
    private final ScheduledExecutorService scheduler;
    private final Map<Integer, Long> lastContactNanos = new HashMap<>();
    private final Set<Long> pendingFences = new HashSet<>();
    /** Unfencings asked for and not yet applied, by broker epoch: later heartbeats wait for the same one. */
    private final Map<Long, CompletableFuture<MetadataImage>> pendingUnfences = new HashMap<>();
    private volatile RaftServer.Division division;
    private volatile int leaderId = -1;
    private volatile boolean leaderReady;
    /** The Raft term in which this node became the active controller; its duties hold only within that term. */
    private volatile long leaderTerm = -1;
    private long lastLeaseCheckNanos;

    ControllerDuties(QuorumSettings settings, ImagePublisher publisher,
                     Function<MetadataCommand, CompletableFuture<CommandReply>> submitter, Supplier<String> proposedClusterId,
                     ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.publisher = publisher;
        this.submitter = submitter;
        this.proposedClusterId = proposedClusterId;
        this.scheduler = scheduler;
    }

    void start(RaftServer.Division raftDivision) {
        this.division = raftDivision;
        this.lastLeaseCheckNanos = System.nanoTime();
        long period = Math.max(50, Math.min(250, settings.sessionTimeoutMs() / 4));
        scheduler.scheduleWithFixedDelay(this::checkLeases, period, period, TimeUnit.MILLISECONDS);
    }

    /** The node id Ratis last named as leader, -1 when none is known. */
    int leaderId() {
        return leaderId;
    }

    void leaderChanged(int newLeader) {
        leaderId = newLeader;
        // Even when this node is named again (a new term), it acts only after it is ready in that term.
        leaderReady = false;
        log.info("Controller quorum leader is now {}", newLeader < 0 ? "unknown" : "node " + newLeader);
    }

    /** This node is the active controller, and entries of its term commit: leases start afresh. */
    void becameLeader() {
        synchronized (lastContactNanos) {
            lastContactNanos.clear();
            pendingFences.clear();
            pendingUnfences.clear();
        }
        RaftServer.Division d = division;
        leaderTerm = d == null ? -1 : d.getInfo().getCurrentTerm();
        leaderReady = true;
        leaderId = settings.nodeId();
        log.info("Node {} is the active controller", settings.nodeId());
        if (publisher.image().clusterId() == null) {
            submitter.apply(new MetadataCommand.InitCluster(proposedClusterId.get())).whenComplete((reply, error) -> {
                if (error != null) {
                    log.warn("Could not set the cluster id: {}", error.toString());
                }
            });
        }
    }

    private boolean isActive() {
        RaftServer.Division d = division;
        return leaderReady && d != null && d.getInfo().isLeader() && d.getInfo().getCurrentTerm() == leaderTerm;
    }

    CompletableFuture<QueryMessages.HeartbeatReply> heartbeat(QueryMessages.Heartbeat heartbeat) {
        log.debug("Heartbeat from broker {}: {}", heartbeat.brokerId(), heartbeat);
        MetadataImage image = publisher.image();
        BrokerRegistration registration = image.broker(heartbeat.brokerId());
        if (registration == null || registration.epoch() != heartbeat.brokerEpoch()) {
            return CompletableFuture.completedFuture(new QueryMessages.HeartbeatReply(false, true, image.version(), null));
        }
        synchronized (lastContactNanos) {
            lastContactNanos.put(heartbeat.brokerId(), System.nanoTime());
        }
        CompletableFuture<MetadataImage> ready;
        if (registration.fenced() && heartbeat.knownVersion() >= registration.epoch()) {
            // Caught up with its own registration: it may lead. Answer once the unfencing is in the log; one
            // entry per registration, however many heartbeats arrive meanwhile.
            long epoch = registration.epoch();
            CompletableFuture<MetadataImage> pending;
            boolean first = false;
            synchronized (lastContactNanos) {
                pending = pendingUnfences.get(epoch);
                if (pending == null) {
                    pending = new CompletableFuture<>();
                    pendingUnfences.put(epoch, pending);
                    first = true;
                }
            }
            if (first) {
                CompletableFuture<MetadataImage> result = pending;
                submitter.apply(new MetadataCommand.UnfenceBroker(heartbeat.brokerId(), epoch))
                        .thenCompose(reply -> publisher.awaitVersion(reply.imageVersion()))
                        .whenComplete((applied, error) -> {
                            synchronized (lastContactNanos) {
                                pendingUnfences.remove(epoch);
                            }
                            if (error != null) {
                                result.completeExceptionally(error);
                            } else {
                                result.complete(applied);
                            }
                        });
            }
            ready = pending;
        } else if (heartbeat.wantImage() && image.version() <= heartbeat.knownVersion() && heartbeat.maxWaitMs() > 0) {
            // Nothing new for this broker: hold the answer until there is, or the wait is over (a long poll).
            ready = publisher.awaitVersion(heartbeat.knownVersion() + 1, heartbeat.maxWaitMs())
                    .thenApply(newer -> publisher.image());
        } else {
            ready = CompletableFuture.completedFuture(image);
        }
        return ready.thenApply(current -> {
            BrokerRegistration now = current.broker(heartbeat.brokerId());
            boolean registered = now != null && now.epoch() == heartbeat.brokerEpoch();
            byte[] bytes = heartbeat.wantImage() && current.version() > heartbeat.knownVersion()
                    ? MetadataImages.encode(current) : null;
            return new QueryMessages.HeartbeatReply(registered, !registered || now.fenced(), current.version(), bytes);
        });
    }

    private void checkLeases() {
        try {
            long now = System.nanoTime();
            long sincePrevious = now - lastLeaseCheckNanos;
            lastLeaseCheckNanos = now;
            if (!isActive()) {
                return;
            }
            long session = TimeUnit.MILLISECONDS.toNanos(settings.sessionTimeoutMs());
            if (sincePrevious > session / 2) {
                // This node did not run for a good part of a session (a long GC pause, a stopped process):
                // the silence is ours, not the brokers'. Everyone gets a fresh lease from now.
                log.warn("Lease checks were {} ms apart; every broker's lease starts afresh",
                        TimeUnit.NANOSECONDS.toMillis(sincePrevious));
                synchronized (lastContactNanos) {
                    lastContactNanos.replaceAll((id, last) -> now);
                }
                return;
            }
            List<BrokerRegistration> expired = new ArrayList<>();
            synchronized (lastContactNanos) {
                for (BrokerRegistration broker : publisher.image().brokers().values()) {
                    if (broker.fenced()) {
                        continue;
                    }
                    Long last = lastContactNanos.putIfAbsent(broker.id(), now);
                    if (last != null && now - last > session && pendingFences.add(broker.epoch())) {
                        expired.add(broker);
                    }
                }
            }
            for (BrokerRegistration broker : expired) {
                log.warn("Broker {} (epoch {}) sent no heartbeat for {} ms ({}); fencing it", broker.id(), broker.epoch(),
                        settings.sessionTimeoutMs(), "broker.session.timeout.ms");
                submitter.apply(new MetadataCommand.FenceBroker(broker.id(), broker.epoch())).whenComplete((reply, error) -> {
                    synchronized (lastContactNanos) {
                        pendingFences.remove(broker.epoch());
                    }
                    if (error != null) {
                        log.warn("Could not fence broker {}: {}", broker.id(), error.toString());
                    }
                });
            }
        } catch (RuntimeException e) {
            log.error("Broker lease check failed", e);
        }
    }

    /** The quorum as this node (the leader, normally) sees it. */
    QuorumState describeQuorum() {
        RaftServer.Division d = division;
        if (d == null) {
            return new QuorumState(-1, -1, -1, List.of(), List.of());
        }
        DivisionInfo info = d.getInfo();
        long nowMs = System.currentTimeMillis();
        long lastIndex = d.getRaftLog().getLastEntryTermIndex() == null ? -1 : d.getRaftLog().getLastEntryTermIndex().getIndex();
        long commitIndex = d.getRaftLog().getLastCommittedIndex();
        Map<Integer, QuorumState.Replica> voters = new java.util.TreeMap<>();
        for (RaftPeer peer : d.getRaftConf().getCurrentPeers()) {
            int id = Integer.parseInt(peer.getId().toString());
            voters.put(id, new QuorumState.Replica(id, -1, -1, -1));
        }
        voters.put(settings.nodeId(), new QuorumState.Replica(settings.nodeId(), lastIndex, nowMs, nowMs));
        RoleInfoProto role = info.getRoleInfoProto();
        if (info.isLeader() && role.getRole() == RaftPeerRole.LEADER) {
            List<ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
            long[] matches = info.getFollowerMatchIndices();
            for (int i = 0; i < followers.size(); i++) {
                ServerRpcProto follower = followers.get(i);
                int id = Integer.parseInt(follower.getId().getId().toStringUtf8());
                long match = i < matches.length ? matches[i] : -1;
                long lastFetch = nowMs - follower.getLastRpcElapsedTimeMs();
                voters.put(id, new QuorumState.Replica(id, match, lastFetch, match >= lastIndex ? lastFetch : -1));
            }
        }
        List<QuorumState.Replica> observers = new ArrayList<>();
        for (BrokerRegistration broker : publisher.image().brokers().values()) {
            if (!voters.containsKey(broker.id()) && !broker.fenced()) {
                Long last;
                synchronized (lastContactNanos) {
                    last = lastContactNanos.get(broker.id());
                }
                long lastMs = last == null ? -1 : nowMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
                observers.add(new QuorumState.Replica(broker.id(), commitIndex, lastMs, lastMs));
            }
        }
        int leader = info.isLeader() ? settings.nodeId() : leaderId;
        return new QuorumState(leader, (int) info.getCurrentTerm(), commitIndex, new ArrayList<>(voters.values()), observers);
    }

    @Override
    public void close() {
        leaderReady = false;
    }
}
