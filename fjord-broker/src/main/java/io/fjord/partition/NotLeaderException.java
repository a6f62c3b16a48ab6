package io.fjord.partition;

/**
 * This node stopped leading a partition while a produce waited for its records to be replicated: whether
 * they survive is up to the new leader, so the producer is told NOT_LEADER_OR_FOLLOWER and retries there
 * (an idempotent producer's retry is deduplicated if they did).
 */
public final class NotLeaderException extends RuntimeException {
    public NotLeaderException(TopicPartition partition, long offset, long logEndOffset) {
        super("this broker no longer leads " + partition + " (waiting for offset " + offset + ", log end offset "
                + logEndOffset + ")", null, false, false);
    }
}
