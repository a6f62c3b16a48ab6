package io.fjord.metadata;

/**
 * Creates topics on first use when {@code auto.create.topics.enable} is on. Implementations return
 * at once: the topic appears in a later metadata image, and clients retry in the meantime.
 */
public interface TopicCreator {
    TopicCreator DISABLED = topic -> false;

    /**
     * Asks for {@code topic} with the broker's default partitions and replication factor.
     *
     * @return true when the topic exists or is being created, false when auto-creation is off or
     *     the name is not a valid topic name
     */
    boolean autoCreate(String topic);
}
