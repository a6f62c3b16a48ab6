package io.fjord.replication;

import io.fjord.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.OffsetForLeaderEpochRequestData;
import io.fjord.protocol.message.OffsetForLeaderEpochResponseData;
import io.fjord.testing.InProcessCluster;
import io.fjord.testing.RawConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads that do not go to the leader, against three in-process nodes in three racks with Kafka's
 * RackAwareReplicaSelector: a leader sends a consumer in a follower's rack to that follower (KIP-392), the
 * follower serves it up to its high watermark, and Kafka's Java consumer follows the hint and reads every
 * record. OffsetForLeaderEpoch answers where the leader's epoch ends, from the leader only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FetchFromFollowerTest {
    private static final String TOPIC = "near";
    private static final int RECORDS = 50;
    private static final short FETCH_V12 = 12;

    @TempDir
    Path dir;

    @Test
    void consumersReadFromAnInSyncFollowerInTheirRack() throws Exception {
        InProcessCluster cluster = new InProcessCluster(dir, List.of(1, 2, 3), List.of(1, 2, 3),
                "replica.selector.class", "org.apache.kafka.common.replica.RackAwareReplicaSelector");
        for (int id = 1; id <= 3; id++) {
            cluster.nodeSetting(id, "broker.rack", "rack-" + id);
        }
        try (cluster; Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.start().bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            TopicPartitionInfo partition = awaitFullIsr(admin);
            int leader = partition.leader().id();
            int follower = partition.replicas().stream().mapToInt(n -> n.id()).filter(id -> id != leader).findFirst()
                    .orElseThrow();
            produce(cluster.bootstrap());
            Await.until("the follower's high watermark reaches the leader's", () -> followerRecords(cluster, follower) == RECORDS);

            try (RawConnection toLeader = new RawConnection(cluster.port(leader))) {
                FetchResponseData.PartitionData hinted = only(toLeader.roundTrip(ApiKey.FETCH, FETCH_V12,
                        fetch("rack-" + follower)));
                assertThat(hinted.errorCode()).isZero();
                assertThat(hinted.preferredReadReplica()).isEqualTo(follower);
                assertThat(hinted.records().sizeInBytes()).isZero();
                FetchResponseData.PartitionData sameRack = only(toLeader.roundTrip(ApiKey.FETCH, FETCH_V12,
                        fetch("rack-" + leader)));
                assertThat(sameRack.preferredReadReplica()).as("the leader is in the consumer's rack").isEqualTo(-1);
                assertThat(sameRack.records().sizeInBytes()).isPositive();
            }

            List<String> values = new ArrayList<>();
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
            props.put(ConsumerConfig.CLIENT_RACK_CONFIG, "rack-" + follower);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                TopicPartition tp = new TopicPartition(TOPIC, 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (values.size() < RECORDS && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
                assertThat(preferredReadReplica(consumer)).as("the consumer's preferred-read-replica metric")
                        .isEqualTo((double) follower);
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                expected.add("v" + i);
            }
            assertThat(values).isEqualTo(expected);
        }
    }

    @Test
    void offsetForLeaderEpochAnswersFromTheLeaderOnly() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, List.of(1, 2, 3), List.of(1, 2, 3)).start();
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            int leader = awaitFullIsr(admin).leader().id();
            produce(cluster.bootstrap());
            int follower = leader % 3 + 1;
            int epoch = cluster.node(leader).partitions().partition(TOPIC, 0).leaderEpoch();
            try (RawConnection toLeader = new RawConnection(cluster.port(leader));
                    RawConnection toFollower = new RawConnection(cluster.port(follower))) {
                OffsetForLeaderEpochResponseData.EpochEndOffset current = epochEnd(toLeader, TOPIC, epoch, -1);
                assertThat(current.errorCode()).isZero();
                assertThat(current.leaderEpoch()).isEqualTo(epoch);
                assertThat(current.endOffset()).isEqualTo(RECORDS);
                OffsetForLeaderEpochResponseData.EpochEndOffset later = epochEnd(toLeader, TOPIC, epoch + 5, -1);
                assertThat(later.leaderEpoch()).as("an epoch after every one the log knows").isEqualTo(-1);
                assertThat(later.endOffset()).isEqualTo(-1);
                assertThat(epochEnd(toLeader, TOPIC, epoch, epoch + 1).errorCode())
                        .isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
                assertThat(epochEnd(toFollower, TOPIC, epoch, -1).errorCode())
                        .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
                assertThat(epochEnd(toLeader, "no-such-topic", 0, -1).errorCode())
                        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
        }
    }

    private static OffsetForLeaderEpochResponseData.EpochEndOffset epochEnd(RawConnection connection, String topic,
            int leaderEpoch, int currentLeaderEpoch) throws Exception {
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
        request.topics().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(topic).setPartitions(
                List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                        .setLeaderEpoch(leaderEpoch).setCurrentLeaderEpoch(currentLeaderEpoch))));
        OffsetForLeaderEpochResponseData response = connection.roundTrip(ApiKey.OFFSET_FOR_LEADER_EPOCH, (short) 4, request);
        return response.topics().get(0).partitions().get(0);
    }

    private static FetchRequestData fetch(String rack) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic(TOPIC);
        topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                .setPartitionMaxBytes(1 << 20).setCurrentLeaderEpoch(-1));
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setRackId(rack);
        request.topics().add(topic);
        return request;
    }

    private static FetchResponseData.PartitionData only(FetchResponseData response) {
        return response.responses().get(0).partitions().get(0);
    }

    /** Records a consumer-style fetch (v12, no rack) gets from {@code node}: up to its own high watermark. */
    private static long followerRecords(InProcessCluster cluster, int node) {
        return cluster.node(node).partitions().partition(TOPIC, 0).highWatermark();
    }

    private static double preferredReadReplica(KafkaConsumer<?, ?> consumer) {
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            if (e.getKey().name().equals("preferred-read-replica")) {
                Object value = e.getValue().metricValue();
                return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
            }
        }
        return Double.NaN;
    }

    private static void produce(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static TopicPartitionInfo awaitFullIsr(Admin admin) throws InterruptedException {
        TopicPartitionInfo[] seen = new TopicPartitionInfo[1];
        Await.until("the partition has a leader and three in-sync replicas", () -> {
            try {
                TopicPartitionInfo p = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(TOPIC).partitions().get(0);
                seen[0] = p;
                return p.leader() != null && p.isr().size() == 3;
            } catch (Exception e) {
                return false;
            }
        });
        return seen[0];
    }
}
