package io.fjord.metadata;

import io.fjord.config.BrokerLayers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything the cluster metadata holds, at one point: topics (by name and by id) with their
 * partitions and config overrides, dynamic broker configs, and the next unused producer id.
 * Immutable: a change makes a new image ({@link #toBuilder()}), and readers keep the one they started
 * with, so a request never sees half a change.
 */
public final class MetadataImage implements TopicRegistry {
    public static final MetadataImage EMPTY = new MetadataImage(0, new TreeMap<>(), Map.of(), 0, new TreeMap<>(), null);

    private final long version;
    private final Map<String, TopicImage> byName;
    private final Map<UUID, TopicImage> byId;
    private final List<TopicInfo> topicInfos;
    private final Map<String, Map<String, String>> brokerConfigs;
    private final long nextProducerId;
    private final Map<Integer, BrokerRegistration> brokers;
    private final String clusterId;

    private MetadataImage(long version, TreeMap<String, TopicImage> byName, Map<String, Map<String, String>> brokerConfigs,
                          long nextProducerId, TreeMap<Integer, BrokerRegistration> brokers, String clusterId) {
        this.version = version;
        this.byName = Collections.unmodifiableMap(byName);
        Map<UUID, TopicImage> ids = new HashMap<>();
        List<TopicInfo> infos = new ArrayList<>(byName.size());
        for (TopicImage topic : byName.values()) {
            ids.put(topic.id(), topic);
            infos.add(topic.info());
        }
        this.byId = Collections.unmodifiableMap(ids);
        this.topicInfos = Collections.unmodifiableList(infos);
        Map<String, Map<String, String>> configsByBroker = new TreeMap<>();
        brokerConfigs.forEach((name, configs) -> {
            if (!configs.isEmpty()) {
                configsByBroker.put(name, Collections.unmodifiableMap(new TreeMap<>(configs)));
            }
        });
        this.brokerConfigs = Collections.unmodifiableMap(configsByBroker);
        this.nextProducerId = nextProducerId;
        this.brokers = Collections.unmodifiableMap(brokers);
        this.clusterId = clusterId;
    }

    /** How many changes led to this image; 0 for a store that never changed. */
    public long version() {
        return version;
    }

    /** Every topic, in name order. */
    @Override
    public Collection<TopicInfo> topics() {
        return topicInfos;
    }

    @Override
    public TopicInfo topic(String name) {
        TopicImage topic = byName.get(name);
        return topic == null ? null : topic.info();
    }

    @Override
    public TopicInfo topic(UUID topicId) {
        TopicImage topic = byId.get(topicId);
        return topic == null ? null : topic.info();
    }

    /** Every topic with its configs, in name order. */
    public Collection<TopicImage> topicImages() {
        return byName.values();
    }

    public TopicImage topicImage(String name) {
        return byName.get(name);
    }

    public TopicImage topicImage(UUID topicId) {
        return byId.get(topicId);
    }

    /** A topic's config overrides; empty when it has none or does not exist. */
    public Map<String, String> topicConfigs(String name) {
        TopicImage topic = byName.get(name);
        return topic == null ? Map.of() : topic.configs();
    }

    /** Dynamic configs of the BROKER resource {@code resourceName} ("" is the cluster-wide default). */
    public Map<String, String> brokerConfigs(String resourceName) {
        return brokerConfigs.getOrDefault(resourceName, Map.of());
    }

    /** Every BROKER resource with dynamic configs, by resource name. */
    public Map<String, Map<String, String>> allBrokerConfigs() {
        return brokerConfigs;
    }

    /** The dynamic broker configs in force on node {@code nodeId}. */
    public BrokerLayers brokerLayers(int nodeId) {
        return new BrokerLayers(brokerConfigs(Integer.toString(nodeId)), brokerConfigs(""));
    }

    /** The first producer id never handed out. */
    public long nextProducerId() {
        return nextProducerId;
    }

    /** Every registered broker, fenced or not, by id. */
    public Map<Integer, BrokerRegistration> brokers() {
        return brokers;
    }

    /** The registered broker {@code id}, or null. */
    public BrokerRegistration broker(int id) {
        return brokers.get(id);
    }

    /** The cluster id the metadata log carries; null until the first controller set it. */
    public String clusterId() {
        return clusterId;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String toString() {
        return "MetadataImage(version=" + version + ", topics=" + byName.size() + ", brokers=" + brokers.keySet()
                + ", nextProducerId=" + nextProducerId + ")";
    }

    /** Collects changes to an image; {@link #build()} makes the next version. */
    public static final class Builder {
        private final long version;
        private final TreeMap<String, TopicImage> byName;
        private final Map<String, Map<String, String>> brokerConfigs;
        private long nextProducerId;
        private final TreeMap<Integer, BrokerRegistration> brokers;
        private String clusterId;

        private Builder(MetadataImage base) {
            this.version = base.version;
            this.byName = new TreeMap<>(base.byName);
            this.brokerConfigs = new HashMap<>(base.brokerConfigs);
            this.nextProducerId = base.nextProducerId;
            this.brokers = new TreeMap<>(base.brokers);
            this.clusterId = base.clusterId;
        }

        /** Adds or replaces a broker (matched by id). */
        public Builder putBroker(BrokerRegistration broker) {
            brokers.put(broker.id(), broker);
            return this;
        }

        public Builder clusterId(String id) {
            this.clusterId = id;
            return this;
        }

        /** Adds or replaces a topic (matched by name). */
        public Builder putTopic(TopicImage topic) {
            byName.put(topic.name(), topic);
            return this;
        }

        public Builder removeTopic(String name) {
            byName.remove(name);
            return this;
        }

        public Builder brokerConfigs(String resourceName, Map<String, String> configs) {
            brokerConfigs.put(resourceName, configs);
            return this;
        }

        public Builder nextProducerId(long next) {
            this.nextProducerId = next;
            return this;
        }

        public MetadataImage build() {
            return new MetadataImage(version + 1, byName, brokerConfigs, nextProducerId, brokers, clusterId);
        }

        /** For loading a stored image: keeps {@code storedVersion} instead of counting a change. */
        MetadataImage buildAs(long storedVersion) {
            return new MetadataImage(storedVersion, byName, brokerConfigs, nextProducerId, brokers, clusterId);
        }
    }
}
