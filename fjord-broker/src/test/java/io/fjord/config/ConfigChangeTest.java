package io.fjord.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChangeTest {

    @Test
    void setAndDeleteTouchOnlyTheNamedKeys() {
        Map<String, String> current = Map.of("retention.ms", "1", "segment.bytes", "100000");
        Map<String, String> after = ConfigChange.incremental(List.of(ConfigOp.set("retention.ms", "2"),
                ConfigOp.delete("segment.bytes"), ConfigOp.delete("flush.ms"))).applyTo(current, TopicConfigs::keyOf);
        assertThat(after).containsExactly(Map.entry("retention.ms", "2"));
    }

    @Test
    void replaceDropsEverythingNotNamed() {
        Map<String, String> after = ConfigChange.replaceWith(Map.of("flush.ms", "5"))
                .applyTo(Map.of("retention.ms", "1"), TopicConfigs::keyOf);
        assertThat(after).containsExactly(Map.entry("flush.ms", "5"));
    }

    @Test
    void appendAndSubtractStartFromTheDefaultWhenThereIsNoOverride() {
        ConfigChange append = ConfigChange.incremental(
                List.of(new ConfigOp("cleanup.policy", ConfigOp.Type.APPEND, "compact")));
        assertThat(append.applyTo(Map.of(), TopicConfigs::keyOf)).containsEntry("cleanup.policy", "delete,compact");
        assertThat(append.applyTo(Map.of("cleanup.policy", "compact"), TopicConfigs::keyOf))
                .containsEntry("cleanup.policy", "compact");

        ConfigChange subtract = ConfigChange.incremental(
                List.of(new ConfigOp("cleanup.policy", ConfigOp.Type.SUBTRACT, "delete")));
        assertThat(subtract.applyTo(Map.of("cleanup.policy", "delete,compact"), TopicConfigs::keyOf))
                .containsEntry("cleanup.policy", "compact");
        assertThat(subtract.applyTo(Map.of(), TopicConfigs::keyOf)).containsEntry("cleanup.policy", "");
    }

    @Test
    void appendToANonListIsRefused() {
        ConfigChange change = ConfigChange.incremental(List.of(new ConfigOp("retention.ms", ConfigOp.Type.APPEND, "5")));
        assertThatThrownBy(() -> change.applyTo(Map.of(), TopicConfigs::keyOf))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("retention.ms").hasMessageContaining("not LIST");
    }

    @Test
    void topicValidationNamesTheKeyAndValue() {
        assertThat(TopicConfigs.validate(Map.of("cleanup.policy", " compact , delete", "compression.type", "zstd")))
                .containsEntry("cleanup.policy", "compact,delete").containsEntry("compression.type", "zstd");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("retention.ms", "soon")))
                .hasMessageContaining("retention.ms").hasMessageContaining("soon");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("segment.bytes", "13")))
                .hasMessageContaining("segment.bytes").hasMessageContaining("at least 14");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("compression.type", "none")))
                .hasMessageContaining("compression.type").hasMessageContaining("uncompressed");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("cleanup.policy", "delete,shred")))
                .hasMessageContaining("shred");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("no.such.config", "1")))
                .hasMessageContaining("no.such.config");
    }

    @Test
    void onlyPrimaryLogSynonymsAreDynamicBrokerConfigs() {
        assertThat(BrokerConfigs.validateDynamic(Map.of("log.retention.ms", "1000", "compression.type", "lz4")))
                .containsEntry("log.retention.ms", "1000");
        assertThatThrownBy(() -> BrokerConfigs.validateDynamic(Map.of("log.retention.hours", "1")))
                .hasMessageContaining("Cannot update these configs dynamically").hasMessageContaining("log.retention.hours");
        assertThatThrownBy(() -> BrokerConfigs.validateDynamic(Map.of("num.partitions", "3")))
                .hasMessageContaining("num.partitions");
        assertThatThrownBy(() -> BrokerConfigs.validateDynamic(Map.of("message.max.bytes", "-1")))
                .hasMessageContaining("message.max.bytes");
    }
}
