package io.fjord.fetch;

import io.fjord.partition.Partition;
import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.server.FjordNode;
import io.fjord.testing.KafkaClients;
import io.fjord.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A running node with topics for fetch and offset tests. Records go straight into the partitions,
 * stamped the way the produce path stamps them, so these tests do not depend on Produce.
 */
public final class FetchNode implements AutoCloseable {
    public final FjordNode node;
    public final int port;

    private FetchNode(FjordNode node) {
        this.node = node;
        this.port = TestNodes.port(node);
    }

    public static FetchNode start(Path dir, String... settings) {
        return new FetchNode(TestNodes.start(dir, settings));
    }

    /** Creates the topic through the Admin API and waits until its partitions are open here. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        KafkaClients.createTopics(port, KafkaClients.topic(name, partitions, configs));
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int p = 0; p < partitions; p++) {
            while (node.partitions().partition(name, p) == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("partition " + name + "-" + p + " did not open");
                }
                Thread.onSpinWait();
            }
        }
    }

    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    public Partition partition(String topic, int p) {
        return node.partitions().partition(topic, p);
    }

    public UUID topicId(String topic) {
        return partition(topic, 0).topicId();
    }

    /** Appends one batch of records "{prefix}-{i}" with timestamps {@code firstTimestamp + i}; returns its base offset. */
    public long append(String topic, int p, CompressionType compression, int records, String prefix, long firstTimestamp) {
        Partition partition = partition(topic, p);
        RecordBatchBuilder builder = new RecordBatchBuilder(compression).partitionLeaderEpoch(partition.leaderEpoch());
        for (int i = 0; i < records; i++) {
            builder.append(firstTimestamp + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    (prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
        }
        long base = partition.logEndOffset();
        partition.appendAsLeader(builder.build());
        return base;
    }

    public long append(String topic, int p, int records, String prefix) {
        return append(topic, p, CompressionType.NONE, records, prefix, System.currentTimeMillis());
    }

    /** One record with a value of {@code valueBytes} bytes. */
    public void appendLarge(String topic, int p, int valueBytes) {
        Partition partition = partition(topic, p);
        byte[] value = new byte[valueBytes];
        partition.appendAsLeader(new RecordBatchBuilder(CompressionType.NONE).partitionLeaderEpoch(partition.leaderEpoch())
                .append(System.currentTimeMillis(), null, value).build());
    }

    @Override
    public void close() {
        node.close();
    }
}
