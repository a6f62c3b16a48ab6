package io.fjord.fetch;

import static io.fjord.fetch.FetchRequests.fetch;
import static io.fjord.fetch.FetchRequests.partition;
import static io.fjord.fetch.FetchRequests.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.RequestContext;
import io.fjord.log.Log;
import io.fjord.log.LogConfig;
import io.fjord.metadata.BrokerNode;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicInfo;
import io.fjord.metadata.TopicRegistry;
import io.fjord.network.Endpoint;
import io.fjord.network.FileRecords;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionConfig;
import io.fjord.partition.PartitionLookup;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler called directly, for what a one-node cluster cannot show over a socket: a leader epoch that moved on. */
class FetchHandlerTest {
    private static final UUID TOPIC_ID = UUID.randomUUID();
    private static final int NODE_ID = 1;
    private static final int LEADER_EPOCH = 3;

    @TempDir
    Path dir;
    private Partition partition;
    private FetchHandler handler;

    @BeforeEach
    void setUp() {
        Log log = Log.open(dir.resolve("t-0"), LogConfig.defaults());
        partition = new Partition(new TopicPartition("t", 0), TOPIC_ID, log, PartitionConfig.defaults(), LEADER_EPOCH);
        PartitionLookup lookup = new PartitionLookup() {
            @Override
            public Partition partition(String topic, int p) {
                return topic.equals("t") && p == 0 ? partition : null;
            }

            @Override
            public Partition partition(UUID topicId, int p) {
                return topicId.equals(TOPIC_ID) && p == 0 ? partition : null;
            }
        };
        TopicInfo topic = new TopicInfo("t", TOPIC_ID, false,
                List.of(new PartitionInfo(0, NODE_ID, LEADER_EPOCH, List.of(NODE_ID), List.of(NODE_ID), List.of())));
        ClusterView cluster = new ClusterView() {
            @Override
            public String clusterId() {
                return "c";
            }

            @Override
            public List<BrokerNode> aliveBrokers() {
                return List.of(new BrokerNode(NODE_ID, "rack-a", List.of(new Endpoint("PLAINTEXT", "broker.example", 9092)), false));
            }

            @Override
            public int controllerId() {
                return NODE_ID;
            }

            @Override
            public TopicRegistry topics() {
                return new TopicRegistry() {
                    @Override
                    public Collection<TopicInfo> topics() {
                        return List.of(topic);
                    }

                    @Override
                    public TopicInfo topic(String name) {
                        return name.equals("t") ? topic : null;
                    }

                    @Override
                    public TopicInfo topic(UUID topicId) {
                        return topicId.equals(TOPIC_ID) ? topic : null;
                    }
                };
            }
        };
        handler = new FetchHandler(lookup, cluster, new FetchSessionCache(10), FetchHandler.DEFAULT_FETCH_MAX_BYTES);
    }

    @AfterEach
    void tearDown() {
        partition.close();
    }

    private FetchResponseData call(short version, FetchRequestData request) throws Exception {
        RequestContext context = new RequestContext(ApiKey.FETCH, version, version, 1, "test", "PLAINTEXT",
                new InetSocketAddress(0));
        return (FetchResponseData) handler.handle(context, request).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStaleLeaderEpochIsFencedAndTheLeaderNamed() throws Exception {
        FetchResponseData v17 = call((short) 17, fetch(0, -1, 0, 1, topic(TOPIC_ID, partition(0, 0).setCurrentLeaderEpoch(1))));
        PartitionData p = v17.responses().get(0).partitions().get(0);
        assertThat(p.errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
        assertThat(p.currentLeader().leaderId()).isEqualTo(NODE_ID);
        assertThat(p.currentLeader().leaderEpoch()).isEqualTo(LEADER_EPOCH);
        assertThat(v17.nodeEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.nodeId()).isEqualTo(NODE_ID);
            assertThat(e.host()).isEqualTo("broker.example");
            assertThat(e.port()).isEqualTo(9092);
            assertThat(e.rack()).isEqualTo("rack-a");
        });

        // Before v16 the error alone.
        FetchResponseData v15 = call((short) 15, fetch(0, -1, 0, 1, topic(TOPIC_ID, partition(0, 0).setCurrentLeaderEpoch(1))));
        assertThat(v15.responses().get(0).partitions().get(0).currentLeader().leaderId()).isEqualTo(-1);
        assertThat(v15.nodeEndpoints()).isEmpty();
    }

    @Test
    void answersCarryFileRecordsThatMustBeReleased() throws Exception {
        partition.appendAsLeader(new RecordBatchBuilder(CompressionType.NONE).append(1L, null, new byte[100]).build());
        FetchResponseData response = call((short) 17, fetch(0, -1, 0, 1, topic(TOPIC_ID, partition(0, 0))));
        PartitionData p = response.responses().get(0).partitions().get(0);
        assertThat(p.records()).isInstanceOf(FileRecords.class);
        FileRecords records = (FileRecords) p.records();
        assertThat(records.refCnt()).isEqualTo(1);
        records.release();
    }

    @Test
    void aDelayedFetchOutsideAServerWaitsOnItsOwnThread() throws Exception {
        long start = System.nanoTime();
        FetchResponseData response = call((short) 17, fetch(0, -1, 300, 1, topic(TOPIC_ID, partition(0, 0))));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(250);
        assertThat(response.responses().get(0).partitions().get(0).records().sizeInBytes()).isZero();
    }
}
