package io.fjord.record;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever the bytes, reading them either works or raises CorruptRecordException, nothing else. */
class GarbageInputTest {

    @Property(tries = 500)
    void arbitraryBytesAreReadOrReportedCorrupt(@ForAll @Size(max = 400) byte[] bytes) {
        readOrCorrupt(ByteBuffer.wrap(bytes));
    }

    @Property(tries = 1000)
    void arbitraryPayloadsBehindAValidHeaderAreReadOrReportedCorrupt(@ForAll CompressionType codec,
            @ForAll @IntRange(min = -2, max = 40) int count, @ForAll @Size(max = 400) byte[] payload) {
        readOrCorrupt(Batches.rawBatch(codec, count, payload));
    }

    @Property(tries = 1000)
    void theValidatorAnswersEveryInputWithAResult(@ForAll CompressionType codec, @ForAll boolean fromClient,
            @ForAll @IntRange(min = -2, max = 40) int count, @ForAll @Size(max = 400) byte[] payload) {
        ByteBuffer batch = Batches.rawBatch(codec, count, payload);
        BatchValidator validator = new BatchValidator(1 << 20, BatchValidator.RecordChecks.ALL, fromClient);
        ValidationResult result = validator.validate(batch);
        if (!result.isValid()) {
            org.assertj.core.api.Assertions.assertThat(result.message()).isNotBlank();
        }
        validator.validate(ByteBuffer.wrap(payload));
    }

    private static void readOrCorrupt(ByteBuffer buffer) {
        try {
            Batches.drain(buffer);
        } catch (CorruptRecordException expected) {
            // the only acceptable failure
        }
    }
}
