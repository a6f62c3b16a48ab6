package io.fjord.replication;

/**
 * What a leader knows of one follower: its log end offset (the offset it last fetched from) and when it
 * was last caught up, Kafka's lastCaughtUpTimeMs. A follower is caught up at a fetch that reaches the
 * leader's log end offset, or that reaches the leader's log end offset of its previous fetch: then it was
 * caught up at that earlier fetch. A leader under steady load never waits for a follower to reach a log
 * end offset that moves on with every produce.
 *
 * <p>Not thread safe: the partition's lock guards it.
 */
public final class FollowerState {
    /** Before the first fetch in this leader epoch: unknown, and it holds back the high watermark. */
    public static final long UNKNOWN = -1;

    private final int replicaId;
    private long logEndOffset = UNKNOWN;
    private long lastCaughtUpTimeMs;
    private long lastFetchLeaderLogEndOffset = UNKNOWN;
    private long lastFetchTimeMs;

    /** @param nowMs counts as the last catch-up: a new leader gives every follower a full lag time */
    public FollowerState(int replicaId, long nowMs) {
        this.replicaId = replicaId;
        this.lastCaughtUpTimeMs = nowMs;
        this.lastFetchTimeMs = nowMs;
    }

    public int replicaId() {
        return replicaId;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long lastCaughtUpTimeMs() {
        return lastCaughtUpTimeMs;
    }

    /** A fetch from {@code fetchOffset} at {@code nowMs}, when the leader's log ended at {@code leaderLogEndOffset}. */
    public void onFetch(long fetchOffset, long leaderLogEndOffset, long nowMs) {
        if (fetchOffset >= leaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, nowMs);
        } else if (lastFetchLeaderLogEndOffset != UNKNOWN && fetchOffset >= lastFetchLeaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        lastFetchLeaderLogEndOffset = leaderLogEndOffset;
        lastFetchTimeMs = nowMs;
    }

    @Override
    public String toString() {
        return "Follower(" + replicaId + ", leo=" + logEndOffset + ", caughtUp=" + lastCaughtUpTimeMs + ")";
    }
}
