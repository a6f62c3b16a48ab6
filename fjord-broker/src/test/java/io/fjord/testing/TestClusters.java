package io.fjord.testing;

import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.TopicRegistry;
import io.fjord.network.Endpoint;
import java.util.List;

/** Cluster views for handler tests that run without a node. */
public final class TestClusters {
    private TestClusters() {}

    /** Node 1, alive, on PLAINTEXT://host1:9092, also the controller; no topics (an empty image). */
    public static ClusterView singleNode() {
        return new ClusterView() {
            @Override
            public String clusterId() {
                return "cid";
            }

            @Override
            public List<BrokerNode> aliveBrokers() {
                return List.of(new BrokerNode(1, null, List.of(new Endpoint("PLAINTEXT", "host1", 9092)), false));
            }

            @Override
            public int controllerId() {
                return 1;
            }

            @Override
            public TopicRegistry topics() {
                return MetadataImage.EMPTY;
            }
        };
    }
}
