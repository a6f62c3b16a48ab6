package io.fjord.bench;

import io.fjord.record.BatchValidator;
import io.fjord.record.ValidationResult;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the produce path checks on every client batch before it is written (CRC32C over the batch, the
 * header rules, a walk over every record of an uncompressed batch): one batch per operation, so ops/s
 * times {@code batchBytes} is the validation rate. Pure CPU, no disk.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class BatchValidationBenchmark {
    /** 16 KiB is a full batch at the Java producer's default batch.size; 1 KiB a lightly loaded one. */
    @Param({"1024", "16384"})
    public int batchBytes;

    private ByteBuffer batch;
    private BatchValidator validator;

    @Setup
    public void setUp() {
        batch = BenchBatches.ofSize(batchBytes, 42);
        validator = BatchValidator.forProduce(1024 * 1024);
    }

    @Benchmark
    public ValidationResult validate() {
        ValidationResult result = validator.validate(batch);
        if (!result.isValid()) {
            throw new IllegalStateException(result.message());
        }
        return result;
    }
}
