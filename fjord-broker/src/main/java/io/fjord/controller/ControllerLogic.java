package io.fjord.controller;

import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.ChangeResult;
import io.fjord.metadata.ConfigOperations;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.TopicOperations;
import io.fjord.protocol.Errors;
import java.util.List;
import java.util.Map;

/**
 * The controller's decisions: the next image and the answer for one metadata log entry. Pure and
 * deterministic (no clock, no randomness, no I/O), so every node that applies the same entries to the
 * same image gets the same result; the single-node store and the replicated one both decide here.
 * A whole-command failure throws {@link ApiException}; per-item failures are in the answer. When
 * nothing changes the very same image comes back (its version does not move).
 *
 * <p>Answers: CreateTopics a {@code List<CreatedTopic>}; DeleteTopics a {@code Map<UUID, ApiError>};
 * CreatePartitions a {@code Map<String, ApiError>}; AlterConfigs a {@code Map<ConfigResource, ApiError>};
 * AllocateProducerIds the first id ({@code Long}); RegisterBroker the broker epoch ({@code Long});
 * FenceBroker and UnfenceBroker an {@link ApiError}; ElectLeaders and AlterReassignments a
 * {@code Map<TopicPartition, ApiError>} in request order; InitCluster the cluster id in force;
 * AlterPartition the {@link io.fjord.metadata.PartitionInfo} after the change; ControlledShutdown an
 * {@link ApiError}.
 */
public final class ControllerLogic {

    private ControllerLogic() {
    }

    public static ChangeResult<?> apply(MetadataImage image, MetadataCommand command) {
        return switch (command) {
            case MetadataCommand.CreateTopics c -> TopicOperations.createTopics(image, c.topics(), c.topicIds(),
                    c.defaultPartitions(), c.defaultReplicationFactor());
            case MetadataCommand.DeleteTopics c -> TopicOperations.deleteTopics(image, c.topicIds());
            case MetadataCommand.CreatePartitions c -> TopicOperations.createPartitions(image, c.increases());
            case MetadataCommand.AlterConfigs c -> ConfigOperations.alterConfigs(image, c.changes());
            case MetadataCommand.AllocateProducerIds c -> allocateProducerIds(image, c.count());
            case MetadataCommand.RegisterBroker c -> BrokerFencing.register(image, c);
            case MetadataCommand.FenceBroker c -> BrokerFencing.fence(image, c);
            case MetadataCommand.UnfenceBroker c -> BrokerFencing.unfence(image, c);
            case MetadataCommand.ElectLeaders c -> LeaderElection.elect(image, c);
            case MetadataCommand.AlterReassignments c -> Reassignments.alter(image, c);
            case MetadataCommand.InitCluster c -> initCluster(image, c.clusterId());
            case MetadataCommand.AlterPartition c -> IsrChanges.alterPartition(image, c);
            case MetadataCommand.ControlledShutdown c -> BrokerFencing.controlledShutdown(image, c);
        };
    }

    /** The answer a validate-only CreateTopics gets: what creating them would answer, with nothing changed. */
    public static List<CreatedTopic> validateCreateTopics(MetadataImage image, MetadataCommand.CreateTopics command) {
        return TopicOperations.createTopics(image, command.topics(), command.topicIds(), command.defaultPartitions(),
                command.defaultReplicationFactor()).response();
    }

    /** The answer a validate-only CreatePartitions gets. */
    public static Map<String, ApiError> validateCreatePartitions(MetadataImage image, MetadataCommand.CreatePartitions command) {
        return TopicOperations.createPartitions(image, command.increases()).response();
    }

    /** The answer a validate-only AlterConfigs (or IncrementalAlterConfigs) gets. */
    public static Map<ConfigResource, ApiError> validateAlterConfigs(MetadataImage image, MetadataCommand.AlterConfigs command) {
        return ConfigOperations.alterConfigs(image, command.changes()).response();
    }

    private static ChangeResult<Long> allocateProducerIds(MetadataImage image, int count) {
        if (count <= 0) {
            throw new ApiException(Errors.INVALID_REQUEST, "cannot allocate " + count + " producer ids");
        }
        long first = image.nextProducerId();
        if (first > Long.MAX_VALUE - count) {
            throw new ApiException(Errors.UNKNOWN_SERVER_ERROR, "producer ids exhausted");
        }
        return new ChangeResult<>(image.toBuilder().nextProducerId(first + count).build(), first);
    }

    private static ChangeResult<String> initCluster(MetadataImage image, String clusterId) {
        if (image.clusterId() != null) {
            return new ChangeResult<>(image, image.clusterId());
        }
        if (clusterId == null || clusterId.isEmpty()) {
            throw new ApiException(Errors.INVALID_REQUEST, "A cluster id must not be empty.");
        }
        return new ChangeResult<>(image.toBuilder().clusterId(clusterId).build(), clusterId);
    }
}
