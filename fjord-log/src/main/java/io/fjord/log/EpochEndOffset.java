package io.fjord.log;

/**
 * An OffsetForLeaderEpoch answer: the largest epoch the log knows that is not above the requested one, and
 * the offset after that epoch's last record (the start of the next epoch, or the log end offset for the
 * latest). {@link #UNDEFINED} (-1, -1) when the log cannot say, as Kafka's UNDEFINED_EPOCH /
 * UNDEFINED_EPOCH_OFFSET.
 */
public record EpochEndOffset(int epoch, long endOffset) {
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1);

    public boolean isUndefined() {
        return epoch == -1 && endOffset == -1;
    }
}
