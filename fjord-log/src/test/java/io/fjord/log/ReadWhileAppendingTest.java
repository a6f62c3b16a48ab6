package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatch;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.record.RecordBatches;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers chasing the log end while one writer appends must never be handed a batch at or past the
 * bound they asked for. A segment once published its new size before its next offset, so a read
 * could include batches beyond the high watermark it was given, and the consumer's next fetch then
 * ran past the log end (OFFSET_OUT_OF_RANGE under load).
 */
class ReadWhileAppendingTest {

    @Test
    void readsNeverCrossTheirUpperBound(@TempDir Path dir) throws Exception {
        Log log = Log.open(dir, LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 1 << 20)));
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 30_000; i++) {
                    RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
                    for (int r = 0; r < 3; r++) {
                        builder.append(1000L, null, new byte[300]);
                    }
                    log.appendAsLeader(builder.build());
                }
            } finally {
                done.set(true);
            }
        });
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            readers.add(new Thread(() -> {
                long next = 0;
                while (!done.get() && problems.size() < 5) {
                    long bound = log.logEndOffset();
                    try {
                        LogSlice slice = log.read(next, 8192, true, bound);
                        try {
                            if (!slice.isEmpty()) {
                                ByteBuffer bytes = ByteBuffer.allocate(slice.length());
                                slice.readInto(bytes);
                                bytes.flip();
                                for (RecordBatch batch : RecordBatches.of(bytes)) {
                                    if (batch.lastOffset() >= bound) {
                                        problems.add("read from " + next + " bounded by " + bound
                                                + " returned a batch ending at " + batch.lastOffset());
                                    }
                                    next = batch.nextOffset();
                                }
                            }
                        } finally {
                            slice.release();
                        }
                    } catch (OffsetOutOfRangeException e) {
                        problems.add("offset " + next + " out of range: " + e.getMessage());
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }
            }));
        }
        writer.start();
        readers.forEach(Thread::start);
        writer.join();
        for (Thread reader : readers) {
            reader.join();
        }
        log.close();
        assertThat(problems).isEmpty();
    }
}
