package io.fjord.metadata;

/**
 * Told of every new metadata image, in order, on the store's writer thread, once it is durable but
 * before {@link MetadataStore#image()} returns it and before the change is acknowledged: a created
 * topic's logs exist by the time any client can see the topic. Must not block for long and must not
 * call back into the store and wait.
 */
@FunctionalInterface
public interface MetadataListener {
    void onImage(MetadataImage previous, MetadataImage current);
}
