package io.fjord.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.fetch.FetchNode;
import io.fjord.testing.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proof that a consumer's records leave the broker through file regions, not through buffers. */
class ZeroCopyFetchTest {
    @TempDir
    Path dir;

    @Test
    void consumerFetchesAreSentFromTheSegmentFiles() {
        try (FetchNode node = FetchNode.start(dir)) {
            node.createTopic("zc", 1);
            for (int i = 0; i < 20; i++) {
                node.append("zc", 0, 50, "batch" + i);
            }
            long logBytes = node.partition("zc", 0).log().sizeInBytes();
            long before = FileRecordsRegion.bytesSent();

            TopicPartition tp = new TopicPartition("zc", 0);
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(node.port)) {
                assertThat(KafkaClients.readFromBeginning(consumer, List.of(tp), 1000, Duration.ofSeconds(20))).hasSize(1000);
            }

            // Every record byte went out as a region (transferred() counts what sendfile moved);
            // other tests in this JVM may add to the counter, never take from it.
            assertThat(FileRecordsRegion.bytesSent() - before).isGreaterThanOrEqualTo(logBytes);
        }
    }
}
