package io.fjord.log;

/**
 * One line of a leader epoch cache: leader epoch {@code epoch} wrote its first record at {@code startOffset}
 * (or, for a new leader, would write it there: its log end offset when it took over).
 */
public record EpochEntry(int epoch, long startOffset) {
}
