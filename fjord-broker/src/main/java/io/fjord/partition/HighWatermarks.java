package io.fjord.partition;

import io.fjord.log.OffsetCheckpointFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The high watermarks of a log directory's partitions in {@code replication-offset-checkpoint}, Kafka's
 * file: written every {@code replica.high.watermark.checkpoint.interval.ms} and at a clean stop, read at
 * start. A restarted replica begins at its checkpointed high watermark rather than its log end, so it
 * never tells a consumer that records are committed before a leader says so again.
 */
final class HighWatermarks {
    private static final Logger log = LoggerFactory.getLogger(HighWatermarks.class);

    private final OffsetCheckpointFile file;
    private final Map<TopicPartition, Long> loaded = new HashMap<>();
    private volatile long intervalMs = 5000;

    HighWatermarks(Path logDir) {
        this.file = new OffsetCheckpointFile(logDir.resolve(OffsetCheckpointFile.REPLICATION_OFFSET_CHECKPOINT));
    }

    void intervalMs(long ms) {
        this.intervalMs = ms;
    }

    /** Reads the file; a damaged one is reported and ignored (high watermarks start at the log start). */
    synchronized void load() {
        loaded.clear();
        try {
            for (OffsetCheckpointFile.Entry e : file.read()) {
                loaded.put(new TopicPartition(e.topic(), e.partition()), e.offset());
            }
        } catch (IOException e) {
            log.warn("Cannot read {}; high watermarks restart from each log's start: {}", file.file(), e.getMessage());
        }
    }

    /** The checkpointed high watermark of {@code tp}, 0 when it has none (the partition caps it to its log). */
    synchronized long checkpointed(TopicPartition tp) {
        return loaded.getOrDefault(tp, 0L);
    }

    void schedule(ScheduledExecutorService scheduler, Supplier<List<Partition>> partitions) {
        long period = intervalMs;
        scheduler.scheduleWithFixedDelay(() -> write(partitions.get()), period, period, TimeUnit.MILLISECONDS);
    }

    synchronized void write(List<Partition> partitions) {
        List<OffsetCheckpointFile.Entry> entries = new ArrayList<>(partitions.size());
        for (Partition p : partitions) {
            entries.add(new OffsetCheckpointFile.Entry(p.topicPartition().topic(), p.topicPartition().partition(),
                    p.highWatermark()));
        }
        try {
            file.write(entries);
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot write {}: {}", file.file(), e.toString());
        }
    }
}
