package io.fjord.cli;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;

/** Leaders and ISRs of a topic as DescribeTopics reports them, and the states the fault tests wait for. */
final class PartitionStates {
    /** What one poll saw: the unfenced brokers and the topic's partitions. */
    record Snapshot(Set<Integer> brokers, List<TopicPartitionInfo> partitions) {
        @Override
        public String toString() {
            return "unfenced brokers " + brokers + "; " + PartitionStates.summary(partitions);
        }
    }

    private PartitionStates() {
    }

    static Snapshot snapshot(Admin admin, String topic) throws Exception {
        return new Snapshot(ClusterClients.brokerIds(admin), ClusterClients.partitions(admin, topic));
    }

    /** Every broker unfenced, and each of the {@code partitions} led with every replica in its ISR. */
    static boolean healthy(Snapshot s, Set<Integer> brokers, int partitions) {
        return s.brokers().equals(brokers) && s.partitions().size() == partitions && s.partitions().stream()
                .allMatch(p -> ClusterClients.leader(p) >= 0 && p.isr().size() == p.replicas().size());
    }

    /** Every partition led by a broker other than {@code node}. */
    static boolean ledWithout(List<TopicPartitionInfo> partitions, int node) {
        return partitions.stream().allMatch(p -> ClusterClients.leader(p) >= 0 && ClusterClients.leader(p) != node);
    }

    /** {@code node} is in the ISR of no partition another broker leads. */
    static boolean outOfFollowedIsrs(List<TopicPartitionInfo> partitions, int node) {
        return partitions.stream().filter(p -> ClusterClients.leader(p) != node)
                .noneMatch(p -> ClusterClients.ids(p.isr()).contains(node));
    }

    static List<Integer> ledBy(List<TopicPartitionInfo> partitions, int node) {
        return partitions.stream().filter(p -> ClusterClients.leader(p) == node).map(TopicPartitionInfo::partition).toList();
    }

    /** "p0 leader 1 isr [1, 2, 3]; ..." */
    static String summary(List<TopicPartitionInfo> partitions) {
        return partitions.stream().map(p -> "p" + p.partition() + " leader " + ClusterClients.leader(p) + " isr "
                + ClusterClients.ids(p.isr())).collect(Collectors.joining("; "));
    }
}
