package io.fjord.fetch;

/**
 * The request-wide settings of one fetch, after the broker's limits are applied.
 *
 * @param replicaId      the fetching replica's id, or a negative id for consumers
 * @param maxBytes       the request's max_bytes capped by {@code fetch.max.bytes}
 * @param minBytes       the request's min_bytes, at most {@code maxBytes} (as Kafka does)
 * @param readCommitted  isolation READ_COMMITTED: read up to the last stable offset, not the high watermark
 * @param listenerName   where the request came in, which decides the endpoints named in leader hints
 * @param rackId         the consumer's client.rack (Fetch v11+), "" when it has none
 */
record FetchParams(short version, int replicaId, int maxWaitMs, int minBytes, int maxBytes, boolean readCommitted,
        String listenerName, String rackId) {

    /** Kafka's FetchRequest.isFromFollower: any non-negative replica id is a broker. */
    boolean fromFollower() {
        return replicaId >= 0;
    }
}
