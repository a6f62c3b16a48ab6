package io.fjord.group;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.OffsetFetchRequestData;
import io.fjord.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetFetch by topic name (v1-9; v10 names topics by id and is not served yet): one group up to v7,
 * several from v8. A partition without a committed offset answers -1. {@code require_stable} has no
 * effect until transactional commits exist.
 */
public final class OffsetFetchHandler extends AbstractApiHandler {
    private final GroupCoordinator coordinator;

    public OffsetFetchHandler(GroupCoordinator coordinator) {
        super(ApiKey.OFFSET_FETCH, ApiKey.OFFSET_FETCH.lowestVersion(), 9);
        this.coordinator = coordinator;
    }

    private record Wanted(String topic, List<Integer> partitions) {}

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        OffsetFetchRequestData request = (OffsetFetchRequestData) message;
        if (context.apiVersion() >= 8) {
            List<CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup>> groups = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestGroup g : request.groups()) {
                List<Wanted> wanted = null;
                if (g.topics() != null) {
                    wanted = new ArrayList<>();
                    for (OffsetFetchRequestData.OffsetFetchRequestTopics t : g.topics()) {
                        wanted.add(new Wanted(t.name(), t.partitionIndexes()));
                    }
                }
                // v9+: a member of a KIP-848 group names itself and its epoch; Kafka checks both.
                CompletableFuture<Errors> check = context.apiVersion() >= 9 && g.memberId() != null
                        ? coordinator.validateOffsetFetch(g.groupId(), g.memberId(), g.memberEpoch())
                        : CompletableFuture.completedFuture(Errors.NONE);
                List<Wanted> asked = wanted;
                groups.add(check.thenCompose(error -> error != Errors.NONE
                        ? CompletableFuture.completedFuture(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                                .setGroupId(g.groupId()).setErrorCode(error.code()).setTopics(List.of()))
                        : fetch(g.groupId(), asked).thenApply(found -> {
                    List<OffsetFetchResponseData.OffsetFetchResponseTopics> topics = new ArrayList<>();
                    found.forEach((topic, partitions) -> {
                        List<OffsetFetchResponseData.OffsetFetchResponsePartitions> list = new ArrayList<>();
                        partitions.forEach((partition, c) -> list.add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                                .setPartitionIndex(partition).setCommittedOffset(c == null ? -1 : c.offset())
                                .setCommittedLeaderEpoch(c == null ? -1 : c.leaderEpoch())
                                .setMetadata(c == null ? "" : c.metadata())));
                        topics.add(new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(topic).setPartitions(list));
                    });
                    return new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(g.groupId()).setTopics(topics);
                })).exceptionally(e -> new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(g.groupId())
                        .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setTopics(List.of())));
            }
            return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(v ->
                    new OffsetFetchResponseData().setGroups(groups.stream().map(CompletableFuture::join).toList()));
        }
        List<Wanted> wanted = null;
        if (request.topics() != null) {
            wanted = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : request.topics()) {
                wanted.add(new Wanted(t.name(), t.partitionIndexes()));
            }
        }
        return fetch(request.groupId(), wanted).<ApiMessage>thenApply(found -> {
            List<OffsetFetchResponseData.OffsetFetchResponseTopic> topics = new ArrayList<>();
            found.forEach((topic, partitions) -> {
                List<OffsetFetchResponseData.OffsetFetchResponsePartition> list = new ArrayList<>();
                partitions.forEach((partition, c) -> list.add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                        .setPartitionIndex(partition).setCommittedOffset(c == null ? -1 : c.offset())
                        .setCommittedLeaderEpoch(c == null ? -1 : c.leaderEpoch())
                        .setMetadata(c == null ? "" : c.metadata())));
                topics.add(new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic).setPartitions(list));
            });
            return new OffsetFetchResponseData().setTopics(topics);
        }).exceptionally(e -> new OffsetFetchResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setTopics(List.of()));
    }

    /** topic -> partition -> committed (null when none), in request order. */
    private CompletableFuture<Map<String, Map<Integer, GroupCoordinator.Committed>>> fetch(String groupId, List<Wanted> wanted) {
        List<GroupCoordinator.OffsetKey> keys = null;
        if (wanted != null) {
            keys = new ArrayList<>();
            for (Wanted w : wanted) {
                for (int p : w.partitions()) {
                    keys.add(new GroupCoordinator.OffsetKey(w.topic(), p));
                }
            }
        }
        return coordinator.fetchOffsets(groupId, keys).thenApply(committed -> {
            Map<String, Map<Integer, GroupCoordinator.Committed>> result = new LinkedHashMap<>();
            if (wanted == null) {
                committed.forEach((k, c) -> result.computeIfAbsent(k.topic(), t -> new LinkedHashMap<>()).put(k.partition(), c));
            } else {
                for (Wanted w : wanted) {
                    Map<Integer, GroupCoordinator.Committed> partitions = result.computeIfAbsent(w.topic(), t -> new LinkedHashMap<>());
                    for (int p : w.partitions()) {
                        partitions.put(p, committed.get(new GroupCoordinator.OffsetKey(w.topic(), p)));
                    }
                }
            }
            return result;
        });
    }
}
