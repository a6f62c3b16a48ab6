package io.fjord.bench;

import io.fjord.record.BatchValidator;
import io.fjord.record.BatchValidator.RecordChecks;
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
 * What the produce path checks in every batch a client sends: header fields, CRC32C over the batch and,
 * with {@code UNCOMPRESSED}, a walk over the records (the broker's default). Time per batch; divide the
 * batch size by it for the validation rate, to set against the disk and network rates.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class BatchValidationBenchmark {
    @Param({"1024", "16384"})
    public int batchBytes;

    @Param({"NONE", "UNCOMPRESSED"})
    public RecordChecks recordChecks;

    private ByteBuffer batch;
    private BatchValidator validator;

    @Setup
    public void setUp() {
        batch = BenchBatches.ofSize(batchBytes, 7);
        validator = new BatchValidator(1 << 20, recordChecks, true);
        ValidationResult check = validator.validate(batch);
        if (!check.isValid()) {
            throw new IllegalStateException("the benchmark's batch is invalid: " + check);
        }
    }

    @Benchmark
    public ValidationResult validate() {
        return validator.validate(batch);
    }
}
