package io.fjord.cli;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An idempotent Java producer (acks=all, retries left at Kafka's default, five requests in flight)
 * sending numbered records round-robin to every partition of a topic on a thread of its own, at
 * most {@code recordsPerSecond}, until {@link #stop}; every send and acknowledgement goes into a
 * {@link RecordLedger}. The rate cap keeps the number of records, and so the test's run time, the
 * same on fast and slow machines while faults happen.
 */
final class PacedProducer {
    private final int id;
    private final String topic;
    private final RecordLedger ledger;
    private final double recordsPerSecond;
    private final KafkaProducer<String, String> producer;
    private final Thread thread;
    private volatile boolean stopping;

    PacedProducer(int id, String bootstrap, String topic, RecordLedger ledger, double recordsPerSecond) {
        this.id = id;
        this.topic = topic;
        this.ledger = ledger;
        this.recordsPerSecond = recordsPerSecond;
        this.producer = new KafkaProducer<>(config(bootstrap), new StringSerializer(), new StringSerializer());
        this.thread = new Thread(this::run, "paced-producer-" + id);
        thread.setDaemon(true);
    }

    static Properties config(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A frozen leader must not hold a request for Kafka's 30 s; the retry goes to whoever leads then.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        // Generous: a record waits through a leader's death, its fencing and an election.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return config;
    }

    void start() {
        thread.start();
    }

    private void run() {
        int partitions = ledger.partitions();
        long begin = System.nanoTime();
        long count = 0;
        try {
            while (!stopping) {
                double allowed = recordsPerSecond * (System.nanoTime() - begin) / 1e9;
                if (count >= allowed) {
                    Thread.sleep(2);
                    continue;
                }
                int partition = (int) (count % partitions);
                int sequence = ledger.nextSequence(id, partition);
                String value = RecordLedger.value(id, partition, sequence);
                RecordLedger.Id record = new RecordLedger.Id(id, partition, sequence);
                try {
                    producer.send(new ProducerRecord<>(topic, partition, "p" + id + "-" + partition, value), (metadata, error) -> {
                        if (error == null) {
                            ledger.acked(id, partition, sequence, metadata.hasOffset() ? metadata.offset() : -1);
                        } else {
                            ledger.failed(record, error);
                        }
                    });
                } catch (RuntimeException e) {
                    // The producer refused the record itself (closed, fatal state): nothing more will be acknowledged.
                    ledger.failed(record, e);
                    return;
                }
                count++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops sending, waits for every outstanding record's callback (close flushes), and closes the
     * producer. A cluster that still has not acknowledged them after a minute will not: close then
     * fails them (their callbacks count the errors) rather than let a failing test wait out
     * delivery.timeout.ms.
     */
    void stop() throws InterruptedException {
        stopping = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        producer.close(java.time.Duration.ofSeconds(60));
    }
}
