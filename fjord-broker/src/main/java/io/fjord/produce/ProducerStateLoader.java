package io.fjord.produce;

import io.fjord.log.Log;
import io.fjord.log.LogSlice;
import io.fjord.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a partition's producer state when it opens: the newest usable snapshot, then the headers
 * of every batch after it, so deduplication survives a restart whether the node stopped cleanly (the
 * snapshot is at the log end, nothing to replay) or not (replay from the last roll's snapshot).
 *
 * <p>A snapshot beyond the log end offset describes batches a crash took back (the log recovery cut a
 * torn tail below it), so it is deleted rather than trusted.
 */
public final class ProducerStateLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateLoader.class);
    /** Read size for the header scan: large reads, few syscalls, whatever the batch sizes. */
    private static final int CHUNK = 256 * 1024;

    private ProducerStateLoader() {
    }

    /** Loads the state of {@code log}'s producers with Kafka's default expiry and the shared snapshot writer. */
    public static ProducerStateManager load(Log log) {
        return load(log, ProducerStateManager.DEFAULT_EXPIRATION_MS, SnapshotWriter.executor(), System.currentTimeMillis());
    }

    public static ProducerStateManager load(Log log, long expirationMs, Executor snapshotExecutor, long nowMs) {
        Path dir = log.dir();
        ProducerStateManager state = new ProducerStateManager(log.name(), dir, expirationMs, snapshotExecutor, nowMs);
        long logStart = log.logStartOffset();
        long logEnd = log.logEndOffset();
        long from = logStart;
        // A log created just now has no snapshots, and listing the directory of each of a new topic's
        // partitions was a good part of creating them.
        try {
            for (Path file : log.created() ? List.<Path>of() : SnapshotFile.list(dir)) {
                long offset = SnapshotFile.offsetOf(file);
                if (offset > logEnd) {
                    LOG.info("{}: deleting producer snapshot {} beyond the log end offset {}", log.name(), file.getFileName(),
                            logEnd);
                    Files.deleteIfExists(file);
                    continue;
                }
                try {
                    List<ProducerStateEntry> entries = SnapshotFile.read(file);
                    entries.forEach(state::put);
                    from = Math.max(offset, logStart);
                    break;
                } catch (IOException e) {
                    LOG.warn("{}: ignoring unreadable producer snapshot {}: {}", log.name(), file.getFileName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot list producer snapshots; rebuilding from the log", log.name(), e);
        }
        state.removeBelow(logStart);
        long replayed = replay(log, state, from, logEnd, nowMs);
        state.segmentCount(log.segmentCount());
        if (replayed > 0 || state.producerCount() > 0) {
            LOG.info("{}: loaded {} producer(s), replaying {} batch header(s) from offset {}", log.name(),
                    state.producerCount(), replayed, from);
        }
        return state;
    }

    /** Applies the headers of the batches in [from, to) that carry a producer id; returns how many batches it read. */
    private static long replay(Log log, ProducerStateManager state, long from, long to, long nowMs) {
        long next = from;
        long batches = 0;
        ByteBuffer chunk = null;
        RecordBatch batch = new RecordBatch();
        while (next < to) {
            LogSlice slice = log.read(next, Integer.MAX_VALUE, true);
            if (slice.isEmpty()) {
                break;
            }
            try {
                if (chunk == null) {
                    chunk = ByteBuffer.allocate(CHUNK);
                }
                long position = slice.position();
                long end = position + slice.length();
                while (position < end) {
                    chunk.clear().limit((int) Math.min(CHUNK, end - position));
                    int read = readFully(slice, chunk, position);
                    int p = 0;
                    // Walk the headers that lie wholly in this chunk; the next read starts at the first one that does not.
                    while (p + RecordBatch.HEADER_SIZE <= read) {
                        batch.wrap(chunk, p);
                        if (batch.batchLength() < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD) {
                            throw new IOException("batch length " + batch.batchLength() + " at file position " + (position + p));
                        }
                        if (batch.lastOffset() >= next && batch.hasProducerId()) {
                            state.replay(batch, nowMs);
                        }
                        if (batch.lastOffset() >= next) {
                            next = batch.nextOffset();
                        }
                        batches++;
                        p += batch.sizeInBytes();
                    }
                    position += p;
                    if (p == 0) {
                        throw new IOException("no whole batch header at file position " + position);
                    }
                }
            } catch (IOException e) {
                // Log recovery vouches for the bytes, so this is a disk fault; the partition still opens, with
                // deduplication limited to what was read.
                LOG.error("{}: cannot read the log to rebuild producer state past offset {}", log.name(), next, e);
                return batches;
            } finally {
                slice.release();
            }
        }
        return batches;
    }

    /** Reads up to the chunk's limit from the slice's file at {@code position}; returns the bytes read. */
    private static int readFully(LogSlice slice, ByteBuffer chunk, long position) throws IOException {
        int total = 0;
        while (chunk.hasRemaining()) {
            int n = slice.channel().read(chunk, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
