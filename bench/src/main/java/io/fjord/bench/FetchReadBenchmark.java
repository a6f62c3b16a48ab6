package io.fjord.bench;

import io.fjord.log.Log;
import io.fjord.log.LogConfig;
import io.fjord.log.LogSlice;
import io.fjord.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broker's side of a fetch read: finding the slice of a segment to send for a fetch offset and a byte
 * limit (offset index lookup, batch headers read around the start and the byte limit), as a consumer
 * reading a partition front to back asks for it. The bytes themselves are not touched: the network sends
 * the slice with sendfile. One read per operation, {@code maxBytes} at a time, over a log of 16 KiB
 * batches (the W2 shape) that lives in the page cache.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FetchReadBenchmark {
    private static final int BATCH_BYTES = 16 * 1024;
    private static final int BATCHES = 4096;

    /** Kafka's default max.partition.fetch.bytes (1 MiB), and a small one where headers dominate. */
    @Param({"65536", "1048576"})
    public int maxBytes;

    private Path dir;
    private Log log;
    private long nextOffset;
    private int batchSize;
    private int recordsPerBatch;

    @Setup
    public void setUp() throws IOException {
        Path base = Path.of(System.getProperty("fjord.bench.dir", System.getProperty("java.io.tmpdir")));
        dir = Files.createTempDirectory(base, "fjord-bench-fetch");
        log = Log.open(dir.resolve("bench-0"), LogConfig.defaults());
        ByteBuffer batch = BenchBatches.ofSize(BATCH_BYTES, 42);
        batchSize = batch.remaining();
        recordsPerBatch = new RecordBatch(batch, batch.position()).recordCount();
        for (int i = 0; i < BATCHES; i++) {
            log.appendAsLeader(batch);
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        log.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    public int read() {
        LogSlice slice = log.read(nextOffset, maxBytes, true);
        int length = slice.length();
        // The next fetch starts where this one ends, as a consumer's would; wrap at the log end.
        nextOffset = slice.isEmpty() ? 0 : nextOffsetAfter(slice);
        slice.release();
        return length;
    }

    /** All batches have the same size and count and the log is one segment, so the end position says the offset. */
    private long nextOffsetAfter(LogSlice slice) {
        long next = (slice.position() + slice.length()) / batchSize * recordsPerBatch;
        return next >= log.logEndOffset() ? 0 : next;
    }
}
