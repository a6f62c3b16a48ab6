package io.fjord.controller.raft;

import io.fjord.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.metadata.BrokerRegistration;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicInfo;
import io.fjord.server.FjordNode;
import io.fjord.testing.InProcessCluster;
import io.fjord.testing.KafkaClients;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker of a 3-node cluster that is stopped moves its leaderships to the other brokers and leaves
 * their ISRs before it stops. The lease is long, so fencing (which would move them too) cannot happen
 * while the test looks.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ControlledShutdownClusterTest {
    @TempDir
    Path tmp;

    @Test
    void aStoppingBrokerHandsOverItsLeadershipsBeforeItStops() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(tmp, List.of(1, 2, 3), List.of(1, 2, 3),
                "broker.session.timeout.ms", "60000", "broker.heartbeat.interval.ms", "300").start()) {
            int active = Await.value(() -> cluster.node(1).metadata().activeControllerId(), id -> id > 0);
            // Stop a node that is not the active controller, so the quorum keeps its leader throughout.
            int stopping = active == 3 ? 2 : 3;
            int survivor = active;
            try (Admin admin = KafkaClients.admin(cluster.port(survivor), "bootstrap.servers",
                    "127.0.0.1:" + cluster.port(survivor))) {
                KafkaClients.get(admin.createTopics(List.of(new NewTopic("moved", 6, (short) 3),
                        new NewTopic("alone", Map.of(0, List.of(stopping))))).all());
                Await.value(() -> ledBy(cluster.node(stopping).metadata().image(), stopping), n -> n == 2);

                alterPartitionThroughTheQuorum(cluster);

                FjordNode node = cluster.node(stopping);
                cluster.stopNode(stopping);

                // Its own image had the change by the time it stopped: it led nothing it could hand over.
                MetadataImage last = node.metadata().image();
                assertThat(ledBy(last, stopping)).isZero();
                for (PartitionInfo p : last.topic("moved").partitions()) {
                    assertThat(p.isr()).containsExactlyInAnyOrderElementsOf(
                            p.replicas().stream().filter(r -> r != stopping).toList());
                }

                // The others see it in controlled shutdown, not fenced: the move was not the lease running out.
                BrokerRegistration seen = Await.value(() -> cluster.node(survivor).metadata().image().broker(stopping),
                        BrokerRegistration::inControlledShutdown);
                assertThat(seen.fenced()).isFalse();
                List<TopicPartitionInfo> partitions = Await.value(() -> describe(admin, "moved"),
                        ps -> ps.stream().allMatch(p -> p.leader() != null && p.leader().id() != stopping));
                assertThat(partitions).hasSize(6).allSatisfy(p -> {
                    assertThat(p.isr()).extracting(Node::id).doesNotContain(stopping).hasSize(2);
                    assertThat(p.replicas()).extracting(Node::id).contains(stopping);
                });
                // Its only replica: the ISR keeps it (nothing acknowledged is given up), without a leader.
                TopicPartitionInfo alone = describe(admin, "alone").get(0);
                assertThat(alone.leader()).isNull();
                assertThat(alone.isr()).extracting(Node::id).containsExactly(stopping);

                // Restarted, it registers again: no longer in controlled shutdown, and unfenced.
                cluster.startNode(stopping);
                BrokerRegistration back = Await.value(() -> cluster.node(survivor).metadata().image().broker(stopping),
                        b -> !b.inControlledShutdown() && !b.fenced());
                assertThat(back.epoch()).isGreaterThan(seen.epoch());
                Await.value(() -> describe(admin, "alone").get(0), p -> p.leader() != null && p.leader().id() == stopping);
            }
        }
    }

    @Test
    void withControlledShutdownSwitchedOffABrokerStopsStillLeading() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(tmp, List.of(1, 2, 3), List.of(1, 2, 3),
                "broker.session.timeout.ms", "60000", "broker.heartbeat.interval.ms", "300",
                "controlled.shutdown.enable", "false").start();
             Admin admin = KafkaClients.admin(cluster.port(1), "bootstrap.servers", "127.0.0.1:" + cluster.port(1))) {
            KafkaClients.get(admin.createTopics(List.of(new NewTopic("moved", 6, (short) 3))).all());
            Await.value(() -> ledBy(cluster.node(3).metadata().image(), 3), n -> n == 2);
            FjordNode node = cluster.node(3);
            cluster.stopNode(3);
            assertThat(ledBy(node.metadata().image(), 3)).isEqualTo(2);
            assertThat(cluster.node(1).metadata().image().broker(3).inControlledShutdown()).isFalse();
        }
    }

    /**
     * The leader of moved-0 shrinks its ISR and expands it again through its own store: each answer is
     * in its image by the time it arrives; a change based on the old partition epoch is refused.
     */
    private static void alterPartitionThroughTheQuorum(InProcessCluster cluster) throws Exception {
        MetadataImage image = cluster.node(1).metadata().image();
        java.util.UUID id = image.topicImage("moved").id();
        int leader = image.topic("moved").partitions().get(0).leaderId();
        io.fjord.metadata.MetadataStore store = cluster.node(leader).metadata();
        PartitionInfo before = store.image().topic("moved").partitions().get(0);
        List<Integer> shrunk = List.of(leader);
        PartitionInfo after = store.alterPartition(id, 0, leader, before.leaderEpoch(), before.partitionEpoch(), shrunk)
                .get(30, TimeUnit.SECONDS);
        assertThat(after.isr()).containsExactly(leader);
        assertThat(after.partitionEpoch()).isEqualTo(before.partitionEpoch() + 1);
        assertThat(store.image().topic("moved").partitions().get(0)).isEqualTo(after);
        assertThatThrownBy(() -> store.alterPartition(id, 0, leader, before.leaderEpoch(), before.partitionEpoch(),
                before.isr()).get(30, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(io.fjord.metadata.ApiException.class,
                e -> assertThat(e.error().error()).isEqualTo(io.fjord.protocol.Errors.INVALID_UPDATE_VERSION));
        PartitionInfo restored = store.alterPartition(id, 0, leader, after.leaderEpoch(), after.partitionEpoch(),
                before.isr()).get(30, TimeUnit.SECONDS);
        assertThat(restored.isr()).isEqualTo(before.isr());
        assertThat(store.image().topic("moved").partitions().get(0)).isEqualTo(restored);
    }

    private static int ledBy(MetadataImage image, int broker) {
        int led = 0;
        for (TopicInfo topic : image.topics()) {
            if (topic.name().equals("moved")) {
                for (PartitionInfo p : topic.partitions()) {
                    led += p.leaderId() == broker ? 1 : 0;
                }
            }
        }
        return led;
    }

    private static List<TopicPartitionInfo> describe(Admin admin, String topic) {
        try {
            return KafkaClients.get(admin.describeTopics(Set.of(topic)).allTopicNames()).get(topic).partitions();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
