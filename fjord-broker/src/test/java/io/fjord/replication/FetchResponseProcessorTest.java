package io.fjord.replication;

import static io.fjord.replication.Batches.batch;
import static io.fjord.replication.Batches.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.FetchResponseData.EpochEndOffset;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FetchResponseProcessorTest {
    private static final int EPOCH = 5;

    private final FetchResponseProcessor processor = new FetchResponseProcessor(1);
    private final RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);
    private final FakeLeaderOffsets leader = new FakeLeaderOffsets();

    /** The leader's offsets for the out-of-range path, and how often they were asked. */
    private static final class FakeLeaderOffsets implements LeaderOffsets {
        long earliest = 0;
        long latest = 0;
        final List<String> asked = new ArrayList<>();

        @Override
        public long earliest(FollowerLog log, int leaderEpoch) {
            asked.add("earliest @" + leaderEpoch);
            return earliest;
        }

        @Override
        public long latest(FollowerLog log, int leaderEpoch) {
            asked.add("latest @" + leaderEpoch);
            return latest;
        }
    }

    private static PartitionData data(byte[] records, long highWatermark) {
        return new PartitionData().setPartitionIndex(0).setHighWatermark(highWatermark).setLogStartOffset(0)
                .setRecords(new MemoryRecords(ByteBuffer.wrap(records).asReadOnlyBuffer()));
    }

    private static PartitionData error(Errors error) {
        return new PartitionData().setPartitionIndex(0).setErrorCode(error.code()).setHighWatermark(-1)
                .setLogStartOffset(-1).setRecords(MemoryRecords.EMPTY);
    }

    private FetchOutcome process(long fetchOffset, PartitionData data) throws IOException {
        return processor.process(replica, EPOCH, fetchOffset, data, leader);
    }

    @Test
    void recordsAreAppendedAsTheyCameThenTheLeadersHighWatermarkTaken() throws IOException {
        byte[] records = concat(batch(0, 2, 3), batch(2, 3, 5));

        FetchOutcome outcome = process(0, data(records, 4));

        assertThat(outcome).isEqualTo(FetchOutcome.APPENDED);
        assertThat(replica.calls).containsExactly("append 0..4 @5", "hw 4 @5");
        assertThat(replica.appended.get(0)).isEqualTo(records);
    }

    @Test
    void anEmptyAnswerStillCarriesTheHighWatermark() throws IOException {
        replica.logEndOffset = 7;

        FetchOutcome outcome = process(7, data(new byte[0], 7));

        assertThat(outcome).isEqualTo(FetchOutcome.APPENDED);
        assertThat(replica.calls).containsExactly("hw 7 @5");
    }

    @Test
    void anAnswerWithoutAHighWatermarkLeavesItAlone() throws IOException {
        FetchOutcome outcome = process(0, data(batch(0, 1, 5), -1));

        assertThat(outcome).isEqualTo(FetchOutcome.APPENDED);
        assertThat(replica.calls).containsExactly("append 0..0 @5");
    }

    @Test
    void aTrailingPartialBatchIsLeftForTheNextFetch() throws IOException {
        byte[] whole = batch(0, 2, 5);
        byte[] next = batch(2, 2, 5);
        byte[] records = concat(whole, Arrays.copyOf(next, next.length - 7));

        process(0, data(records, 2));

        assertThat(replica.calls).containsExactly("append 0..1 @5", "hw 2 @5");
        assertThat(replica.appended.get(0)).isEqualTo(whole);
    }

    @Test
    void bytesHoldingNoWholeBatchAreNotAppended() throws IOException {
        byte[] batch = batch(0, 2, 5);

        FetchOutcome outcome = process(0, data(Arrays.copyOf(batch, batch.length - 1), 2));

        assertThat(outcome).isEqualTo(FetchOutcome.BACK_OFF);
        assertThat(replica.calls).isEmpty();
    }

    @Test
    void aDivergingEpochTruncatesAndNothingIsAppended() throws IOException {
        replica.logEndOffset = 10;
        PartitionData answer = data(new byte[0], 6);
        answer.setDivergingEpoch(new EpochEndOffset().setEpoch(4).setEndOffset(6));

        FetchOutcome outcome = process(10, answer);

        assertThat(outcome).isEqualTo(FetchOutcome.TRUNCATED);
        assertThat(outcome.delays()).isFalse();
        assertThat(replica.calls).containsExactly("truncate (4,6) @5");
        assertThat(replica.logEndOffset).isEqualTo(6);
    }

    @Test
    void aDivergenceTheLeaderKnowsNoEpochOfStillTruncates() throws IOException {
        replica.logEndOffset = 10;
        PartitionData answer = data(new byte[0], 0);
        answer.setDivergingEpoch(new EpochEndOffset().setEpoch(-1).setEndOffset(0));

        assertThat(process(10, answer)).isEqualTo(FetchOutcome.TRUNCATED);
        assertThat(replica.calls).containsExactly("truncate (-1,0) @5");
    }

    @Test
    void aPartitionThatMovedOnRefusesTheTruncation() throws IOException {
        replica.logEndOffset = 10;
        replica.movedOn = true;
        PartitionData answer = data(new byte[0], 6);
        answer.setDivergingEpoch(new EpochEndOffset().setEpoch(4).setEndOffset(6));

        FetchOutcome outcome = process(10, answer);

        assertThat(outcome).isEqualTo(FetchOutcome.MOVED_ON);
        assertThat(outcome.delays()).isTrue();
        assertThat(replica.logEndOffset).isEqualTo(10);
    }

    @Test
    void aPartitionThatMovedOnGetsNoHighWatermarkFromTheRefusedFetch() throws IOException {
        replica.movedOn = true;

        FetchOutcome outcome = process(0, data(batch(0, 2, 5), 2));

        assertThat(outcome).isEqualTo(FetchOutcome.MOVED_ON);
        assertThat(replica.calls).containsExactly("refused append @5");
    }

    @Test
    void anAnswerForAnOffsetTheLogHasLeftIsDropped() throws IOException {
        // The log was truncated (or appended to) while the fetch for offset 0 was out.
        replica.logEndOffset = 3;

        FetchOutcome outcome = process(0, data(batch(0, 2, 5), 2));

        assertThat(outcome).isEqualTo(FetchOutcome.STALE);
        assertThat(outcome.delays()).isFalse();
        assertThat(replica.calls).isEmpty();
    }

    @Test
    void outOfRangeBelowTheLeadersLogStartRestartsTheLogThere() throws IOException {
        replica.logEndOffset = 5;
        leader.earliest = 100;
        leader.latest = 150;

        FetchOutcome outcome = process(5, error(Errors.OFFSET_OUT_OF_RANGE));

        assertThat(outcome).isEqualTo(FetchOutcome.TRUNCATED);
        assertThat(replica.calls).containsExactly("restart 100 @5");
        assertThat(leader.asked).containsExactly("latest @5", "earliest @5");
    }

    @Test
    void outOfRangeWithinTheLeadersLogIsRetriedAfterBackoff() throws IOException {
        replica.logEndOffset = 120;
        leader.earliest = 100;
        leader.latest = 150;

        FetchOutcome outcome = process(120, error(Errors.OFFSET_OUT_OF_RANGE));

        assertThat(outcome).isEqualTo(FetchOutcome.BACK_OFF);
        assertThat(replica.calls).isEmpty();
    }

    @Test
    void outOfRangeAboveTheLeadersEndCutsTheLogToIt() throws IOException {
        replica.logEndOffset = 200;
        leader.earliest = 100;
        leader.latest = 150;

        FetchOutcome outcome = process(200, error(Errors.OFFSET_OUT_OF_RANGE));

        assertThat(outcome).isEqualTo(FetchOutcome.TRUNCATED);
        assertThat(replica.calls).containsExactly("truncate (-1,150) @5");
        assertThat(replica.logEndOffset).isEqualTo(150);
    }

    @Test
    void outOfRangeWhenTheLeaderCannotTellItsOffsetsBacksOff() throws IOException {
        replica.logEndOffset = 5;
        leader.latest = -1;

        assertThat(process(5, error(Errors.OFFSET_OUT_OF_RANGE))).isEqualTo(FetchOutcome.BACK_OFF);
        assertThat(replica.calls).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Errors.class, names = {"NOT_LEADER_OR_FOLLOWER", "FENCED_LEADER_EPOCH", "UNKNOWN_LEADER_EPOCH",
            "UNKNOWN_TOPIC_ID", "UNKNOWN_TOPIC_OR_PARTITION", "KAFKA_STORAGE_ERROR", "UNKNOWN_SERVER_ERROR"})
    void partitionErrorsBackOffWithoutTouchingTheLog(Errors error) throws IOException {
        FetchOutcome outcome = process(0, error(error));

        assertThat(outcome).isEqualTo(FetchOutcome.BACK_OFF);
        assertThat(outcome.delays()).isTrue();
        assertThat(replica.calls).isEmpty();
        assertThat(leader.asked).isEmpty();
    }

    @Test
    void wholeBatchesOfNoRecordsIsEmpty() {
        assertThat(FetchResponseProcessor.wholeBatches(null).remaining()).isZero();
        assertThat(FetchResponseProcessor.wholeBatches(MemoryRecords.EMPTY).remaining()).isZero();
    }
}
