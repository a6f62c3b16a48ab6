package io.fjord.group;

import io.fjord.log.LogSlice;
import io.fjord.metadata.ApiException;
import io.fjord.partition.Partition;
import io.fjord.partition.PartitionLookup;
import io.fjord.protocol.Errors;
import io.fjord.record.CompressionType;
import io.fjord.record.Record;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordBatches;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.record.RecordIterator;
import io.fjord.record.RecordReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's records in the real {@code __consumer_offsets} partitions: one batch per append,
 * on the partition of the group. An append is stored once every ISR member has it, as a produce with
 * acks=all (the flusher fsyncs it later, by the topic's flush settings): on a single node right after
 * the write.
 *
 * <p>Also reads a partition back ({@link #replay}) and cleans it up by snapshot and trim
 * ({@link #maybeSnapshot}). Appends and snapshots of this log are serialized on its monitor, so a
 * snapshot (which restates what the log says) never misses a concurrent append.
 */
public final class OffsetsTopicLog implements CoordinatorLog {
    private static final Logger log = LoggerFactory.getLogger(OffsetsTopicLog.class);
    private static final int READ_BYTES = 1 << 20;
    /** Records per snapshot batch: keeps a batch well below max.message.bytes. */
    private static final int SNAPSHOT_BATCH_RECORDS = 500;
    private static final int SNAPSHOT_BATCH_BYTES = 1 << 20;

    private final PartitionLookup partitions;
    /** The partition count of the topic; 0 when it does not exist (yet). */
    private final IntSupplier partitionCount;
    private final LongSupplier clock;
    private final long snapshotBytes;
    private final long commitTimeoutMs;
    /** Log size of each partition right after its last snapshot (or load): growth is measured from there. */
    private final java.util.Map<Integer, Long> sizeAtSnapshot = new java.util.HashMap<>();

    /** Where snapshots run (the coordinator thread); none: only when asked through {@link #maybeSnapshot}. */
    private java.util.concurrent.Executor snapshotExecutor;
    private final java.util.Set<Integer> snapshotPending = new java.util.HashSet<>();

        public OffsetsTopicLog(PartitionLookup partitions, IntSupplier partitionCount, LongSupplier clock, long snapshotBytes) {
        this(partitions, partitionCount, clock, snapshotBytes, 5000);
    }

    /** @param commitTimeoutMs {@code offsets.commit.timeout.ms}: how long a write waits for the ISR */
    public OffsetsTopicLog(PartitionLookup partitions, IntSupplier partitionCount, LongSupplier clock, long snapshotBytes,
            long commitTimeoutMs) {
        this.commitTimeoutMs = commitTimeoutMs;
        this.partitions = partitions;
        this.partitionCount = partitionCount;
        this.clock = clock;
        this.snapshotBytes = snapshotBytes;
    }

    /** Lets appends that push a partition past the threshold queue its snapshot on {@code executor}. */
    public synchronized void snapshotOn(java.util.concurrent.Executor executor) {
        this.snapshotExecutor = executor;
    }

    /** The partition of {@code groupId}, or -1 while the topic does not exist. */
    public int partitionOf(String groupId) {
        int n = partitionCount.getAsInt();
        return n <= 0 ? -1 : OffsetsTopic.partitionFor(groupId, n);
    }

    @Override
    public synchronized CompletableFuture<Void> append(String groupId, List<CoordinatorRecord> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        int p = partitionOf(groupId);
        Partition partition = p < 0 ? null : partitions.partition(OffsetsTopic.NAME, p);
        if (partition == null) {
            // Not open here (led elsewhere, or being deleted): the group's coordinator is not this broker.
            return CompletableFuture.failedFuture(new ApiException(Errors.NOT_COORDINATOR,
                    OffsetsTopic.NAME + " partition for group " + groupId + " is not here"));
        }
        if (partition.inSyncReplicaCount() < partition.effectiveMinInSyncReplicas()) {
            return CompletableFuture.failedFuture(new ApiException(Errors.COORDINATOR_NOT_AVAILABLE,
                    partition.topicPartition() + " has " + partition.inSyncReplicaCount()
                            + " in-sync replica(s), fewer than min.insync.replicas"));
        }
        long lastOffset;
        try {
            lastOffset = write(partition, records);
        } catch (RuntimeException e) {
            log.warn("Cannot write {} record(s) of group {} to {}: {}", records.size(), groupId, partition, e.toString());
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> replicated = replicated(partition, lastOffset);
        if (snapshotExecutor != null && partition.log().sizeInBytes() - sizeAtSnapshot.getOrDefault(p, 0L) > snapshotBytes
                && snapshotPending.add(p)) {
            snapshotExecutor.execute(() -> {
                try {
                    maybeSnapshot(p);
                } catch (RuntimeException e) {
                    // Not retried on every append: the next try waits for another threshold of growth.
                    synchronized (this) {
                        sizeAtSnapshot.put(p, partition.log().sizeInBytes());
                    }
                    log.warn("Snapshot of {}-{} failed; the log stays as it is", OffsetsTopic.NAME, p, e);
                } finally {
                    synchronized (this) {
                        snapshotPending.remove(p);
                    }
                }
            });
        }
        return replicated;
    }

    /**
     * Stored means in every ISR member, as Kafka's coordinator writes with acks=all: a commit answered
     * before that could be lost with the leader. A leader that steps down first makes it NOT_COORDINATOR
     * (the client finds the new one); one whose ISR does not catch up in offsets.commit.timeout.ms (or is
     * below min.insync.replicas) answers COORDINATOR_NOT_AVAILABLE, both retriable, as in Kafka.
     */
    private CompletableFuture<Void> replicated(Partition partition, long lastOffset) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        partition.awaitReplication(lastOffset)
                .orTimeout(commitTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((hw, error) -> {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause == null) {
                        done.complete(null);
                    } else if (cause instanceof io.fjord.partition.NotLeaderException) {
                        done.completeExceptionally(new ApiException(Errors.NOT_COORDINATOR, cause.getMessage()));
                    } else {
                        done.completeExceptionally(new ApiException(Errors.COORDINATOR_NOT_AVAILABLE,
                                partition.topicPartition() + ": the write was not replicated to the ISR in time"));
                    }
                });
        return done;
    }

    /** Appends the records as one batch; returns its last offset. */
    private long write(Partition partition, List<CoordinatorRecord> records) {
        long now = clock.getAsLong();
        RecordBatchBuilder batch = new RecordBatchBuilder(CompressionType.NONE);
        for (CoordinatorRecord r : records) {
            batch.append(now, OffsetsRecordCodec.key(r), OffsetsRecordCodec.value(r));
        }
        ByteBuffer built = batch.build();
        // The leadership check and the write hold the append lock that leadership changes take, so a
        // coordinator whose partition just moved to another broker cannot write behind the new leader's back.
        java.util.concurrent.locks.ReentrantLock lock = partition.appendLock();
        lock.lock();
        try {
            if (!partition.isLeader()) {
                throw new ApiException(Errors.NOT_COORDINATOR,
                        "This broker no longer leads " + partition.topicPartition() + ", the group's coordinator partition");
            }
            return partition.appendAsLeader(built).lastOffset();
        } finally {
            lock.unlock();
        }
    }

    /** What partition {@code p} says, from its log start to its end; empty when it is not here. */
    public synchronized OffsetsPartitionState replay(int p) {
        OffsetsPartitionState state = new OffsetsPartitionState();
        Partition partition = partitions.partition(OffsetsTopic.NAME, p);
        if (partition != null) {
            replay(partition, state);
            sizeAtSnapshot.put(p, partition.log().sizeInBytes());
        }
        return state;
    }

    /** Applies every record of {@code partition} to {@code state}; undecodable records are skipped and logged. */
    static void replay(Partition partition, OffsetsPartitionState state) {
        RecordReader reader = new RecordReader();
        long end = partition.logEndOffset();
        long offset = partition.logStartOffset();
        while (offset < end) {
            LogSlice slice = partition.read(offset, READ_BYTES, true, end);
            if (slice.isEmpty()) {
                break;
            }
            ByteBuffer buffer = ByteBuffer.allocate(slice.length());
            try {
                slice.readInto(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException(partition + ": cannot read at offset " + offset, e);
            } finally {
                slice.release();
            }
            buffer.flip();
            long next = offset;
            for (RecordBatch batch : RecordBatches.of(buffer)) {
                next = batch.nextOffset();
                if (batch.isControlBatch()) {
                    continue;
                }
                RecordIterator it = reader.records(batch);
                while (it.hasNext()) {
                    Record r = it.next();
                    if (r.offset() < offset) {
                        continue;
                    }
                    try {
                        state.apply(OffsetsRecordCodec.decode(r.hasKey() ? r.key() : null, r.hasValue() ? r.value() : null));
                    } catch (OffsetsRecordCodec.UnknownRecordException e) {
                        log.warn("{}: skipping record at offset {}: {}", partition, r.offset(), e.getMessage());
                    } catch (RuntimeException e) {
                        log.warn("{}: skipping undecodable record at offset {}: {}", partition, r.offset(), e.toString());
                    }
                }
            }
            if (next <= offset) {
                break;
            }
            offset = next;
        }
    }

    /**
     * When partition {@code p} grew by more than the threshold since its last snapshot: writes its live
     * state at the log end, then moves the log start to the snapshot's first offset so older segments are
     * deleted. A crash between the two leaves old records followed by (part of) the snapshot, which
     * replays to the same state because the snapshot only restates the latest values. Returns whether a
     * snapshot was taken.
     */
    public synchronized boolean maybeSnapshot(int p) {
        Partition partition = partitions.partition(OffsetsTopic.NAME, p);
        if (partition == null) {
            return false;
        }
        long size = partition.log().sizeInBytes();
        long base = sizeAtSnapshot.computeIfAbsent(p, x -> 0L);
        if (size - base <= snapshotBytes) {
            return false;
        }
        snapshot(partition);
        sizeAtSnapshot.put(p, partition.log().sizeInBytes());
        return true;
    }

    /** Writes the live state of {@code partition} at its end, then trims the log before it. */
    synchronized void snapshot(Partition partition) {
        long oldStart = partition.logStartOffset();
        OffsetsPartitionState state = new OffsetsPartitionState();
        replay(partition, state);
        long first = partition.logEndOffset();
        List<CoordinatorRecord> records = state.records();
        int batchBytes = Math.max(1, Math.min(SNAPSHOT_BATCH_BYTES, partition.log().config().segmentBytes() / 2));
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            // Batches cut by size too: a batch may not exceed the segment size, and group ids or metadata can be large.
            bytes += OffsetsRecordCodec.key(records.get(i)).length + valueSize(records.get(i)) + 32;
            if (i + 1 - from >= SNAPSHOT_BATCH_RECORDS || bytes >= batchBytes) {
                write(partition, records.subList(from, i + 1));
                from = i + 1;
                bytes = 0;
            }
        }
        if (from < records.size()) {
            write(partition, records.subList(from, records.size()));
        }
        // The old records may only go once the snapshot that replaces them is on disk.
        partition.log().flush();
        trim(partition, first);
        log.info("{}: snapshot of {} record(s) at offset {}; log start moved from {} to {}", partition, records.size(),
                first, oldStart, partition.logStartOffset());
    }

    private static int valueSize(CoordinatorRecord r) {
        byte[] value = OffsetsRecordCodec.value(r);
        return value == null ? 0 : value.length;
    }

    /** The second step of a snapshot, apart so tests can stop between the two. */
    void trim(Partition partition, long snapshotStart) {
        // Never past the high watermark: a follower still below the snapshot would be told to start over at
        // it, dropping its copy of the old records before the snapshot restating them has reached it.
        long upTo = Math.min(snapshotStart, partition.highWatermark());
        if (upTo > partition.logStartOffset()) {
            partition.log().deleteRecordsBefore(upTo);
        }
    }
}
