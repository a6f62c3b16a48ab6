package io.fjord.config;

/** One place a config's value could come from, as DescribeConfigs lists them with include_synonyms. */
public record ConfigSynonym(String name, String value, ConfigSource source) {
}
