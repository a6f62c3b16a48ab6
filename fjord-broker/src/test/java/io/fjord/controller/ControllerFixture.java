package io.fjord.controller;

import io.fjord.metadata.ApiError;
import io.fjord.metadata.ChangeResult;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicSpec;
import io.fjord.network.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Drives {@link ControllerLogic} for tests: an image and the answer of the last command. */
final class ControllerFixture {
    MetadataImage image = MetadataImage.EMPTY;
    private long idCounter = 1;

    @SuppressWarnings("unchecked")
    <T> T apply(MetadataCommand command) {
        ChangeResult<?> result = ControllerLogic.apply(image, command);
        image = result.image();
        return (T) result.response();
    }

    /** Registers {@code id} with {@code rack} and unfences it; returns its epoch. */
    long start(int id, String rack) {
        long epoch = register(id, rack);
        ApiError error = apply(new MetadataCommand.UnfenceBroker(id, epoch));
        if (error.isFailure()) {
            throw new AssertionError(error);
        }
        return epoch;
    }

    long register(int id, String rack) {
        return apply(new MetadataCommand.RegisterBroker(id, new UUID(id, idCounter++), rack,
                List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9000 + id))));
    }

    ApiError fence(int id) {
        return apply(new MetadataCommand.FenceBroker(id, image.broker(id).epoch()));
    }

    ApiError unfence(int id) {
        return apply(new MetadataCommand.UnfenceBroker(id, image.broker(id).epoch()));
    }

    void createTopic(String name, int partitions, int replicationFactor) {
        List<io.fjord.metadata.CreatedTopic> created = apply(new MetadataCommand.CreateTopics(
                List.of(new TopicSpec(name, partitions, (short) replicationFactor, List.of(), Map.of())),
                List.of(new UUID(0x7000 + name.hashCode(), idCounter++)), 1, (short) 1));
        if (created.get(0).error().isFailure()) {
            throw new AssertionError(created.get(0).error());
        }
    }

    PartitionInfo partition(String topic, int partition) {
        return image.topic(topic).partitions().get(partition);
    }
}
