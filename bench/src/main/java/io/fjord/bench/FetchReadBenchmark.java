package io.fjord.bench;

import io.fjord.log.Log;
import io.fjord.log.LogConfig;
import io.fjord.log.LogSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.SplittableRandom;
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
 * The fetch path's read of a partition log: find where an offset's batch starts (segment, offset index,
 * then a short scan of batch headers) and hand out the byte range up to {@code maxBytes} as a slice of the
 * segment file, which the network sends with sendfile. {@code locate} is that lookup alone, from a random
 * offset of a log of several segments; {@code locateAndSend} also moves the bytes to /dev/null through the
 * slice's channel (transferTo), the same system call a plain-text fetch response makes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FetchReadBenchmark {
    private static final int BATCH_BYTES = 16384;
    private static final int BATCHES = 16 * 1024; // 256 MiB over 8 segments of 32 MiB

    @Param({"1048576"})
    public int maxBytes;

    private Path dir;
    private Log log;
    private FileChannel devNull;
    private long logEnd;
    private final SplittableRandom random = new SplittableRandom(11);

    @Setup
    public void setUp() throws IOException {
        Path base = Path.of(System.getProperty("fjord.bench.dir", System.getProperty("java.io.tmpdir")));
        dir = Files.createTempDirectory(base, "fjord-fetch-bench");
        log = Log.open(dir.resolve("bench-0"), LogConfig.defaults().with(LogConfig.SEGMENT_BYTES_CONFIG, 32 << 20));
        ByteBuffer batch = BenchBatches.ofSize(BATCH_BYTES, 3);
        for (int i = 0; i < BATCHES; i++) {
            log.appendAsLeader(batch.duplicate());
        }
        logEnd = log.logEndOffset();
        devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
    }

    @TearDown
    public void tearDown() throws IOException {
        devNull.close();
        log.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    public int locate() {
        LogSlice slice = log.read(random.nextLong(logEnd), maxBytes, true);
        try {
            return slice.length();
        } finally {
            slice.release();
        }
    }

    @Benchmark
    public int locateAndSend() throws IOException {
        LogSlice slice = log.read(random.nextLong(logEnd), maxBytes, true);
        try {
            slice.transferTo(devNull);
            return slice.length();
        } finally {
            slice.release();
        }
    }
}
