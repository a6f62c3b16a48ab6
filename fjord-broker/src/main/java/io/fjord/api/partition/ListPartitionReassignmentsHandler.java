package io.fjord.api.partition;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.CurrentLeader;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicRegistry;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ListPartitionReassignmentsRequestData;
import io.fjord.protocol.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import io.fjord.protocol.message.ListPartitionReassignmentsResponseData;
import io.fjord.protocol.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import io.fjord.protocol.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ListPartitionReassignments: the reassignments in progress (partitions with replicas being added or
 * removed), read from the metadata image. Null topics means every partition; partitions or topics
 * asked for that do not exist or are not being reassigned are left out, as Kafka's controller does.
 */
public final class ListPartitionReassignmentsHandler extends AbstractApiHandler {
    private final ClusterView cluster;

    public ListPartitionReassignmentsHandler(ClusterView cluster) {
        super(ApiKey.LIST_PARTITION_REASSIGNMENTS, 0, 0);
        this.cluster = cluster;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        ListPartitionReassignmentsRequestData request = (ListPartitionReassignmentsRequestData) body;
        TopicRegistry registry = cluster.topics();
        List<OngoingTopicReassignment> topics = new ArrayList<>();
        if (request.topics() == null) {
            for (TopicInfo topic : registry.topics()) {
                List<OngoingPartitionReassignment> ongoing = new ArrayList<>();
                for (PartitionInfo p : topic.partitions()) {
                    addIfOngoing(p, ongoing);
                }
                addTopic(topic.name(), ongoing, topics);
            }
        } else {
            for (ListPartitionReassignmentsTopics topic : request.topics()) {
                List<OngoingPartitionReassignment> ongoing = new ArrayList<>();
                for (int index : topic.partitionIndexes()) {
                    addIfOngoing(CurrentLeader.partitionInfo(registry, topic.name(), null, index), ongoing);
                }
                addTopic(topic.name(), ongoing, topics);
            }
        }
        return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponseData().setTopics(topics));
    }

    private static void addIfOngoing(PartitionInfo p, List<OngoingPartitionReassignment> out) {
        if (p != null && (!p.addingReplicas().isEmpty() || !p.removingReplicas().isEmpty())) {
            out.add(new OngoingPartitionReassignment()
                    .setPartitionIndex(p.partition())
                    .setReplicas(new ArrayList<>(p.replicas()))
                    .setAddingReplicas(new ArrayList<>(p.addingReplicas()))
                    .setRemovingReplicas(new ArrayList<>(p.removingReplicas())));
        }
    }

    private static void addTopic(String name, List<OngoingPartitionReassignment> ongoing, List<OngoingTopicReassignment> out) {
        if (!ongoing.isEmpty()) {
            out.add(new OngoingTopicReassignment().setName(name).setPartitions(ongoing));
        }
    }
}
