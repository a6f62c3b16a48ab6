package io.fjord.bench;

import io.fjord.log.Log;
import io.fjord.log.LogAppendInfo;
import io.fjord.log.LogConfig;
import io.fjord.log.LogFlusher;
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
import org.openjdk.jmh.annotations.Level;
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
 * Append throughput of the partition log against the raw file API on the same disk, in the same run: one
 * batch per operation, so ops/s times the batch size is the write rate, and the ratio of the two
 * benchmarks of a case is the log's efficiency.
 *
 * <p>With {@code fsync=true} both sides make data durable the same way: a background thread fsyncs
 * whatever was written since its last pass (the log's {@link LogFlusher} in group-commit mode, a bare
 * {@code force} loop for the raw file), and the writer may run at most {@link #WINDOW_BYTES} ahead of the
 * durable point, as a producer with bounded in-flight data would. Every iteration starts on fresh files in
 * {@code fjord.bench.dir} (default: the system temp dir), deleted afterwards so their dirty pages never
 * spill into the next measurement.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
// Short iterations: at over 1 GB/s a longer one crosses the kernel's dirty-page thresholds and measures writeback.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
public class LogAppendBenchmark {
    static final long WINDOW_BYTES = 8L * 1024 * 1024;

    /** What both sides share: the case and a fresh directory per iteration. */
    @State(Scope.Thread)
    public abstract static class Case {
        @Param({"1024", "16384"})
        public int batchBytes;

        @Param({"false", "true"})
        public boolean fsync;

        ByteBuffer batch;
        Path dir;

        @Setup(Level.Trial)
        public void buildBatch() {
            batch = BenchBatches.ofSize(batchBytes, 42);
        }

        @Setup(Level.Iteration)
        public void createDir() throws IOException {
            Path base = Path.of(System.getProperty("fjord.bench.dir", System.getProperty("java.io.tmpdir")));
            dir = Files.createTempDirectory(base, "fjord-bench");
            open();
        }

        abstract void open() throws IOException;

        abstract void close() throws Exception;

        @TearDown(Level.Iteration)
        public void deleteDir() throws Exception {
            close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    public static class LogCase extends Case {
        LogFlusher flusher;
        Log log;
        long windowRecords;

        @Override
        void open() {
            flusher = fsync ? new LogFlusher("bench-flusher") : null;
            log = Log.open(dir.resolve("bench-0"), LogConfig.defaults().with(LogConfig.GROUP_COMMIT_CONFIG, fsync),
                    flusher);
            windowRecords = WINDOW_BYTES / batchBytes * new RecordBatch(batch, 0).recordCount();
        }

        @Override
        void close() {
            log.close();
            if (flusher != null) {
                flusher.close();
            }
        }
    }

    public static class RawCase extends Case {
        RawFileWriter raw;

        @Override
        void open() throws IOException {
            raw = new RawFileWriter(dir.resolve("raw.bin"), fsync, WINDOW_BYTES);
        }

        @Override
        void close() throws Exception {
            raw.close();
        }
    }

    @Benchmark
    public long log(LogCase state) {
        Log log = state.log;
        LogAppendInfo info = log.appendAsLeader(state.batch);
        long last = info.lastOffset();
        if (state.fsync && last - log.recoveryPoint() > state.windowRecords) {
            log.flushedFuture(last - state.windowRecords).join();
        }
        return last;
    }

    @Benchmark
    public long raw(RawCase state) throws IOException {
        state.raw.write(state.batch);
        return state.raw.bytesWritten();
    }
}
