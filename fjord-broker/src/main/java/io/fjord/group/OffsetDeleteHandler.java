package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.ClusterView;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.OffsetDeleteRequestData;
import io.fjord.protocol.message.OffsetDeleteResponseData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OffsetDelete, every version (KIP-496). Group-level errors: INVALID_GROUP_ID (empty id),
 * GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP; partition-level: UNKNOWN_TOPIC_OR_PARTITION for a topic the
 * cluster does not have, GROUP_SUBSCRIBED_TO_TOPIC for a topic a member is subscribed to.
 */
public final class OffsetDeleteHandler extends AbstractApiHandler {
    private static final Logger log = LoggerFactory.getLogger(OffsetDeleteHandler.class);

    private final GroupCoordinator coordinator;
    private final ClusterView cluster;

    public OffsetDeleteHandler(GroupCoordinator coordinator, ClusterView cluster) {
        super(ApiKey.OFFSET_DELETE);
        this.coordinator = coordinator;
        this.cluster = cluster;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        OffsetDeleteRequestData request = (OffsetDeleteRequestData) message;
        String groupId = request.groupId();
        if (groupId == null || groupId.isEmpty()) {
            log.info("OffsetDelete with an empty group id from client {}", context.clientId());
            return CompletableFuture.completedFuture(new OffsetDeleteResponseData()
                    .setErrorCode(Errors.INVALID_GROUP_ID.code()).setTopics(List.of()));
        }
        Map<String, List<Integer>> wanted = new LinkedHashMap<>();
        Map<String, List<Integer>> unknown = new LinkedHashMap<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : request.topics()) {
            List<Integer> partitions = t.partitions().stream()
                    .map(OffsetDeleteRequestData.OffsetDeleteRequestPartition::partitionIndex).toList();
            boolean exists = cluster == null || cluster.topics().topic(t.name()) != null;
            (exists ? wanted : unknown).computeIfAbsent(t.name(), n -> new ArrayList<>()).addAll(partitions);
        }
        return coordinator.deleteOffsets(groupId, wanted).handle((result, failure) -> {
            Errors error = failure != null ? Errors.COORDINATOR_NOT_AVAILABLE : result.error();
            if (error != Errors.NONE) {
                log.info("OffsetDelete for group {} from client {}: {}", groupId, context.clientId(), error);
                return new OffsetDeleteResponseData().setErrorCode(error.code()).setTopics(List.of());
            }
            List<OffsetDeleteResponseData.OffsetDeleteResponseTopic> topics = new ArrayList<>();
            for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : request.topics()) {
                Map<Integer, Errors> errors = result.partitions().getOrDefault(t.name(), Map.of());
                List<OffsetDeleteResponseData.OffsetDeleteResponsePartition> partitions = new ArrayList<>();
                for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                    Errors e = unknown.containsKey(t.name()) ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                            : errors.getOrDefault(p.partitionIndex(), Errors.NONE);
                    partitions.add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(e.code()));
                }
                topics.add(new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(t.name()).setPartitions(partitions));
            }
            return new OffsetDeleteResponseData().setTopics(topics);
        });
    }
}
