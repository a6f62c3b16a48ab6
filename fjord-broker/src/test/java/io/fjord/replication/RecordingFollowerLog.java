package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.partition.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A follower partition that records every write the fetcher makes and keeps a log end offset: appends
 * advance it by the batches' record counts (taken from the v2 headers), truncations set it. Each write
 * can be made to answer "moved on" as the real partition does after a leadership change.
 */
final class RecordingFollowerLog implements FollowerLog {
    final TopicPartition tp;
    final UUID topicId;
    volatile long logEndOffset;
    volatile long logStartOffset;
    volatile int latestEpoch = -1;
    volatile boolean movedOn;
    /** Every call, in order, as text, e.g. "append 0..2 @5", "hw 3 @5", "truncate (4,10) @5", "restart 100 @5". */
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<byte[]> appended = new CopyOnWriteArrayList<>();

    RecordingFollowerLog(String topic, int partition) {
        this.tp = new TopicPartition(topic, partition);
        this.topicId = UUID.nameUUIDFromBytes(topic.getBytes());
    }

    TopicIdPartition key() {
        return new TopicIdPartition(topicId, tp.partition());
    }

    @Override
    public TopicPartition topicPartition() {
        return tp;
    }

    @Override
    public UUID topicId() {
        return topicId;
    }

    @Override
    public long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public int latestEpoch() {
        return latestEpoch;
    }

    @Override
    public boolean appendAsFollower(ByteBuffer batches, int fetchedInLeaderEpoch) {
        if (movedOn) {
            calls.add("refused append @" + fetchedInLeaderEpoch);
            return false;
        }
        byte[] bytes = new byte[batches.remaining()];
        batches.duplicate().get(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long first = -1;
        long last = -1;
        for (int pos = 0; pos + 12 <= bytes.length; pos += 12 + b.getInt(pos + 8)) {
            long base = b.getLong(pos);
            int lastDelta = b.getInt(pos + 23);
            first = first < 0 ? base : first;
            last = base + lastDelta;
            latestEpoch = b.getInt(pos + 12);
        }
        appended.add(bytes);
        logEndOffset = last + 1;
        calls.add("append " + first + ".." + last + " @" + fetchedInLeaderEpoch);
        return true;
    }

    @Override
    public void updateHighWatermarkAsFollower(long leaderHighWatermark, int fetchedInLeaderEpoch) {
        calls.add("hw " + leaderHighWatermark + " @" + fetchedInLeaderEpoch);
    }

    @Override
    public Truncation truncateOnDivergence(EpochEndOffset divergingEpoch, int fetchedInLeaderEpoch) {
        if (movedOn) {
            calls.add("refused truncate @" + fetchedInLeaderEpoch);
            return null;
        }
        calls.add("truncate (" + divergingEpoch.epoch() + "," + divergingEpoch.endOffset() + ") @" + fetchedInLeaderEpoch);
        long to = Math.min(divergingEpoch.endOffset(), logEndOffset);
        logEndOffset = to;
        return new Truncation(to, true);
    }

    @Override
    public boolean truncateFullyAndStartAt(long offset, int fetchedInLeaderEpoch) {
        if (movedOn) {
            calls.add("refused restart @" + fetchedInLeaderEpoch);
            return false;
        }
        calls.add("restart " + offset + " @" + fetchedInLeaderEpoch);
        logStartOffset = offset;
        logEndOffset = offset;
        return true;
    }

    @Override
    public String toString() {
        return tp.toString();
    }

    @Override
    public void maybeIncrementLogStartOffset(long leaderLogStartOffset, int fetchedInLeaderEpoch) {
        calls.add("logStart " + leaderLogStartOffset + " @" + fetchedInLeaderEpoch);
        logStartOffset = Math.max(logStartOffset, leaderLogStartOffset);
    }
}
