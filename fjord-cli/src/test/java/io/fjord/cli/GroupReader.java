package io.fjord.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A member of a consumer group (Kafka's Java consumer, classic protocol) on a thread of its own:
 * it polls, keeps every record it got in the order it got them, and commits its position with
 * commitSync after each poll that returned records, unless commits are {@linkplain #holdCommits held}.
 * Failed commits are counted by exception and retried with the next poll, as an application would.
 */
final class GroupReader {
    /** One record as the member received it. */
    record Received(long offset, String value) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Thread thread;
    private final Map<Integer, List<Received>> received = new TreeMap<>();
    private final Map<String, Long> commitErrors = new TreeMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> lastCommitted = new HashMap<>();
    private final AtomicLong receivedTotal = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private volatile boolean holdCommits;
    private volatile boolean holding;
    private volatile boolean stopping;
    private volatile Throwable failure;

    GroupReader(String bootstrap, String group, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        this.topic = topic;
        this.thread = new Thread(this::run, "group-reader-" + group);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (!stopping) {
                var records = consumer.poll(Duration.ofMillis(200));
                synchronized (this) {
                    for (ConsumerRecord<String, String> record : records) {
                        received.computeIfAbsent(record.partition(), p -> new ArrayList<>())
                                .add(new Received(record.offset(), record.value()));
                    }
                }
                receivedTotal.addAndGet(records.count());
                if (holdCommits) {
                    holding = true;
                    continue;
                }
                holding = false;
                if (!records.isEmpty()) {
                    commit();
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        }
        try {
            consumer.commitSync(positions);
            synchronized (this) {
                lastCommitted.putAll(positions);
            }
            commits.incrementAndGet();
        } catch (RuntimeException e) {
            // A coordinator that went away, a rebalance: the next poll carries on and the next commit tries again.
            synchronized (this) {
                commitErrors.merge(e.getClass().getSimpleName(), 1L, Long::sum);
            }
        }
    }

    /** Stops committing; returns once no commit of this member is in progress. */
    void holdCommits(Duration timeout) throws InterruptedException {
        holdCommits = true;
        Await.until("group member stopped committing", timeout, () -> holding || failure != null, h -> h);
    }

    void resumeCommits() {
        holdCommits = false;
    }

    void stop() throws InterruptedException {
        stopping = true;
        thread.join(30_000);
    }

    long receivedTotal() {
        return receivedTotal.get();
    }

    long commits() {
        return commits.get();
    }

    /** This reader, or an exception naming what its thread died of: for probes that must not wait on a dead member. */
    GroupReader alive() {
        if (failure != null) {
            throw new IllegalStateException("the group member's thread died: " + failure, failure);
        }
        return this;
    }

    /** What the consumer thread died of, or null. */
    Throwable failure() {
        return failure;
    }

    synchronized Map<Integer, List<Received>> received() {
        Map<Integer, List<Received>> copy = new TreeMap<>();
        received.forEach((p, list) -> copy.put(p, List.copyOf(list)));
        return copy;
    }

    /** The highest offset received + 1 per partition (where it would read next if nothing were re-read). */
    synchronized Map<Integer, Long> reachedOffsets() {
        Map<Integer, Long> out = new TreeMap<>();
        received.forEach((p, list) -> out.put(p, list.stream().mapToLong(Received::offset).max().orElse(-1) + 1));
        return out;
    }

    synchronized Map<String, Long> commitErrors() {
        return new TreeMap<>(commitErrors);
    }

    synchronized Map<TopicPartition, OffsetAndMetadata> lastCommitted() {
        return new HashMap<>(lastCommitted);
    }
}
