package io.fjord.config;

import java.util.List;

/**
 * A config as DescribeConfigs reports it.
 *
 * @param value    the effective value, null when the config has none
 * @param source   where the effective value comes from
 * @param synonyms every place a value is set, highest precedence first (the first one wins)
 */
public record ConfigEntry(
        String name,
        String value,
        ConfigSource source,
        boolean readOnly,
        boolean sensitive,
        ConfigType type,
        String documentation,
        List<ConfigSynonym> synonyms) {

    public ConfigEntry {
        synonyms = List.copyOf(synonyms);
    }
}
