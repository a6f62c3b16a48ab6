package io.fjord.controller;

import io.fjord.metadata.ApiError;
import io.fjord.metadata.BrokerRegistration;
import io.fjord.metadata.ChangeResult;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.protocol.Errors;
import java.util.HashMap;
import java.util.Map;

/**
 * Brokers joining, leaving and coming back, and what that does to leadership (Kafka's KRaft rules).
 *
 * <p>Fencing B: B leaves every ISR it is in, unless it is the last member (then the ISR stays {B}, so
 * no acknowledged record is lost by electing someone who lacks it); every partition whose leader can
 * no longer lead gets the first replica that is in the ISR and alive, or no leader. Unfencing B: every
 * leaderless partition whose ISR holds B gets B as leader. A re-registration is a fencing of the old
 * incarnation followed by a fenced new one (and ends any controlled shutdown of the old one).
 *
 * <p>Controlled shutdown of B (Kafka's BrokerHeartbeat with wantShutDown): the same moves as fencing, but
 * B stays unfenced (it still serves until it stops) and is marked, so that nothing elects it or adds it
 * to an ISR again. Where a partition would be left without a leader and its topic has
 * {@code unclean.leader.election.enable}, a live out-of-sync replica is elected instead (at fencing,
 * controlled shutdown and unfencing alike).
 */
final class BrokerFencing {

    private BrokerFencing() {
    }

    /** RegisterBroker: answered with the new broker epoch, the version of the image this makes. */
    static ChangeResult<Long> register(MetadataImage image, MetadataCommand.RegisterBroker command) {
        long epoch = image.version() + 1;
        BrokerRegistration registration = new BrokerRegistration(command.brokerId(), command.incarnationId(), epoch,
                command.rack(), command.endpoints(), true);
        MetadataImage.Builder next = image.toBuilder().putBroker(registration);
        fencePartitions(image, next, withBroker(image, registration), command.brokerId());
        return new ChangeResult<>(next.build(), epoch);
    }

    static ChangeResult<ApiError> fence(MetadataImage image, MetadataCommand.FenceBroker command) {
        BrokerRegistration current = image.broker(command.brokerId());
        ApiError refused = checkEpoch(current, command.brokerId(), command.brokerEpoch());
        if (refused != null) {
            return new ChangeResult<>(image, refused);
        }
        if (current.fenced()) {
            return new ChangeResult<>(image, ApiError.NONE);
        }
        BrokerRegistration fenced = current.withFenced(true);
        MetadataImage.Builder next = image.toBuilder().putBroker(fenced);
        fencePartitions(image, next, withBroker(image, fenced), command.brokerId());
        return new ChangeResult<>(next.build(), ApiError.NONE);
    }

    static ChangeResult<ApiError> controlledShutdown(MetadataImage image, MetadataCommand.ControlledShutdown command) {
        BrokerRegistration current = image.broker(command.brokerId());
        ApiError refused = checkEpoch(current, command.brokerId(), command.brokerEpoch());
        if (refused != null) {
            return new ChangeResult<>(image, refused);
        }
        if (current.inControlledShutdown()) {
            // Its leaderships already moved, and nothing has given it any since.
            return new ChangeResult<>(image, ApiError.NONE);
        }
        BrokerRegistration stopping = current.withControlledShutdown(true);
        MetadataImage.Builder next = image.toBuilder().putBroker(stopping);
        fencePartitions(image, next, withBroker(image, stopping), command.brokerId());
        return new ChangeResult<>(next.build(), ApiError.NONE);
    }

    static ChangeResult<ApiError> unfence(MetadataImage image, MetadataCommand.UnfenceBroker command) {
        BrokerRegistration current = image.broker(command.brokerId());
        ApiError refused = checkEpoch(current, command.brokerId(), command.brokerEpoch());
        if (refused != null) {
            return new ChangeResult<>(image, refused);
        }
        if (!current.fenced()) {
            return new ChangeResult<>(image, ApiError.NONE);
        }
        BrokerRegistration unfenced = current.withFenced(false);
        MetadataImage.Builder next = image.toBuilder().putBroker(unfenced);
        BrokerStates states = withBroker(image, unfenced);
        int id = command.brokerId();
        PartitionRewriter.rewriteAllPerTopic(image, next, topic -> {
            boolean unclean = UncleanElections.enabled(image, topic);
            return p -> {
                if (!p.replicas().contains(id)) {
                    return p;
                }
                PartitionChange change = new PartitionChange(p);
                // A broker unfenced while in controlled shutdown (its lease ran out while stopping) still leads nothing.
                if (change.leader == -1 && change.isr.contains(id) && states.alive(id)) {
                    change.leader = id;
                }
                if (unclean) {
                    change.electUncleanIfLeaderless(states);
                }
                Reassignments.maybeComplete(change, states);
                return change.build(states);
            };
        });
        return new ChangeResult<>(next.build(), ApiError.NONE);
    }

    /** Null when {@code epoch} is the current registration's; else why the command is refused. */
    private static ApiError checkEpoch(BrokerRegistration current, int brokerId, long epoch) {
        if (current == null) {
            return new ApiError(Errors.BROKER_ID_NOT_REGISTERED, "Broker " + brokerId + " is not registered.");
        }
        if (current.epoch() != epoch) {
            return new ApiError(Errors.STALE_BROKER_EPOCH, "Expected broker epoch " + current.epoch()
                    + " for broker " + brokerId + ", but got " + epoch + ".");
        }
        return null;
    }

    /**
     * Takes broker {@code id}, now fenced or shutting down in {@code states}, out of every ISR and
     * leadership it may not keep.
     */
    private static void fencePartitions(MetadataImage image, MetadataImage.Builder next, BrokerStates states, int id) {
        PartitionRewriter.rewriteAllPerTopic(image, next, topic -> {
            boolean unclean = UncleanElections.enabled(image, topic);
            return p -> fencePartition(p, states, id, unclean);
        });
    }

    private static PartitionInfo fencePartition(PartitionInfo p, BrokerStates states, int id, boolean unclean) {
        if (!p.replicas().contains(id)) {
            return p;
        }
        PartitionChange change = new PartitionChange(p);
        if (change.isr.size() > 1) {
            change.isr.remove(Integer.valueOf(id));
        }
        change.electIfNeeded(states);
        if (unclean) {
            change.electUncleanIfLeaderless(states);
        }
        Reassignments.maybeComplete(change, states);
        return change.build(states);
    }

    private static BrokerStates withBroker(MetadataImage image, BrokerRegistration broker) {
        Map<Integer, BrokerRegistration> brokers = new HashMap<>(image.brokers());
        brokers.put(broker.id(), broker);
        return new BrokerStates(brokers);
    }
}
