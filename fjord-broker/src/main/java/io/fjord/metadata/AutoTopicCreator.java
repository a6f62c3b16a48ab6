package io.fjord.metadata;

import io.fjord.protocol.Errors;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics on first use ({@code auto.create.topics.enable}) with the broker's default partition
 * count and replication factor. Asks the store and returns without waiting; a topic asked for again
 * while its creation is under way is not asked twice.
 */
public final class AutoTopicCreator implements TopicCreator {
    private static final Logger log = LoggerFactory.getLogger(AutoTopicCreator.class);
    /** Kafka gives the forwarded CreateTopics the broker's request timeout, 30 s by default. */
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final MetadataStore store;
    private final boolean enabled;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public AutoTopicCreator(MetadataStore store, boolean enabled) {
        this.store = store;
        this.enabled = enabled;
    }

    @Override
    public boolean autoCreate(String topic) {
        // Internal topics need their coordinator's partition count and configs; the coordinator creates them.
        if (!enabled || !TopicNames.isValid(topic) || TopicNames.isInternal(topic)) {
            return false;
        }
        if (store.image().topic(topic) != null || !inFlight.add(topic)) {
            return true;
        }
        store.createTopics(List.of(TopicSpec.withDefaults(topic)), false, System.nanoTime() + TIMEOUT_NANOS)
                .whenComplete((results, failure) -> {
                    inFlight.remove(topic);
                    if (failure != null) {
                        log.warn("Auto-creation of topic {} failed: {}", topic, failure.getMessage());
                    } else if (results.get(0).error().isFailure()
                            && results.get(0).error().error() != Errors.TOPIC_ALREADY_EXISTS) {
                        log.warn("Auto-creation of topic {} failed: {} {}", topic, results.get(0).error().error(),
                                results.get(0).error().message());
                    } else if (results.get(0).error().isSuccess()) {
                        log.info("Auto-created topic {} with id {}", topic, TopicIds.toBase64(results.get(0).topicId()));
                    }
                });
        return true;
    }
}
