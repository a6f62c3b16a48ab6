package io.fjord.log;

/** Where a leader epoch ends in a log: the epoch found and the offset after its last record. (Stub; helper "log" replaces.) */
public record EpochEndOffset(int epoch, long endOffset) {
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1);

    public boolean isUndefined() {
        return epoch == -1 && endOffset == -1;
    }
}
