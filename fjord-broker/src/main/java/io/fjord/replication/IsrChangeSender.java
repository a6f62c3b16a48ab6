package io.fjord.replication;

import io.fjord.metadata.PartitionInfo;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Where a partition leader sends its ISR changes: Kafka's AlterPartition, to the controller. The answer
 * is the partition as the controller now has it; a refusal fails the future with an ApiException
 * (FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA, ...), after which the leader waits
 * for the next metadata image and decides again.
 */
@FunctionalInterface
public interface IsrChangeSender {
    CompletableFuture<PartitionInfo> alterIsr(UUID topicId, int partition, int leaderId, int leaderEpoch,
            int partitionEpoch, List<Integer> newIsr);

    /** For partitions that can never change their ISR (tests of a single replica). */
    IsrChangeSender REFUSING = (topicId, partition, leaderId, leaderEpoch, partitionEpoch, newIsr) ->
            CompletableFuture.failedFuture(new IllegalStateException("no controller to change the ISR"));
}
