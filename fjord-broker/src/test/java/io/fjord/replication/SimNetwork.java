package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.metadata.PartitionInfo;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * The simulation's network between brokers and the controller (node {@link #CONTROLLER}): messages wait
 * in send order and are delivered one at a time, any of the oldest few (so they can overtake each other
 * within limits), or lost. A lost request, or one whose answer is lost, comes back to its sender as a
 * {@link Timeout}, standing for the client's request timeout.
 */
final class SimNetwork {
    static final int CONTROLLER = 0;
    /** How many of the oldest messages may be delivered next: the reordering window. */
    private static final int WINDOW = 3;

    sealed interface Message {
    }

    /** A follower's fetch of one partition, Kafka's FetchRequest from a replica. */
    record FetchRequest(long id, int partition, int follower, int leader, int currentLeaderEpoch, long fetchOffset,
                        int lastFetchedEpoch) implements Message {
    }

    /** The leader's answer: an error, or a diverging epoch, or records from the fetch offset with its high watermark. */
    record FetchResponse(FetchRequest request, Errors error, EpochEndOffset divergingEpoch, List<SimLog.Entry> records,
                         long highWatermark, long leaderLogEndOffset) implements Message {
    }

    /** Kafka's AlterPartition from a leader. */
    record AlterRequest(int partition, int leaderId, int leaderEpoch, int partitionEpoch, List<Integer> newIsr)
            implements Message {
    }

    record AlterResponse(AlterRequest request, Errors error, PartitionInfo partition) implements Message {
    }

    /** The sender gave up on {@code request}: it or its answer was lost, or its destination died. */
    record Timeout(Message request) implements Message {
    }

    /** A message on its way to node {@code to}, for the incarnation of it that was there when it was sent. */
    record Envelope(int from, int fromIncarnation, int to, int toIncarnation, Message message) {
    }

    private final Random random;
    private final List<Envelope> queue = new ArrayList<>();
    /** The chance of losing a message, 0 in a quiet phase. */
    double lossRate;
    int lost;

    SimNetwork(Random random, double lossRate) {
        this.random = random;
        this.lossRate = lossRate;
    }

    /** Sends {@code message}; a request that is lost comes back to its sender as a timeout. */
    void send(Envelope envelope) {
        if (random.nextDouble() < lossRate) {
            lost++;
            timeout(envelope);
            return;
        }
        queue.add(envelope);
    }

    /** The request the sender of {@code envelope} waits on, if any, times out. */
    void timeout(Envelope envelope) {
        Message request = switch (envelope.message()) {
            case FetchRequest r -> r;
            case AlterRequest r -> r;
            case FetchResponse r -> r.request();
            case AlterResponse r -> r.request();
            case Timeout t -> null;
        };
        if (request == null) {
            return;
        }
        boolean isRequest = envelope.message() == request;
        int waiter = isRequest ? envelope.from() : envelope.to();
        int waiterIncarnation = isRequest ? envelope.fromIncarnation() : envelope.toIncarnation();
        queue.add(new Envelope(waiter, waiterIncarnation, waiter, waiterIncarnation, new Timeout(request)));
    }

    /** The next message to deliver among those whose destination can take it now; null when none. */
    Envelope next(IntPredicate canReceive) {
        List<Integer> candidates = new ArrayList<>(WINDOW);
        for (int i = 0; i < queue.size() && candidates.size() < WINDOW; i++) {
            if (canReceive.test(queue.get(i).to())) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        return queue.remove((int) candidates.get(random.nextInt(candidates.size())));
    }

    /** Messages for a node that just died: its connections are gone; requests to it time out at their senders. */
    void dropFor(int node) {
        List<Envelope> gone = new ArrayList<>();
        queue.removeIf(e -> {
            if (e.to() == node) {
                gone.add(e);
                return true;
            }
            return false;
        });
        for (Envelope e : gone) {
            if (e.message() instanceof FetchRequest || e.message() instanceof AlterRequest) {
                timeout(e);
            }
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }
}
