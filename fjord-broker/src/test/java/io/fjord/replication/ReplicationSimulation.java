package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.metadata.BrokerRegistration;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.protocol.Errors;
import io.fjord.replication.SimNetwork.AlterRequest;
import io.fjord.replication.SimNetwork.AlterResponse;
import io.fjord.replication.SimNetwork.Envelope;
import io.fjord.replication.SimNetwork.FetchRequest;
import io.fjord.replication.SimNetwork.FetchResponse;
import io.fjord.replication.SimNetwork.Timeout;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One seeded run of the replication state machine: three brokers replicating one or two partitions,
 * a controller, a lossy network, crashes, restarts and pauses (a stopped process the controller fences
 * while it still believes it leads). The leader-side decisions are the real {@link LeaderState} and
 * {@link FollowerState}, the follower's truncation the real {@link Truncation}, the controller's broker
 * fencing and leader election the real ControllerLogic. Everything around them is modelled here after
 * Kafka: the follower fetch with its diverging-epoch check, the high watermark that never goes back,
 * acks=all with min.insync.replicas, AlterPartition with its retries.
 *
 * <p>The invariants are checked after every step; a failure names the seed, the step and the last
 * events. {@code new ReplicationSimulation(seed, ...).run()} replays a seed exactly.
 */
final class ReplicationSimulation {
    static final int BROKERS = 3;
    static final int MIN_INSYNC_REPLICAS = 2;
    static final long REPLICA_LAG_TIME_MAX_MS = 100;
    private static final int TRACE = 80;
    private static final int CALM_EVERY = 60;
    private static final int QUIET_STEPS_MAX = 4000;

    /**
     * Rules broken on purpose, so that a test shows the invariants catch it: the high watermark at the
     * leader's log end instead of the ISR's bound; a leader that never answers a diverging epoch, so
     * followers never truncate.
     */
    record Breakage(boolean highWatermarkToLogEnd, boolean ignoreDivergence) {
        static final Breakage NONE = new Breakage(false, false);
    }

    private record Produce(int broker, int incarnation, int partition, int leaderEpoch, long offset, String payload) {
    }

    final long seed;
    private final int steps;
    private final Breakage breakage;
    private final Random random;
    private final int partitions;
    private final boolean reapplyEveryImage;
    /** Stormier seeds: how many more crashes in a hundred steps than the base one. */
    private final int extraCrashes;
    private final SimController controller;
    private final SimNetwork network;
    private final SimBroker[] brokers = new SimBroker[BROKERS + 1];
    private final Map<String, Integer> coverage;
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private long traceHash = 17;
    private long now;
    private int step;
    private boolean quiet;
    private long nextFetchId = 1;
    private long payloads;

    private final List<Produce> produces = new ArrayList<>();
    /** Per partition: every acknowledged record, offset -> payload. */
    private final List<TreeMap<Long, String>> acknowledged = new ArrayList<>();
    private final SimInvariants invariants;


    /** @param dataDir where the replicas keep their leader-epoch-checkpoint files */
    ReplicationSimulation(long seed, int steps, Breakage breakage, Map<String, Integer> coverage, Path dataDir) {
        this.seed = seed;
        this.steps = steps;
        this.breakage = breakage;
        this.coverage = coverage;
        this.random = new Random(seed);
        this.partitions = 1 + random.nextInt(2);
        this.network = new SimNetwork(random, random.nextInt(4) * 0.05);
        this.reapplyEveryImage = random.nextBoolean();
        this.extraCrashes = random.nextInt(2);
        this.controller = new SimController(BROKERS, partitions);
        for (int p = 0; p < partitions; p++) {
            acknowledged.add(new TreeMap<>());
        }
        this.invariants = new SimInvariants(controller, brokers, acknowledged, partitions, this::fail);
        for (int id = 1; id <= BROKERS; id++) {
            brokers[id] = new SimBroker(id, partitions, dataDir);
            applyImage(brokers[id], controller.history().size() - 1);
        }
    }

    /** The fault phase, then a quiet one that must converge. Returns a fingerprint of the whole run. */
    long run() {
        for (step = 0; step < steps; step++) {
            faultStep();
            completeProduces();
            invariants.check();
        }
        quiet = true;
        network.lossRate = 0;
        event("quiet phase: no more faults, crashed brokers restart, paused ones resume");
        for (SimBroker b : brokers) {
            if (b != null && b.alive && controller.broker(b.id).inControlledShutdown()) {
                crash(b);
            }
            if (b != null && !b.alive) {
                restart(b);
            } else if (b != null && b.paused) {
                b.paused = false;
                event("b" + b.id + " resumes");
            }
        }
        for (int i = 0; i < QUIET_STEPS_MAX; i++, step++) {
            quietStep();
            completeProduces();
            invariants.check();
            if (converged()) {
                reached("converged");
                event("converged");
                return traceHash;
            }
        }
        throw fail("the quiet phase did not converge within " + QUIET_STEPS_MAX + " steps");
    }

    // ------------------------------------------------------------------ events

    /**
     * One step of the fault phase. Storms and calm stretches alternate: in a calm one nothing new fails (no
     * crash, stop, pause or election), so the cluster heals and acknowledges records between storms.
     */
    private void faultStep() {
        int r = random.nextInt(100 + extraCrashes);
        boolean calm = (step / CALM_EVERY) % 2 == 1;
        if (calm && (r == 72 || r == 90 || r == 91 || r >= 100)) {
            r = 50;
        }
        if (calm && r == 98) {
            resumeOne();
            return;
        }
        if (r < 20) {
            produce();
        } else if (r < 45) {
            fetch();
        } else if (r < 72) {
            deliver();
        } else if (r < 73) {
            controlledShutdown();
        } else if (r < 82) {
            propagateMetadata();
        } else if (r < 83) {
            unfenceOne();
        } else if (r < 90) {
            tick(random.nextInt(30));
        } else if (r < 91) {
            electPreferred();
        } else if (r < 92) {
            crash();
        } else if (r < 94) {
            restartOne();
        } else if (r < 96) {
            fenceOne();
        } else if (r < 98) {
            unfenceOne();
        } else if (r < 99) {
            pauseOrResume();
        } else if (r < 100) {
            checkpoint();
        } else {
            crash();
        }
    }

    private void resumeOne() {
        for (SimBroker b : brokers) {
            if (b != null && b.paused) {
                b.paused = false;
                reached("resume");
                event("b" + b.id + " resumes");
                return;
            }
        }
    }

    private void quietStep() {
        int r = random.nextInt(100);
        if (r < 35) {
            fetch();
        } else if (r < 75) {
            deliver();
        } else if (r < 88) {
            propagateMetadata();
        } else if (r < 94) {
            unfenceOne();
        } else {
            tick(5);
        }
    }

    private void produce() {
        List<SimReplica> leaders = new ArrayList<>();
        for (SimBroker b : running()) {
            for (SimReplica r : b.replicas) {
                if (r.isLeader()) {
                    leaders.add(r);
                }
            }
        }
        if (leaders.isEmpty()) {
            return;
        }
        SimReplica r = leaders.get(random.nextInt(leaders.size()));
        if (r.leader.isr().size() < MIN_INSYNC_REPLICAS) {
            reached("produce refused: NOT_ENOUGH_REPLICAS");
            event("produce to b" + r.brokerId + "/p" + r.partition + " refused: NOT_ENOUGH_REPLICAS, isr " + r.leader.isr());
            return;
        }
        String payload = "v" + (++payloads);
        long offset = r.log.logEndOffset();
        r.log.appendAsLeader(r.leaderEpoch, payload);
        produces.add(new Produce(r.brokerId, brokers[r.brokerId].incarnation, r.partition, r.leaderEpoch, offset, payload));
        event("produce " + payload + " to b" + r.brokerId + "/p" + r.partition + " e" + r.leaderEpoch + " at " + offset);
        advanceHighWatermark(r);
    }

    private void fetch() {
        List<SimReplica> followers = new ArrayList<>();
        for (SimBroker b : running()) {
            for (SimReplica r : b.replicas) {
                if (!r.isLeader() && r.leaderId > 0 && r.fetchInFlight == 0) {
                    followers.add(r);
                }
            }
        }
        if (followers.isEmpty()) {
            return;
        }
        SimReplica r = followers.get(random.nextInt(followers.size()));
        FetchRequest request = new FetchRequest(nextFetchId++, r.partition, r.brokerId, r.leaderId, r.leaderEpoch,
                r.log.logEndOffset(), r.log.latestEpoch());
        r.fetchInFlight = request.id();
        event("b" + r.brokerId + " fetches p" + r.partition + " from b" + r.leaderId + " e" + r.leaderEpoch
                + " offset " + request.fetchOffset() + " lastFetchedEpoch " + request.lastFetchedEpoch());
        send(r.brokerId, r.leaderId, request);
    }

    private void send(int from, int to, SimNetwork.Message message) {
        int fromIncarnation = from == SimNetwork.CONTROLLER ? 0 : brokers[from].incarnation;
        int toIncarnation = to == SimNetwork.CONTROLLER ? 0 : brokers[to].incarnation;
        int lostBefore = network.lost;
        network.send(new Envelope(from, fromIncarnation, to, toIncarnation, message));
        if (network.lost != lostBefore) {
            reached("message lost");
            event("  lost: " + message.getClass().getSimpleName() + " " + from + "->" + to);
        }
    }

    private void reply(Envelope request, SimNetwork.Message answer) {
        int lostBefore = network.lost;
        network.send(new Envelope(request.to(), request.toIncarnation(), request.from(), request.fromIncarnation(), answer));
        if (network.lost != lostBefore) {
            reached("message lost");
            event("  lost: " + answer.getClass().getSimpleName() + " " + request.to() + "->" + request.from());
        }
    }

    private void deliver() {
        Envelope envelope = network.next(node -> node == SimNetwork.CONTROLLER || !brokers[node].paused);
        if (envelope == null) {
            return;
        }
        if (envelope.to() == SimNetwork.CONTROLLER) {
            if (envelope.message() instanceof AlterRequest request) {
                handleAlterPartition(envelope, request);
            }
            return;
        }
        SimBroker b = brokers[envelope.to()];
        if (!b.alive || b.incarnation != envelope.toIncarnation()) {
            // The connection it was sent on is gone; a request's sender times out.
            network.timeout(envelope);
            return;
        }
        switch (envelope.message()) {
            case FetchRequest request -> handleFetch(envelope, b, request);
            case FetchResponse response -> handleFetchResponse(b, response);
            case AlterResponse response -> handleAlterResponse(b, response);
            case Timeout timeout -> handleTimeout(b, timeout);
            case AlterRequest request -> throw fail("AlterPartition sent to a broker: " + request);
        }
    }

    /** The leader's side of a follower's fetch, as Kafka's Partition.fetchRecords for a replica. */
    private void handleFetch(Envelope envelope, SimBroker b, FetchRequest request) {
        SimReplica r = b.replicas[request.partition()];
        Errors error = Errors.NONE;
        if (!r.isLeader()) {
            error = Errors.NOT_LEADER_OR_FOLLOWER;
        } else if (request.currentLeaderEpoch() < r.leaderEpoch) {
            error = Errors.FENCED_LEADER_EPOCH;
        } else if (request.currentLeaderEpoch() > r.leaderEpoch) {
            error = Errors.UNKNOWN_LEADER_EPOCH;
        }
        long leo = r.log.logEndOffset();
        if (error == Errors.NONE && request.lastFetchedEpoch() >= 0 && !breakage.ignoreDivergence()) {
            EpochEndOffset end = r.log.endOffsetForEpoch(request.lastFetchedEpoch());
            if (end.epoch() < request.lastFetchedEpoch() || end.endOffset() < request.fetchOffset()) {
                reached(end.isUndefined() ? "diverging epoch answered: UNDEFINED" : "diverging epoch answered");
                event("b" + b.id + " answers b" + request.follower() + ": diverging at " + end);
                reply(envelope, new FetchResponse(request, Errors.NONE, end, List.of(), r.highWatermark, leo));
                return;
            }
        }
        if (error == Errors.NONE && request.fetchOffset() > leo) {
            error = Errors.OFFSET_OUT_OF_RANGE;
        }
        if (error != Errors.NONE) {
            reached("fetch refused: " + error);
            event("b" + b.id + " refuses fetch of b" + request.follower() + ": " + error);
            reply(envelope, new FetchResponse(request, error, null, List.of(), -1, -1));
            return;
        }
        if (!r.leader.onFollowerFetch(request.follower(), request.fetchOffset(), leo, now)) {
            throw fail("a replica's fetch was refused as from a non-replica");
        }
        advanceHighWatermark(r);
        maybeExpandIsr(b, r, request.follower());
        long to = Math.min(leo, request.fetchOffset() + 1 + random.nextInt(8));
        List<SimLog.Entry> records = r.log.read(request.fetchOffset(), to);
        event("b" + b.id + " serves b" + request.follower() + " p" + r.partition + " [" + request.fetchOffset() + ", " + to
                + ") hw " + r.highWatermark);
        reply(envelope, new FetchResponse(request, Errors.NONE, null, records, r.highWatermark, leo));
    }

    private void handleFetchResponse(SimBroker b, FetchResponse response) {
        FetchRequest request = response.request();
        SimReplica r = b.replicas[request.partition()];
        if (r.fetchInFlight != request.id()) {
            return;
        }
        r.fetchInFlight = 0;
        if (r.isLeader() || r.leaderId != request.leader() || r.leaderEpoch != request.currentLeaderEpoch()
                || r.log.logEndOffset() != request.fetchOffset()) {
            reached("fetch answer for an old state ignored");
            return;
        }
        if (response.error() != Errors.NONE) {
            return;
        }
        if (response.divergingEpoch() != null) {
            EpochEndOffset local = r.log.endOffsetForEpoch(response.divergingEpoch().epoch());
            long leo = r.log.logEndOffset();
            Truncation truncation = Truncation.onDivergence(response.divergingEpoch(), local, leo, r.highWatermark);
            if (truncation.offset() > leo || truncation.offset() < 0) {
                throw fail("truncation to " + truncation.offset() + " outside the log [0, " + leo + "]");
            }
            r.log.truncateTo(truncation.offset());
            r.highWatermark = Math.min(r.highWatermark, r.log.logEndOffset());
            reached(truncation.offset() < leo ? "truncated records" : "truncation kept every record");
            if (!truncation.completed()) {
                reached("truncation not completed");
            }
            event("b" + b.id + " truncates p" + r.partition + " to " + truncation + " (leader " + response.divergingEpoch()
                    + ", local " + local + ", leo " + leo + ")");
            return;
        }
        for (SimLog.Entry entry : response.records()) {
            r.log.append(entry);
        }
        r.highWatermark = Math.min(response.highWatermark(), r.log.logEndOffset());
        if (!response.records().isEmpty()) {
            reached("follower appended");
        }
        event("b" + b.id + " appends " + response.records().size() + " to p" + r.partition + ", leo " + r.log.logEndOffset()
                + " hw " + r.highWatermark);
    }

    private void advanceHighWatermark(SimReplica r) {
        long bound = breakage.highWatermarkToLogEnd() ? r.log.logEndOffset() : r.leader.highWatermarkBound(r.log.logEndOffset());
        if (bound > r.highWatermark) {
            r.highWatermark = bound;
        }
    }

    private void maybeExpandIsr(SimBroker b, SimReplica r, int follower) {
        if (r.proposal != null) {
            return;
        }
        // Kafka's leader asks only for a follower its metadata shows eligible (KIP-841): unfenced, not stopping.
        BrokerRegistration registration = controller.history().get(b.appliedVersion).broker(follower);
        if (registration == null || !registration.usable()) {
            reached("expansion held back: follower not eligible");
            return;
        }
        List<Integer> expanded = r.leader.expansionFor(follower, r.highWatermark, r.leaderEpochStartOffset);
        if (expanded != null) {
            reached("ISR expansion proposed");
            propose(b, r, expanded);
        }
    }

    private void propose(SimBroker b, SimReplica r, List<Integer> isr) {
        r.leader.markPending(isr);
        r.proposal = isr;
        r.proposalPartitionEpoch = r.leader.partitionEpoch();
        r.awaitingMetadata = false;
        event("b" + b.id + " proposes ISR " + isr + " for p" + r.partition + " (e" + r.leaderEpoch + ", pe"
                + r.proposalPartitionEpoch + ")");
        sendAlter(b, r);
    }

    private void sendAlter(SimBroker b, SimReplica r) {
        r.alterInFlight = true;
        send(b.id, SimNetwork.CONTROLLER, new AlterRequest(r.partition, b.id, r.leaderEpoch, r.proposalPartitionEpoch, r.proposal));
    }

    private void handleAlterPartition(Envelope envelope, AlterRequest request) {
        SimController.AlterResult result = controller.alterPartition(request.partition(), request.leaderId(),
                request.leaderEpoch(), request.partitionEpoch(), request.newIsr());
        reached("AlterPartition " + result.error());
        event("controller: AlterPartition " + request + " -> " + result.error() + " " + brief(result.partition()));
        reply(envelope, new AlterResponse(request, result.error(), result.partition()));
    }

    /** Kafka's handling of the AlterPartition answer: only for the change still pending; stale epochs wait for the metadata. */
    private void handleAlterResponse(SimBroker b, AlterResponse response) {
        AlterRequest request = response.request();
        SimReplica r = b.replicas[request.partition()];
        if (!isCurrentProposal(r, request)) {
            reached("AlterPartition answer for an old proposal ignored");
            return;
        }
        r.alterInFlight = false;
        switch (response.error()) {
            case NONE -> {
                r.leader.applyCommitted(response.partition().isr(), response.partition().partitionEpoch());
                r.clearProposal();
                event("b" + b.id + " takes ISR " + response.partition().isr() + " pe" + response.partition().partitionEpoch());
                advanceHighWatermark(r);
            }
            case FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, NOT_LEADER_OR_FOLLOWER -> r.awaitingMetadata = true;
            default -> {
                r.leader.abandonPending();
                r.clearProposal();
            }
        }
    }

    private static boolean isCurrentProposal(SimReplica r, AlterRequest request) {
        return r.isLeader() && r.leaderEpoch == request.leaderEpoch() && r.proposal != null
                && r.proposal.equals(request.newIsr()) && r.proposalPartitionEpoch == request.partitionEpoch();
    }

    private void handleTimeout(SimBroker b, Timeout timeout) {
        switch (timeout.request()) {
            case FetchRequest request -> {
                SimReplica r = b.replicas[request.partition()];
                if (r.fetchInFlight == request.id()) {
                    r.fetchInFlight = 0;
                }
            }
            case AlterRequest request -> {
                SimReplica r = b.replicas[request.partition()];
                if (isCurrentProposal(r, request)) {
                    r.alterInFlight = false;
                }
            }
            default -> throw fail("a timeout for " + timeout.request());
        }
    }

    /** Time passes: leaders drop followers that lag too long, and ask again for changes whose request got lost. */
    private void tick(long ms) {
        now += ms;
        for (SimBroker b : running()) {
            for (SimReplica r : b.replicas) {
                if (!r.isLeader()) {
                    continue;
                }
                if (r.proposal != null) {
                    if (!r.alterInFlight && !r.awaitingMetadata) {
                        reached("AlterPartition retried");
                        sendAlter(b, r);
                    }
                    continue;
                }
                List<Integer> shrunk = r.leader.shrink(now, REPLICA_LAG_TIME_MAX_MS);
                if (shrunk != null) {
                    reached("ISR shrink proposed");
                    propose(b, r, shrunk);
                }
            }
        }
    }

    /** A broker replays the metadata log one image further, or up to the newest (as from a snapshot). */
    private void propagateMetadata() {
        List<SimBroker> behind = new ArrayList<>();
        for (SimBroker b : running()) {
            if (b.appliedVersion < controller.history().size() - 1) {
                behind.add(b);
            }
        }
        if (behind.isEmpty()) {
            return;
        }
        SimBroker b = behind.get(random.nextInt(behind.size()));
        int target = random.nextBoolean() ? b.appliedVersion + 1 : controller.history().size() - 1;
        applyImage(b, target);
    }

    private void applyImage(SimBroker b, int version) {
        MetadataImage image = controller.history().get(version);
        b.appliedVersion = version;
        for (SimReplica r : b.replicas) {
            PartitionInfo info = SimController.partition(image, r.partition);
            // Kafka's brokers apply the metadata delta, leaving alone a partition the change did not touch;
            // some seeds have them apply every partition of every image, which must be just as safe.
            if (info.equals(r.applied) && !reapplyEveryImage) {
                continue;
            }
            applyPartition(b, r, info);
        }
    }

    private void applyPartition(SimBroker b, SimReplica r, PartitionInfo info) {
        if (r.applied != null && (info.leaderEpoch() < r.applied.leaderEpoch() || info.partitionEpoch() < r.applied.partitionEpoch())) {
            throw fail("b" + b.id + " got an older partition state " + brief(info) + " after " + brief(r.applied));
        }
        r.applied = info;
        if (info.leaderId() == b.id) {
            if (r.isLeader() && r.leaderEpoch == info.leaderEpoch()) {
                r.leader.applyCommitted(info.isr(), info.partitionEpoch());
                if (!r.leader.hasPendingIsrChange()) {
                    r.clearProposal();
                }
                event("b" + b.id + " applies " + brief(info));
            } else {
                // Kafka's makeLeader: the new epoch starts at the log end; the high watermark carries over.
                long leo = r.log.logEndOffset();
                r.log.assignEpochStartOffset(info.leaderEpoch(), leo);
                r.leaderEpochStartOffset = leo;
                r.leader = new LeaderState(b.id, info.replicas(), info.isr(), info.partitionEpoch(), now);
                r.leaderId = b.id;
                r.leaderEpoch = info.leaderEpoch();
                r.fetchInFlight = 0;
                r.clearProposal();
                reached("became leader");
                event("b" + b.id + " becomes leader of " + brief(info) + " at " + leo + ", hw " + r.highWatermark);
            }
            advanceHighWatermark(r);
            return;
        }
        if (r.isLeader()) {
            reached("leader resigned");
            r.leader = null;
            r.clearProposal();
        }
        if (info.leaderId() != r.leaderId || info.leaderEpoch() != r.leaderEpoch) {
            r.fetchInFlight = 0;
        }
        r.leaderId = info.leaderId();
        r.leaderEpoch = info.leaderEpoch();
        event("b" + b.id + " follows " + brief(info));
    }

    /** An operator's preferred leader election: leadership moves without a crash, the old leader must truncate. */
    private void electPreferred() {
        int p = random.nextInt(partitions);
        Errors error = controller.electPreferred(p);
        reached("preferred election " + error);
        event("controller: preferred election of p" + p + " -> " + error + " " + brief(controller.partition(p)));
    }

    /**
     * SIGTERM: the controller moves the broker's leaderships away while it still runs (it learns it from the
     * metadata, becomes a follower and must truncate what the new leader lacks); it stops at a later crash
     * or in the quiet phase, and starts again.
     */
    private void controlledShutdown() {
        List<SimBroker> candidates = new ArrayList<>();
        for (SimBroker b : running()) {
            BrokerRegistration registration = controller.broker(b.id);
            if (!registration.fenced() && !registration.inControlledShutdown()) {
                candidates.add(b);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        SimBroker b = candidates.get(random.nextInt(candidates.size()));
        controller.controlledShutdown(b.id);
        reached("controlled shutdown");
        event("b" + b.id + " is asked to stop: controlled shutdown: " + briefAll());
    }

    private void crash() {
        List<SimBroker> alive = new ArrayList<>();
        for (SimBroker b : brokers) {
            if (b != null && b.alive) {
                alive.add(b);
            }
        }
        if (alive.isEmpty()) {
            return;
        }
        crash(alive.get(random.nextInt(alive.size())));
    }

    private void crash(SimBroker b) {
        b.alive = false;
        b.paused = false;
        for (SimReplica r : b.replicas) {
            r.crash();
        }
        network.dropFor(b.id);
        reached("crash");
        event("b" + b.id + " CRASHES");
    }

    /** A crashed broker starts again, or one in controlled shutdown stops and starts again. */
    private void restartOne() {
        List<SimBroker> candidates = new ArrayList<>();
        for (SimBroker b : brokers) {
            if (b != null && (!b.alive || controller.broker(b.id).inControlledShutdown())) {
                candidates.add(b);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        SimBroker b = candidates.get(random.nextInt(candidates.size()));
        if (b.alive) {
            crash(b);
        }
        restart(b);
    }

    private void restart(SimBroker b) {
        b.alive = true;
        b.incarnation++;
        for (SimReplica r : b.replicas) {
            r.restart();
        }
        controller.register(b.id);
        // Kafka's broker replays the metadata log up to its end before it serves anything.
        applyImage(b, controller.history().size() - 1);
        reached("restart");
        event("b" + b.id + " RESTARTS and registers: " + briefAll());
    }

    private void fenceOne() {
        List<SimBroker> silent = new ArrayList<>();
        for (SimBroker b : brokers) {
            if (b != null && !b.running() && !controller.broker(b.id).fenced()) {
                silent.add(b);
            }
        }
        if (silent.isEmpty()) {
            return;
        }
        SimBroker b = silent.get(random.nextInt(silent.size()));
        controller.fence(b.id);
        reached(b.paused ? "paused broker fenced" : "crashed broker fenced");
        event("controller fences b" + b.id + ": " + briefAll());
    }

    private void unfenceOne() {
        List<SimBroker> ready = new ArrayList<>();
        for (SimBroker b : running()) {
            BrokerRegistration registration = controller.broker(b.id);
            if (registration.fenced() && b.appliedVersion == controller.history().size() - 1) {
                ready.add(b);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        SimBroker b = ready.get(random.nextInt(ready.size()));
        controller.unfence(b.id);
        reached("unfenced");
        event("controller unfences b" + b.id + ": " + briefAll());
    }

    private void pauseOrResume() {
        SimBroker b = brokers[1 + random.nextInt(BROKERS)];
        if (!b.alive) {
            return;
        }
        b.paused = !b.paused;
        reached(b.paused ? "pause" : "resume");
        event("b" + b.id + (b.paused ? " PAUSES (SIGSTOP)" : " resumes"));
    }

    private void checkpoint() {
        SimBroker b = brokers[1 + random.nextInt(BROKERS)];
        if (!b.running()) {
            return;
        }
        for (SimReplica r : b.replicas) {
            r.checkpointedHighWatermark = r.highWatermark;
        }
        event("b" + b.id + " checkpoints its high watermarks");
    }

    /** acks=all: done when the high watermark passes the record while this leader still leads its epoch. */
    private void completeProduces() {
        for (Iterator<Produce> it = produces.iterator(); it.hasNext(); ) {
            Produce produce = it.next();
            SimBroker b = brokers[produce.broker()];
            SimReplica r = b.replicas[produce.partition()];
            if (!b.alive || b.incarnation != produce.incarnation() || !r.isLeader() || r.leaderEpoch != produce.leaderEpoch()) {
                it.remove();
                reached("produce failed: leader gone");
                continue;
            }
            if (b.paused || r.highWatermark <= produce.offset()) {
                continue;
            }
            it.remove();
            if (r.leader.maximalIsr().size() < MIN_INSYNC_REPLICAS) {
                reached("produce failed: NOT_ENOUGH_REPLICAS_AFTER_APPEND");
                continue;
            }
            String before = acknowledged.get(produce.partition()).put(produce.offset(), produce.payload());
            if (before != null) {
                throw fail("offset " + produce.offset() + " of p" + produce.partition() + " acknowledged twice: " + before
                        + " then " + produce.payload());
            }
            reached("acknowledged");
            event("ack " + produce.payload() + " p" + produce.partition() + "@" + produce.offset());
        }
    }

    // ------------------------------------------------------------------ convergence

    /** 6: every replica back in the ISR, logs identical, high watermark at the log end everywhere. */
    private boolean converged() {
        for (SimBroker b : brokers) {
            if (b != null && (!b.running() || b.appliedVersion != controller.history().size() - 1 || !controller.broker(b.id).usable())) {
                return false;
            }
        }
        if (!network.isEmpty()) {
            return false;
        }
        for (int p = 0; p < partitions; p++) {
            PartitionInfo info = controller.partition(p);
            if (info.leaderId() == -1 || info.isr().size() != BROKERS) {
                return false;
            }
            SimReplica leader = brokers[info.leaderId()].replicas[p];
            if (!leader.isLeader() || leader.leader.isr().size() != BROKERS || leader.leader.hasPendingIsrChange()) {
                return false;
            }
            for (int id = 1; id <= BROKERS; id++) {
                SimReplica r = brokers[id].replicas[p];
                if (!r.log.entries().equals(leader.log.entries()) || r.highWatermark != r.log.logEndOffset()) {
                    return false;
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ plumbing

    private List<SimBroker> running() {
        List<SimBroker> out = new ArrayList<>(BROKERS);
        for (SimBroker b : brokers) {
            if (b != null && b.running()) {
                out.add(b);
            }
        }
        return out;
    }

    private void reached(String what) {
        coverage.merge(what, 1, Integer::sum);
    }

    private void event(String what) {
        String line = "#" + step + " t=" + now + " " + what;
        traceHash = traceHash * 31 + line.hashCode();
        trace.addLast(line);
        if (trace.size() > TRACE) {
            trace.removeFirst();
        }
    }

    static String brief(PartitionInfo info) {
        return "p" + info.partition() + "{leader " + info.leaderId() + " e" + info.leaderEpoch() + " isr " + info.isr()
                + " pe" + info.partitionEpoch() + "}";
    }

    private String briefAll() {
        StringBuilder out = new StringBuilder();
        for (int p = 0; p < partitions; p++) {
            out.append(brief(controller.partition(p))).append(' ');
        }
        return out.toString().trim();
    }

    AssertionError fail(String message) {
        StringBuilder out = new StringBuilder();
        out.append("seed ").append(seed).append(", step ").append(step).append(quiet ? " (quiet phase)" : "")
                .append(": ").append(message).append("\n  controller: ").append(briefAll()).append('\n');
        for (SimBroker b : brokers) {
            if (b == null) {
                continue;
            }
            String state = !b.alive ? "CRASHED" : b.paused ? "PAUSED" : "up";
            out.append("  b").append(b.id).append(' ').append(state).append(" inc").append(b.incarnation)
                    .append(" image v").append(b.appliedVersion).append('/').append(controller.history().size() - 1)
                    .append(controller.broker(b.id).fenced() ? " fenced" : "").append('\n');
            for (SimReplica r : b.replicas) {
                out.append("    ").append(r).append('\n');
            }
        }
        out.append("  acknowledged: ");
        for (int p = 0; p < partitions; p++) {
            TreeMap<Long, String> acked = acknowledged.get(p);
            out.append("p").append(p).append(' ').append(acked.size()).append(acked.isEmpty() ? "" : " up to " + acked.lastKey()).append(' ');
        }
        out.append("\n  last events:\n");
        for (String line : trace) {
            out.append("    ").append(line).append('\n');
        }
        return new AssertionError(out.toString());
    }
}
