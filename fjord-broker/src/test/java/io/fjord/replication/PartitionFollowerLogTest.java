package io.fjord.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.log.Log;
import io.fjord.log.LogConfig;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionConfig;
import io.fjord.partition.TopicPartition;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionFollowerLogTest {
    private static final UUID TOPIC_ID = UUID.randomUUID();

    @TempDir
    Path dir;
    private Partition partition;

    @BeforeEach
    void setUp() {
        Log log = Log.open(dir.resolve("t-3"), LogConfig.defaults());
        partition = new Partition(new TopicPartition("t", 3), TOPIC_ID, log, PartitionConfig.defaults(), 2, false);
    }

    @AfterEach
    void tearDown() {
        partition.close();
    }

    @Test
    void wrappersOfOnePartitionAreEqualSoARepeatedFollowKeepsTheFetchState() {
        // The manager wraps the partition anew on every follow(); the fetcher compares with equals.
        assertThat(new PartitionFollowerLog(partition)).isEqualTo(new PartitionFollowerLog(partition));
        Partition other = new Partition(new TopicPartition("t", 3), TOPIC_ID,
                Log.open(dir.resolve("t-3-other"), LogConfig.defaults()), PartitionConfig.defaults(), 2, false);
        try {
            assertThat(new PartitionFollowerLog(partition)).isNotEqualTo(new PartitionFollowerLog(other));
        } finally {
            other.close();
        }
    }

    @Test
    void readsThroughToThePartition() {
        FollowerLog replica = new PartitionFollowerLog(partition);

        assertThat(replica.topicPartition()).isEqualTo(new TopicPartition("t", 3));
        assertThat(replica.topicId()).isEqualTo(TOPIC_ID);
        assertThat(replica.logEndOffset()).isZero();
        assertThat(replica.logStartOffset()).isZero();
    }
}
