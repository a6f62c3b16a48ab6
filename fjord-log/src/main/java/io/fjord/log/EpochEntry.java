package io.fjord.log;

/** A leader epoch and the offset its first record has. (Stub; helper "log" replaces.) */
public record EpochEntry(int epoch, long startOffset) {
}
