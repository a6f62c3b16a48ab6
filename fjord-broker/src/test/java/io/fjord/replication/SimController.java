package io.fjord.replication;

import io.fjord.controller.ControllerLogic;
import io.fjord.controller.ElectionType;
import io.fjord.controller.MetadataCommand;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.BrokerRegistration;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicSpec;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The simulation's controller: the real {@link ControllerLogic} decides broker registration, fencing
 * (a fenced broker leaves every ISR unless it is the last member; leaders come from the live ISR only)
 * and unfencing, and AlterPartition (leader and partition epochs checked, only eligible replicas join).
 * Every image it makes is kept, in order: brokers replay them at their own pace, as they replay the
 * metadata log.
 */
final class SimController {
    static final String TOPIC = "sim";

    private final List<MetadataImage> history = new ArrayList<>();
    private long incarnations = 1;

    SimController(int brokers, int partitions) {
        MetadataImage image = MetadataImage.EMPTY;
        history.add(image);
        for (int id = 1; id <= brokers; id++) {
            register(id);
            ApiError error = apply(new MetadataCommand.UnfenceBroker(id, image().broker(id).epoch()));
            check(error);
        }
        List<CreatedTopic> created = apply(new MetadataCommand.CreateTopics(
                List.of(new TopicSpec(TOPIC, partitions, (short) brokers, List.of(), Map.of())),
                List.of(new UUID(0x51, 0x51)), 1, (short) 1));
        check(created.get(0).error());
    }

    private static void check(ApiError error) {
        if (error.isFailure()) {
            throw new IllegalStateException(error.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T apply(MetadataCommand command) {
        var result = ControllerLogic.apply(image(), command);
        if (result.image() != image()) {
            history.add(result.image());
        }
        return (T) result.response();
    }

    MetadataImage image() {
        return history.get(history.size() - 1);
    }

    /** The images in the order brokers replay them; index 0 is the empty one. */
    List<MetadataImage> history() {
        return history;
    }

    PartitionInfo partition(int partition) {
        return partition(image(), partition);
    }

    static PartitionInfo partition(MetadataImage image, int partition) {
        return image.topic(TOPIC).partitions().get(partition);
    }

    BrokerRegistration broker(int id) {
        return image().broker(id);
    }

    /** A broker process (re)starting: a new incarnation, fenced, which fences the old one. */
    void register(int id) {
        apply(new MetadataCommand.RegisterBroker(id, new UUID(id, incarnations++), null,
                List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9000 + id))));
    }

    /** The broker's session timed out. */
    ApiError fence(int id) {
        return apply(new MetadataCommand.FenceBroker(id, broker(id).epoch()));
    }

    /** The broker is stopping (SIGTERM): its leaderships move to other in-sync replicas, it leaves the ISRs it can. */
    ApiError controlledShutdown(int id) {
        return apply(new MetadataCommand.ControlledShutdown(id, broker(id).epoch()));
    }

    /** The broker heartbeats and has caught up with the metadata. */
    ApiError unfence(int id) {
        return apply(new MetadataCommand.UnfenceBroker(id, broker(id).epoch()));
    }

    /** ElectLeaders PREFERRED for one partition (the first replica, if alive and in the ISR); answers the error. */
    Errors electPreferred(int partition) {
        Map<TopicPartition, ApiError> result = apply(new MetadataCommand.ElectLeaders(ElectionType.PREFERRED,
                List.of(new TopicPartition(TOPIC, partition))));
        return result.values().iterator().next().error();
    }

    record AlterResult(Errors error, PartitionInfo partition) {
    }

    /** AlterPartition, decided by ControllerLogic; the answer carries the partition as it is now. */
    AlterResult alterPartition(int partition, int leaderId, int leaderEpoch, int partitionEpoch, List<Integer> newIsr) {
        UUID topicId = image().topic(TOPIC).topicId();
        try {
            PartitionInfo after = apply(new MetadataCommand.AlterPartition(topicId, partition, leaderId, leaderEpoch,
                    partitionEpoch, newIsr));
            return new AlterResult(Errors.NONE, after);
        } catch (ApiException e) {
            return new AlterResult(e.error().error(), partition(partition));
        }
    }
}
