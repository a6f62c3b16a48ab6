package io.fjord.replication;

/** What became of one partition's part of a fetch answer, which decides when it is fetched next. */
public enum FetchOutcome {
    /** Records (possibly none) appended and the high watermark taken: fetch on. */
    APPENDED,
    /** The log was cut where the leader's diverges, or restarted at the leader's log start: fetch again at once. */
    TRUNCATED,
    /** The log changed while the fetch was out (its end is not where the fetch started): the answer is dropped. */
    STALE,
    /** The partition has another leader or epoch now: nothing written; wait for the image that says so. */
    MOVED_ON,
    /** An error the leader may get over (not leader yet, unknown epoch, storage...): retry after replica.fetch.backoff.ms. */
    BACK_OFF;

    /** Whether the partition waits replica.fetch.backoff.ms before its next fetch. */
    public boolean delays() {
        return this == MOVED_ON || this == BACK_OFF;
    }
}
