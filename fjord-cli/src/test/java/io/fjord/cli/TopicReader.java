package io.fjord.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of a topic from its first offset up to the end offsets it had when the read
 * began, with no group and read_uncommitted (a consumer sees everything below the high watermark).
 */
final class TopicReader {
    /** One record as the log holds it. */
    record Stored(long offset, String value) {
    }

    private TopicReader() {
    }

    /** The records of each partition 0..{@code partitions}-1 in offset order. */
    static Map<Integer, List<Stored>> readAll(String bootstrap, String topic, int partitions, Duration timeout) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        List<TopicPartition> assigned = new ArrayList<>();
        Map<Integer, List<Stored>> out = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
            out.put(p, new ArrayList<>());
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    Map<TopicPartition, Long> positions = new HashMap<>();
                    assigned.forEach(tp -> positions.put(tp, consumer.position(tp)));
                    throw new AssertionError("reading " + topic + " did not reach the end offsets " + end + " within "
                            + timeout.toSeconds() + " s; positions " + positions);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    // Records beyond the end offsets taken at the start are not part of this read.
                    if (record.offset() < end.get(new TopicPartition(topic, record.partition()))) {
                        out.get(record.partition()).add(new Stored(record.offset(), record.value()));
                    }
                }
            }
        }
        return out;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
