package io.fjord.replication;

import static io.fjord.replication.ReplicationSimulation.brief;

import io.fjord.log.EpochEntry;
import io.fjord.metadata.PartitionInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The replication simulation's safety invariants, checked after every step, and what they remember
 * between steps (epochs seen, each leader's high watermark, which broker led which epoch):
 * <ol>
 * <li>no acknowledged record is lost: the leader has each one, and so does every ISR member that got that far;</li>
 * <li>logs agree below the high watermark, with each other and with the leader;</li>
 * <li>a leader's high watermark never goes back within its epoch and never passes the log end of a member of
 *     its maximal ISR; no high watermark passes its own log end;</li>
 * <li>the ISR is a non-empty set of replicas holding the leader; every change moves the partition epoch on;</li>
 * <li>one leader per leader epoch; epochs never go back; each log's epochs and epoch cache agree.</li>
 * </ol>
 */
final class SimInvariants {
    private final SimController controller;
    private final SimBroker[] brokers;
    private final List<TreeMap<Long, String>> acknowledged;
    private final int partitions;
    private final Function<String, AssertionError> fail;

    private final List<Map<Integer, Integer>> leaderOfEpoch = new ArrayList<>();
    private final PartitionInfo[] lastControllerState;
    private final Map<String, Long> leaderHighWatermarks = new HashMap<>();
    private final Map<String, Integer> knownLeaderEpochs = new HashMap<>();

    SimInvariants(SimController controller, SimBroker[] brokers, List<TreeMap<Long, String>> acknowledged, int partitions,
                  Function<String, AssertionError> fail) {
        this.controller = controller;
        this.brokers = brokers;
        this.acknowledged = acknowledged;
        this.partitions = partitions;
        this.fail = fail;
        this.lastControllerState = new PartitionInfo[partitions];
        for (int p = 0; p < partitions; p++) {
            leaderOfEpoch.add(new HashMap<>());
            lastControllerState[p] = controller.partition(p);
        }
    }

    private AssertionError fail(String message) {
        return fail.apply(message);
    }

    void check() {
        for (int p = 0; p < partitions; p++) {
            checkController(p);
            checkReplicas(p);
            checkAgreement(p);
            checkAcknowledged(p);
        }
    }

    /** 4 and 5 on the controller's side: a sane ISR, epochs that only go up, one leader per leader epoch. */
    private void checkController(int p) {
        PartitionInfo info = controller.partition(p);
        PartitionInfo last = lastControllerState[p];
        if (info.isr().isEmpty()) {
            throw fail("p" + p + ": empty ISR");
        }
        if (!info.replicas().containsAll(info.isr()) || new HashSet<>(info.isr()).size() != info.isr().size()) {
            throw fail("p" + p + ": ISR " + info.isr() + " not a set of replicas " + info.replicas());
        }
        if (info.leaderId() != -1 && !info.isr().contains(info.leaderId())) {
            throw fail("p" + p + ": leader " + info.leaderId() + " not in ISR " + info.isr());
        }
        if (info.leaderEpoch() < last.leaderEpoch() || info.partitionEpoch() < last.partitionEpoch()) {
            throw fail("p" + p + ": epochs went back from " + brief(last) + " to " + brief(info));
        }
        boolean changed = info.leaderId() != last.leaderId() || !info.isr().equals(last.isr());
        if (changed && info.partitionEpoch() <= last.partitionEpoch()) {
            throw fail("p" + p + ": changed without a new partition epoch: " + brief(last) + " -> " + brief(info));
        }
        if (info.leaderId() != last.leaderId() && info.leaderEpoch() <= last.leaderEpoch()) {
            throw fail("p" + p + ": new leader without a new leader epoch: " + brief(last) + " -> " + brief(info));
        }
        lastControllerState[p] = info;
        if (info.leaderId() != -1) {
            leaderInEpoch(p, info.leaderEpoch(), info.leaderId(), "controller");
        }
    }

    private void leaderInEpoch(int p, int epoch, int leader, String who) {
        Integer before = leaderOfEpoch.get(p).putIfAbsent(epoch, leader);
        if (before != null && before != leader) {
            throw fail("p" + p + ": two leaders in leader epoch " + epoch + ": b" + before + " and b" + leader + " (" + who + ")");
        }
    }

    /** 3, 4 and 5 on the brokers' side, and the log's own consistency. */
    private void checkReplicas(int p) {
        int newestEpoch = controller.partition(p).leaderEpoch();
        for (SimBroker b : brokers) {
            if (b == null) {
                continue;
            }
            SimReplica r = b.replicas[p];
            checkLog(r, newestEpoch);
            if (!b.alive) {
                continue;
            }
            long leo = r.log.logEndOffset();
            if (r.highWatermark > leo) {
                throw fail(r + ": high watermark past the log end");
            }
            String key = b.id + "/" + b.incarnation + "/" + p;
            Integer knownEpoch = knownLeaderEpochs.put(key, r.leaderEpoch);
            if (knownEpoch != null && r.leaderEpoch < knownEpoch) {
                throw fail(r + ": leader epoch went back from " + knownEpoch);
            }
            if (!r.isLeader()) {
                continue;
            }
            leaderInEpoch(p, r.leaderEpoch, b.id, "b" + b.id);
            LeaderState leader = r.leader;
            if (!leader.isr().contains(b.id) || !leader.replicas().containsAll(leader.isr())
                    || !leader.maximalIsr().containsAll(leader.isr())) {
                throw fail(r + ": leader's ISR does not hold it or is not a set of replicas");
            }
            Long before = leaderHighWatermarks.put(key + "/" + r.leaderEpoch, r.highWatermark);
            if (before != null && r.highWatermark < before) {
                throw fail(r + ": leader's high watermark went back from " + before);
            }
            for (int member : leader.maximalIsr()) {
                long memberLeo = brokers[member].replicas[p].log.logEndOffset();
                if (memberLeo < r.highWatermark) {
                    throw fail(r + ": high watermark " + r.highWatermark + " past the log end " + memberLeo
                            + " of maximal ISR member b" + member);
                }
            }
        }
    }

    private void checkLog(SimReplica r, int newestEpoch) {
        List<SimLog.Entry> entries = r.log.entries();
        long lastStart = -1;
        int lastCachedEpoch = -1;
        TreeMap<Long, Integer> byStart = new TreeMap<>();
        for (EpochEntry cached : r.log.epochEntries()) {
            if (cached.startOffset() <= lastStart || cached.epoch() <= lastCachedEpoch || cached.startOffset() > r.log.logEndOffset()) {
                throw fail(r + ": epoch cache not monotonic or past the log end");
            }
            lastStart = cached.startOffset();
            lastCachedEpoch = cached.epoch();
            byStart.put(cached.startOffset(), cached.epoch());
        }
        if (r.log.latestEpoch() > newestEpoch) {
            throw fail(r + ": holds epoch " + r.log.latestEpoch() + ", newer than the controller's " + newestEpoch);
        }
        int lastEpoch = -1;
        for (SimLog.Entry entry : entries) {
            if (entry.epoch() < lastEpoch) {
                throw fail(r + ": epochs go back at " + entry);
            }
            lastEpoch = entry.epoch();
            Map.Entry<Long, Integer> cached = byStart.floorEntry(entry.offset());
            if (cached == null || cached.getValue() != entry.epoch()) {
                throw fail(r + ": epoch cache says " + cached + " for " + entry);
            }
        }
    }

    /** 2: logs agree below the high watermark, with each other and with the leader the controller names. */
    private void checkAgreement(int p) {
        PartitionInfo info = controller.partition(p);
        SimLog leaderLog = info.leaderId() == -1 ? null : brokers[info.leaderId()].replicas[p].log;
        List<SimReplica> live = new ArrayList<>();
        for (SimBroker b : brokers) {
            if (b != null && b.alive) {
                live.add(b.replicas[p]);
            }
        }
        for (SimReplica r : live) {
            long committed = Math.min(r.highWatermark, r.log.logEndOffset());
            if (leaderLog != null) {
                if (leaderLog.logEndOffset() < committed) {
                    throw fail(r + ": has " + committed + " records below its high watermark, leader b" + info.leaderId()
                            + " only " + leaderLog.logEndOffset());
                }
                samePrefix(r.log, leaderLog, committed, r + " vs leader b" + info.leaderId());
            }
            for (SimReplica other : live) {
                if (other.brokerId > r.brokerId) {
                    long both = Math.min(committed, Math.min(other.highWatermark, other.log.logEndOffset()));
                    samePrefix(r.log, other.log, both, r + " vs " + other);
                }
            }
        }
    }

    private void samePrefix(SimLog a, SimLog b, long length, String what) {
        for (long o = 0; o < length; o++) {
            if (!a.get(o).equals(b.get(o))) {
                throw fail("logs differ below the high watermark at " + o + ": " + a.get(o) + " / " + b.get(o) + ": " + what);
            }
        }
    }

    /** 1: no acknowledged record is lost: the leader has each one, and so does every ISR member that got that far. */
    private void checkAcknowledged(int p) {
        PartitionInfo info = controller.partition(p);
        for (Map.Entry<Long, String> acked : acknowledged.get(p).entrySet()) {
            long offset = acked.getKey();
            if (info.leaderId() != -1) {
                SimLog log = brokers[info.leaderId()].replicas[p].log;
                if (log.logEndOffset() <= offset || !log.get(offset).payload().equals(acked.getValue())) {
                    throw fail("acknowledged " + acked.getValue() + " at p" + p + "@" + offset + " is not in leader b"
                            + info.leaderId() + "'s log");
                }
            }
            for (int member : info.isr()) {
                SimLog log = brokers[member].replicas[p].log;
                // Every ISR member holds every acknowledged record: any of them may be the next leader.
                if (log.logEndOffset() <= offset || !log.get(offset).payload().equals(acked.getValue())) {
                    throw fail("acknowledged " + acked.getValue() + " at p" + p + "@" + offset + " is not on ISR member b"
                            + member + ": " + (log.logEndOffset() <= offset ? "its log ends at " + log.logEndOffset() : log.get(offset)));
                }
            }
        }
    }
}
