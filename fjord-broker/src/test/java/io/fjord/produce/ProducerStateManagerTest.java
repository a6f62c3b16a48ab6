package io.fjord.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's sequence rules, on the state alone. */
class ProducerStateManagerTest {
    private static final long PID = 1000;

    @TempDir
    Path dir;

    private final ProducerStateManager state = new ProducerStateManager("t-0", Path.of("unused"),
            ProducerStateManager.DEFAULT_EXPIRATION_MS, Runnable::run, 0);

    /** Appends a batch of {@code count} records at sequence {@code seq}, numbered from {@code offset}. */
    private void append(short epoch, int seq, int count, long offset) {
        int last = (int) (((long) seq + count - 1) % (1L + Integer.MAX_VALUE));
        assertThat(state.check(PID, epoch, seq, last)).isSameAs(SequenceVerdict.APPEND);
        state.append(PID, epoch, seq, last, offset, offset + count - 1, 1234, 0);
    }

    @Test
    void anUnknownProducerMayStartAtAnySequence() {
        // Since KIP-360 a producer whose state is gone (retention, expiry) is not refused.
        assertThat(state.check(PID, (short) 0, 0, 4)).isSameAs(SequenceVerdict.APPEND);
        assertThat(state.check(PID, (short) 3, 17, 20)).isSameAs(SequenceVerdict.APPEND);
    }

    @Test
    void sequencesMustFollowOnWithoutGaps() {
        append((short) 0, 0, 5, 0);
        append((short) 0, 5, 3, 5);
        SequenceVerdict gap = state.check(PID, (short) 0, 9, 9);
        assertThat(gap.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(state.check(PID, (short) 0, 8, 8)).isSameAs(SequenceVerdict.APPEND);
    }

    @Test
    void aRetryOfOneOfTheLastFiveBatchesIsADuplicateWithItsOriginalOffsets() {
        for (int i = 0; i < 7; i++) {
            append((short) 0, i * 2, 2, 100 + i * 2);
        }
        // The five newest (sequences 4-13) are retained; 0-3 are not.
        SequenceVerdict dup = state.check(PID, (short) 0, 6, 7);
        assertThat(dup.isDuplicate()).isTrue();
        assertThat(dup.duplicate().firstOffset()).isEqualTo(106);
        assertThat(dup.duplicate().lastOffset()).isEqualTo(107);
        assertThat(state.check(PID, (short) 0, 12, 13).duplicate().firstOffset()).isEqualTo(112);
        assertThat(state.check(PID, (short) 0, 2, 3).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        // Only an exact range match is a duplicate.
        assertThat(state.check(PID, (short) 0, 6, 6).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void anOlderEpochIsFenced() {
        append((short) 2, 0, 1, 0);
        assertThat(state.check(PID, (short) 1, 1, 1).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(state.check(PID, (short) 1, 0, 0).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void aNewEpochStartsAtSequenceZeroAndForgetsTheOldBatches() {
        append((short) 0, 0, 3, 0);
        assertThat(state.check(PID, (short) 1, 3, 3).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        append((short) 1, 0, 2, 3);
        assertThat(state.entry(PID).epoch()).isEqualTo((short) 1);
        assertThat(state.entry(PID).batchCount()).isEqualTo(1);
        // The old epoch's batch is no duplicate any more: its epoch is fenced.
        assertThat(state.check(PID, (short) 0, 0, 2).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void sequencesWrapFromIntegerMaxToZero() {
        append((short) 0, Integer.MAX_VALUE - 1, 2, 0);
        assertThat(state.entry(PID).lastSeq()).isEqualTo(Integer.MAX_VALUE);
        append((short) 0, 0, 1, 2);
        // A batch spanning the wrap: MAX, 0, 1.
        state.append(PID + 1, (short) 0, Integer.MAX_VALUE, 1, 3, 5, 0, 0);
        assertThat(state.check(PID + 1, (short) 0, 2, 2)).isSameAs(SequenceVerdict.APPEND);
        assertThat(state.check(PID + 1, (short) 0, Integer.MAX_VALUE, 1).isDuplicate()).isTrue();
    }

    @Test
    void idleProducersExpire() {
        state.append(PID, (short) 0, 0, 0, 0, 0, 0, 0);
        state.append(PID + 1, (short) 0, 0, 0, 1, 1, 0, 1000);
        state.expirationMs(500);
        assertThat(state.removeExpired(1200)).isEqualTo(1);
        assertThat(state.entry(PID)).isNull();
        assertThat(state.entry(PID + 1)).isNotNull();
    }

    @Test
    void snapshotsRoundTripEveryRetainedBatch() throws Exception {
        for (int i = 0; i < 6; i++) {
            append((short) 4, i, 1, i);
        }
        state.append(77, (short) 1, 10, 19, 50, 59, 999, 5);
        SnapshotFile.write(dir, 60, SnapshotFile.encode(state.entries()));

        List<ProducerStateEntry> read = SnapshotFile.read(SnapshotFile.path(dir, 60));
        assertThat(read).hasSize(2);
        ProducerStateEntry first = read.stream().filter(e -> e.producerId() == PID).findFirst().orElseThrow();
        assertThat(first.epoch()).isEqualTo((short) 4);
        assertThat(first.batchCount()).isEqualTo(5);
        assertThat(first.batch(0)).isEqualTo(new BatchMetadata(1, 1, 1, 1, 1234));
        assertThat(first.batch(4)).isEqualTo(new BatchMetadata(5, 5, 5, 5, 1234));
        ProducerStateEntry second = read.stream().filter(e -> e.producerId() == 77).findFirst().orElseThrow();
        assertThat(second.lastUpdateMs()).isEqualTo(5);
        assertThat(second.batch(0)).isEqualTo(new BatchMetadata(10, 19, 50, 59, 999));
        assertThat(SnapshotFile.list(dir)).containsExactly(SnapshotFile.path(dir, 60));
    }

    @Test
    void aDamagedSnapshotIsRefused() throws Exception {
        append((short) 0, 0, 1, 0);
        byte[] bytes = SnapshotFile.encode(state.entries());
        bytes[bytes.length - 3] ^= 1;
        SnapshotFile.write(dir, 1, bytes);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SnapshotFile.read(SnapshotFile.path(dir, 1)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("CRC");
    }
}
