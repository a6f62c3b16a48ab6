package io.fjord.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.KafkaTools;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's cluster admin APIs through the Java AdminClient against one node: describeCluster,
 * describeMetadataQuorum, electLeaders, alterPartitionReassignments and listPartitionReassignments,
 * with Apache Kafka's answers for a one-broker cluster (the node is the only voter and leads every
 * partition, so no election is ever needed and only a reassignment onto itself is valid). The
 * elections, the reassignment checks and the one-voter quorum are decided by ControllerLogic behind
 * LocalMetadataStore; the handlers here only carry them.
 */
class ClusterAdminTest {
    private static final int NODE_ID = 1;

    @TempDir
    static Path dataDir;
    static FjordNode node;
    static Admin admin;

    @BeforeAll
    static void startNode() throws Exception {
        node = TestNodes.start(dataDir, NodeConfig.NODE_ID, String.valueOf(NODE_ID));
        admin = KafkaClients.admin(TestNodes.port(node));
        KafkaClients.createTopics(TestNodes.port(node), new NewTopic("reassign", 2, (short) 1), new NewTopic("elect", 1, (short) 1));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void describeClusterNamesTheNodeAsBrokerAndController() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true));
        assertThat(KafkaClients.get(cluster.nodes())).extracting(Node::id).containsExactly(NODE_ID);
        assertThat(KafkaClients.get(cluster.controller()).id()).isEqualTo(NODE_ID);
        assertThat(KafkaClients.get(cluster.clusterId())).isEqualTo(node.clusterId());
        assertThat(KafkaClients.get(cluster.nodes()).iterator().next().isFenced()).isFalse();
    }

    @Test
    void listingReassignmentsOfANodeWithNoneFindsNone() throws Exception {
        assertThat(KafkaClients.get(admin.listPartitionReassignments().reassignments())).isEmpty();
        assertThat(KafkaClients.get(admin.listPartitionReassignments(Set.of(new TopicPartition("reassign", 1)))
                .reassignments())).isEmpty();
    }

    @Test
    void theQuorumIsTheNodeAlone() throws Exception {
        QuorumInfo quorum = KafkaClients.get(admin.describeMetadataQuorum().quorumInfo());
        assertThat(quorum.leaderId()).isEqualTo(NODE_ID);
        assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactly(NODE_ID);
        assertThat(quorum.observers()).isEmpty();
    }

    @Test
    void noElectionIsNeededWhereThePreferredLeaderLeads() throws Exception {
        TopicPartition tp = new TopicPartition("elect", 0);
        Map<TopicPartition, Optional<Throwable>> preferred =
                KafkaClients.get(admin.electLeaders(ElectionType.PREFERRED, Set.of(tp)).partitions());
        assertThat(preferred.get(tp)).containsInstanceOf(ElectionNotNeededException.class);
        Map<TopicPartition, Optional<Throwable>> unclean =
                KafkaClients.get(admin.electLeaders(ElectionType.UNCLEAN, Set.of(tp)).partitions());
        assertThat(unclean.get(tp)).containsInstanceOf(ElectionNotNeededException.class);
        // Every partition: those needing nothing are left out of the answer.
        assertThat(KafkaClients.get(admin.electLeaders(ElectionType.PREFERRED, null).partitions())).isEmpty();
        TopicPartition unknown = new TopicPartition("no-such-topic", 0);
        assertThat(KafkaClients.get(admin.electLeaders(ElectionType.PREFERRED, Set.of(unknown)).partitions()).get(unknown))
                .containsInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void reassignmentsAreCheckedAsKafkaChecksThem() throws Exception {
        TopicPartition tp = new TopicPartition("reassign", 0);
        // Onto the replicas it has: nothing to add, so it completes at once.
        KafkaClients.get(admin.alterPartitionReassignments(
                Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(NODE_ID))))).all());
        Map<TopicPartition, PartitionReassignment> ongoing = KafkaClients.get(admin.listPartitionReassignments().reassignments());
        assertThat(ongoing).isEmpty();

        assertThat(KafkaClients.failure(admin.alterPartitionReassignments(
                Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(NODE_ID, NODE_ID))))).all()))
                .isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThat(KafkaClients.failure(admin.alterPartitionReassignments(
                Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(7))))).all()))
                .isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThat(KafkaClients.failure(admin.alterPartitionReassignments(Map.of(tp, Optional.empty())).all()))
                .isInstanceOf(NoReassignmentInProgressException.class);
        TopicPartition unknown = new TopicPartition("no-such-topic", 0);
        assertThat(KafkaClients.failure(admin.alterPartitionReassignments(
                Map.of(unknown, Optional.of(new NewPartitionReassignment(List.of(NODE_ID))))).all()))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    private static String tool(String mainClass, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = KafkaClients.bootstrap(TestNodes.port(node));
        System.arraycopy(args, 0, all, 2, args.length);
        KafkaTools.Result result = KafkaTools.run(mainClass, all);
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        return result.stdout();
    }

    @Test
    void kafkasToolsListReassignments() {
        assertThat(tool("org.apache.kafka.tools.reassign.ReassignPartitionsCommand", "--list"))
                .contains("No partition reassignments found.");
    }

    @Test
    void kafkasToolsDescribeTheQuorumAndFindNoElectionToRun() {
        String status = tool("org.apache.kafka.tools.MetadataQuorumCommand", "describe", "--status");
        assertThat(status).contains("ClusterId:              " + node.clusterId())
                .contains("LeaderId:               " + NODE_ID)
                .contains("CurrentVoters:          [{\"id\": " + NODE_ID);
        String replication = tool("org.apache.kafka.tools.MetadataQuorumCommand", "describe", "--replication");
        assertThat(replication.lines().skip(1).findFirst().orElseThrow()).startsWith(NODE_ID + " ").contains("Leader");
        assertThat(tool("org.apache.kafka.tools.LeaderElectionCommand", "--election-type", "preferred",
                "--topic", "elect", "--partition", "0"))
                .contains("Valid replica already elected for partitions elect-0");
    }
}
