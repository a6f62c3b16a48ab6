package io.fjord.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.NodeConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigResolverTest {
    private static ConfigResolver resolver(Map<String, String> statics) {
        return new ConfigResolver(NodeConfig.DEFAULTS, statics);
    }

    private static ConfigEntry entry(List<ConfigEntry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void topicDefaultsAreKafkasAndComeFromTheBrokerDefaults() {
        List<ConfigEntry> entries = resolver(Map.of()).topicEntries(Map.of(), BrokerLayers.NONE);

        assertThat(entries).extracting(ConfigEntry::name).isSorted().contains("cleanup.policy", "retention.ms",
                "segment.bytes", "max.message.bytes", "compression.type", "message.timestamp.type", "min.insync.replicas");
        ConfigEntry retention = entry(entries, "retention.ms");
        assertThat(retention.value()).isEqualTo("604800000");
        assertThat(retention.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(retention.synonyms()).containsExactly(
                new ConfigSynonym("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG));
        assertThat(entry(entries, "max.message.bytes").value()).isEqualTo("1048588");
        assertThat(entry(entries, "compression.type").value()).isEqualTo("producer");
        assertThat(entry(entries, "cleanup.policy").type()).isEqualTo(ConfigType.LIST);
        assertThat(entry(entries, "segment.ms").value()).isEqualTo("604800000");
        assertThat(entry(entries, "flush.ms").value()).isEqualTo(Long.toString(Long.MAX_VALUE));
    }

    @Test
    void brokerHoursAndMinutesBecomeTopicMilliseconds() {
        ConfigResolver resolver = resolver(Map.of("log.retention.hours", "24", "log.roll.hours", "1"));
        Map<String, String> effective = resolver.effectiveTopicConfig(Map.of(), BrokerLayers.NONE);
        assertThat(effective).containsEntry("retention.ms", "86400000").containsEntry("segment.ms", "3600000");

        ConfigEntry retention = entry(resolver.topicEntries(Map.of(), BrokerLayers.NONE), "retention.ms");
        assertThat(retention.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(retention.synonyms()).containsExactly(
                new ConfigSynonym("log.retention.hours", "24", ConfigSource.STATIC_BROKER_CONFIG),
                new ConfigSynonym("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG));

        // Minutes outrank hours, milliseconds outrank both; a negative value means forever.
        assertThat(resolver(Map.of("log.retention.minutes", "2", "log.retention.hours", "1"))
                .effectiveTopicConfig(Map.of(), BrokerLayers.NONE)).containsEntry("retention.ms", "120000");
        assertThat(resolver(Map.of("log.retention.ms", "5", "log.retention.minutes", "2"))
                .effectiveTopicConfig(Map.of(), BrokerLayers.NONE)).containsEntry("retention.ms", "5");
        assertThat(resolver(Map.of("log.retention.hours", "-3"))
                .effectiveTopicConfig(Map.of(), BrokerLayers.NONE)).containsEntry("retention.ms", "-1");
    }

    @Test
    void precedenceIsTopicThenBrokerThenClusterDefaultThenStatic() {
        ConfigResolver resolver = resolver(Map.of("log.segment.bytes", "1000"));
        BrokerLayers layers = new BrokerLayers(Map.of("log.segment.bytes", "3000"), Map.of("log.segment.bytes", "2000"));

        ConfigEntry fromBroker = entry(resolver.topicEntries(Map.of(), layers), "segment.bytes");
        assertThat(fromBroker.value()).isEqualTo("3000");
        assertThat(fromBroker.source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
        assertThat(fromBroker.synonyms()).extracting(ConfigSynonym::source).containsExactly(
                ConfigSource.DYNAMIC_BROKER_CONFIG, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
                ConfigSource.STATIC_BROKER_CONFIG, ConfigSource.DEFAULT_CONFIG);

        ConfigEntry fromTopic = entry(resolver.topicEntries(Map.of("segment.bytes", "4000"), layers), "segment.bytes");
        assertThat(fromTopic.value()).isEqualTo("4000");
        assertThat(fromTopic.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(fromTopic.synonyms().get(0)).isEqualTo(
                new ConfigSynonym("segment.bytes", "4000", ConfigSource.DYNAMIC_TOPIC_CONFIG));

        ConfigEntry fromClusterDefault = entry(resolver.topicEntries(Map.of(),
                new BrokerLayers(Map.of(), Map.of("log.segment.bytes", "2000"))), "segment.bytes");
        assertThat(fromClusterDefault.value()).isEqualTo("2000");
        assertThat(fromClusterDefault.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
    }

    @Test
    void brokerEntriesReportEveryKeyWithItsSourceAndWhetherItCanChange() {
        ConfigResolver resolver = resolver(Map.of("num.partitions", "3", "log.retention.hours", "24"));
        BrokerLayers layers = new BrokerLayers(Map.of("log.retention.ms", "1000"), Map.of("compression.type", "zstd"));
        List<ConfigEntry> entries = resolver.brokerEntries(layers);

        assertThat(entries).extracting(ConfigEntry::name).isSorted();
        ConfigEntry partitions = entry(entries, "num.partitions");
        assertThat(partitions.value()).isEqualTo("3");
        assertThat(partitions.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(partitions.readOnly()).isTrue();
        assertThat(partitions.type()).isEqualTo(ConfigType.INT);

        ConfigEntry retentionMs = entry(entries, "log.retention.ms");
        assertThat(retentionMs.value()).isEqualTo("1000");
        assertThat(retentionMs.source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
        assertThat(retentionMs.readOnly()).isFalse();

        // log.retention.hours does not list the higher-ranking log.retention.ms among its synonyms.
        ConfigEntry hours = entry(entries, "log.retention.hours");
        assertThat(hours.value()).isEqualTo("24");
        assertThat(hours.readOnly()).isTrue();
        assertThat(hours.synonyms()).extracting(ConfigSynonym::name).containsOnly("log.retention.hours");

        ConfigEntry compression = entry(entries, "compression.type");
        assertThat(compression.value()).isEqualTo("zstd");
        assertThat(compression.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);

        ConfigEntry advertised = entry(entries, "advertised.listeners");
        assertThat(advertised.value()).isNull();
        assertThat(advertised.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);

        assertThat(resolver.clusterDefaultEntries(layers)).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("compression.type");
            assertThat(e.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertThat(e.synonyms()).extracting(ConfigSynonym::source)
                    .containsOnly(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        });
    }
}
