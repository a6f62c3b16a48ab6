package io.fjord.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Works out effective configs and where they come from. A topic config's value is the topic's
 * override, else the first broker synonym set in any layer (this broker's dynamic value, the
 * cluster's dynamic default, server.properties), converted to the topic's unit, else the built-in
 * default.
 *
 * <p>Synonyms are listed source by source (every synonym's dynamic broker value, then every dynamic
 * default, then static, then built-in defaults), as Kafka lists them. Only the highest-ranking name
 * of a synonym group can be set dynamically, so that order also puts the winning value first.
 */
public final class ConfigResolver {
    private final Map<String, String> defaults;
    private final Map<String, String> statics;

    /**
     * @param defaults every broker key with its default, "" where it has none ({@code NodeConfig.DEFAULTS})
     * @param statics  the keys set in server.properties or on the command line
     */
    public ConfigResolver(Map<String, String> defaults, Map<String, String> statics) {
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        this.statics = Collections.unmodifiableMap(new LinkedHashMap<>(statics));
    }

    // ---- topics ----

    /** Every topic config with its effective value, for a topic with {@code overrides}. */
    public Map<String, String> effectiveTopicConfig(Map<String, String> overrides, BrokerLayers layers) {
        Map<String, String> out = new TreeMap<>();
        for (TopicConfigs.Def def : TopicConfigs.all().values()) {
            out.put(def.key().name(), topicEntry(def, overrides, layers).value());
        }
        return out;
    }

    /** Every topic config as DescribeConfigs reports it, in name order. */
    public List<ConfigEntry> topicEntries(Map<String, String> overrides, BrokerLayers layers) {
        List<ConfigEntry> out = new ArrayList<>();
        for (TopicConfigs.Def def : TopicConfigs.all().values()) {
            out.add(topicEntry(def, overrides, layers));
        }
        return out;
    }

    private ConfigEntry topicEntry(TopicConfigs.Def def, Map<String, String> overrides, BrokerLayers layers) {
        ConfigKey key = def.key();
        List<String> names = def.synonyms().stream().map(TopicConfigs.Synonym::name).toList();
        List<ConfigSynonym> synonyms = new ArrayList<>(brokerSynonyms(names, layers));
        String override = overrides.get(key.name());
        String value;
        if (override != null) {
            synonyms.add(0, new ConfigSynonym(key.name(), override, ConfigSource.DYNAMIC_TOPIC_CONFIG));
            value = override;
        } else if (!synonyms.isEmpty()) {
            ConfigSynonym winner = synonyms.get(0);
            value = fromBroker(key, winner, def.synonyms());
        } else {
            value = key.defaultValue();
        }
        ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : synonyms.get(0).source();
        return new ConfigEntry(key.name(), value, source, false, false, key.type(), key.documentation(), synonyms);
    }

    /** A broker synonym's value in the topic config's unit (hours to milliseconds and so on). */
    private static String fromBroker(ConfigKey key, ConfigSynonym synonym, List<TopicConfigs.Synonym> defs) {
        long multiplier = 1;
        for (TopicConfigs.Synonym def : defs) {
            if (def.name().equals(synonym.name())) {
                multiplier = def.multiplier();
            }
        }
        if (multiplier == 1) {
            return synonym.value();
        }
        long converted = Math.multiplyExact(Long.parseLong(synonym.value().trim()), multiplier);
        // Kafka treats any negative retention from the broker's minutes or hours as "forever".
        if (key.name().equals(TopicConfigs.RETENTION_MS) && converted < 0) {
            converted = -1;
        }
        return Long.toString(converted);
    }

    // ---- brokers ----

    /**
     * Every broker config of this node as DescribeConfigs reports it for the BROKER resource named by
     * its id: the keys the node knows plus any set statically, in name order.
     */
    public List<ConfigEntry> brokerEntries(BrokerLayers layers) {
        TreeSet<String> names = new TreeSet<>(defaults.keySet());
        names.addAll(statics.keySet());
        List<ConfigEntry> out = new ArrayList<>();
        for (String name : names) {
            out.add(brokerEntry(name, layers, false));
        }
        return out;
    }

    /** The cluster-wide dynamic defaults, as DescribeConfigs reports the BROKER resource with the empty name. */
    public List<ConfigEntry> clusterDefaultEntries(BrokerLayers layers) {
        List<ConfigEntry> out = new ArrayList<>();
        for (String name : new TreeSet<>(layers.clusterDefault().keySet())) {
            out.add(brokerEntry(name, layers, true));
        }
        return out;
    }

    /** The effective value of a broker key on this node: dynamic, else static, else default; null when none. */
    public String brokerValue(String name, BrokerLayers layers) {
        String v = layers.perBroker().get(name);
        if (v == null) {
            v = layers.clusterDefault().get(name);
        }
        if (v == null) {
            v = nonEmpty(statics.get(name));
        }
        if (v == null) {
            v = nonEmpty(defaults.get(name));
        }
        return v;
    }

    private ConfigEntry brokerEntry(String name, BrokerLayers layers, boolean clusterDefaultOnly) {
        List<ConfigSynonym> synonyms = new ArrayList<>(brokerSynonyms(BrokerConfigs.synonymsFrom(name), layers));
        if (clusterDefaultOnly) {
            synonyms.removeIf(s -> s.source() != ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        }
        // Synonyms that outrank this key belong to another entry: log.retention.hours does not list log.retention.ms.
        while (!synonyms.isEmpty() && !synonyms.get(0).name().equals(name)) {
            synonyms.remove(0);
        }
        String value = clusterDefaultOnly ? layers.clusterDefault().get(name) : brokerValue(name, layers);
        ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : synonyms.get(0).source();
        ConfigKey key = BrokerConfigs.key(name);
        return new ConfigEntry(name, value, source, !BrokerConfigs.isDynamic(name), false,
                key == null ? ConfigType.STRING : key.type(), key == null ? null : key.documentation(), synonyms);
    }

    /** Where each of {@code names} is set, source by source, highest precedence first. */
    private List<ConfigSynonym> brokerSynonyms(List<String> names, BrokerLayers layers) {
        List<ConfigSynonym> out = new ArrayList<>();
        addSet(out, names, layers.perBroker(), ConfigSource.DYNAMIC_BROKER_CONFIG);
        addSet(out, names, layers.clusterDefault(), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        addSet(out, names, statics, ConfigSource.STATIC_BROKER_CONFIG);
        addSet(out, names, defaults, ConfigSource.DEFAULT_CONFIG);
        return out;
    }

    private static void addSet(List<ConfigSynonym> out, List<String> names, Map<String, String> layer, ConfigSource source) {
        for (String name : names) {
            String v = nonEmpty(layer.get(name));
            if (v != null) {
                out.add(new ConfigSynonym(name, v, source));
            }
        }
    }

    /** Node settings use "" for "not set" where Kafka's default is null. */
    private static String nonEmpty(String v) {
        return v == null || v.isEmpty() ? null : v;
    }
}
