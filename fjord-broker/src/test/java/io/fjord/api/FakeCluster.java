package io.fjord.api;

import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicRegistry;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** A cluster described by hand, for handler tests. */
record FakeCluster(String clusterId, List<BrokerNode> aliveBrokers, int controllerId, List<TopicInfo> topicList)
        implements ClusterView {

    @Override
    public TopicRegistry topics() {
        return new TopicRegistry() {
            @Override
            public Collection<TopicInfo> topics() {
                return topicList;
            }

            @Override
            public TopicInfo topic(String name) {
                return topicList.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
            }

            @Override
            public TopicInfo topic(UUID topicId) {
                return topicList.stream().filter(t -> t.topicId().equals(topicId)).findFirst().orElse(null);
            }
        };
    }
}
