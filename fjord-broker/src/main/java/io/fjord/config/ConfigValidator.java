package io.fjord.config;

import java.util.List;
import java.util.Set;

/** Checks a parsed config value; throws {@link InvalidConfigException} naming the key and value when it is out of range. */
@FunctionalInterface
public interface ConfigValidator {
    ConfigValidator ANY = (key, raw, parsed) -> { };

    void check(String key, String raw, Object parsed);

    static ConfigValidator atLeast(long min) {
        return (key, raw, parsed) -> {
            if (((Number) parsed).longValue() < min) {
                throw InvalidConfigException.invalid(key, raw, "must be at least " + min);
            }
        };
    }

    /** One of {@code allowed}, compared exactly as Kafka does (case matters). */
    static ConfigValidator oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return (key, raw, parsed) -> {
            if (!values.contains((String) parsed)) {
                throw InvalidConfigException.invalid(key, raw, "must be one of " + String.join(", ", values));
            }
        };
    }

    /** Every item of a list value is one of {@code allowed}. */
    static ConfigValidator eachOf(String... allowed) {
        Set<String> values = Set.of(allowed);
        return (key, raw, parsed) -> {
            for (Object item : (List<?>) parsed) {
                if (!values.contains(item)) {
                    throw InvalidConfigException.invalid(key, raw,
                            "'" + item + "' is not one of " + String.join(", ", List.of(allowed)));
                }
            }
        };
    }
}
