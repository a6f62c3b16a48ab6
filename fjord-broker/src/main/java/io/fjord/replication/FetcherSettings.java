package io.fjord.replication;

/**
 * How a follower fetches, under Kafka's broker keys.
 *
 * @param nodeId             this broker's id, sent as the fetch's replica id
 * @param listenerName       {@code inter.broker.listener.name}: the leader's listener to connect to
 * @param maxWaitMs          {@code replica.fetch.wait.max.ms}: how long the leader may hold a fetch with too little data
 * @param minBytes           {@code replica.fetch.min.bytes}
 * @param maxBytes           {@code replica.fetch.response.max.bytes}: the most one answer carries
 * @param partitionMaxBytes  {@code replica.fetch.max.bytes}: the most one partition's part carries
 *                           (at least one batch always comes, as in Kafka)
 * @param backoffMs          {@code replica.fetch.backoff.ms}: the wait after an error, per partition or connection
 * @param socketTimeoutMs    {@code replica.socket.timeout.ms}: bounds the connect and each answer
 */
public record FetcherSettings(int nodeId, String listenerName, int maxWaitMs, int minBytes, int maxBytes,
        int partitionMaxBytes, int backoffMs, int socketTimeoutMs) {

    /** Kafka's defaults, for tests. */
    public static FetcherSettings defaults(int nodeId, String listenerName) {
        return new FetcherSettings(nodeId, listenerName, 500, 1, 10 * 1024 * 1024, 1024 * 1024, 1000, 30_000);
    }

    /**
     * Answer frames larger than this are refused as a corrupt size prefix. Not maxBytes: a leader sends the
     * first batch of a partition even when it is larger than the limits, as Kafka does.
     */
    static final int MAX_RESPONSE_FRAME_BYTES = 1 << 30;
}
