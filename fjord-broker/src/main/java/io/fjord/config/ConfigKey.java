package io.fjord.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One config's definition: name, type, default (null when it has none) and validation.
 * Values travel as strings (the protocol and server.properties carry strings); {@link #canonical}
 * parses one, validates it and gives back the form we store and report, so "{@code  compact , delete}"
 * and "{@code compact,delete}" are the same value.
 */
public record ConfigKey(String name, ConfigType type, String defaultValue, ConfigValidator validator, String documentation) {

    /** The parsed value: Boolean, Integer, Long, String or List of String according to the type. */
    public Object parse(String value) {
        if (value == null) {
            throw new InvalidConfigException("Null value not supported for configuration " + name);
        }
        String trimmed = value.trim();
        Object parsed = switch (type) {
            case BOOLEAN -> {
                if (trimmed.equalsIgnoreCase("true")) {
                    yield Boolean.TRUE;
                }
                if (trimmed.equalsIgnoreCase("false")) {
                    yield Boolean.FALSE;
                }
                throw InvalidConfigException.invalid(name, value, "must be true or false");
            }
            case INT, SHORT -> {
                try {
                    yield Integer.parseInt(trimmed);
                } catch (NumberFormatException e) {
                    throw InvalidConfigException.invalid(name, value, "not a 32-bit integer");
                }
            }
            case LONG -> {
                try {
                    yield Long.parseLong(trimmed);
                } catch (NumberFormatException e) {
                    throw InvalidConfigException.invalid(name, value, "not a 64-bit integer");
                }
            }
            case LIST -> splitList(trimmed);
            default -> trimmed;
        };
        validator.check(name, value, parsed);
        return parsed;
    }

    /** The value parsed, validated and written back the way we store and describe it. */
    public String canonical(String value) {
        Object parsed = parse(value);
        if (parsed instanceof List<?> list) {
            return String.join(",", list.stream().map(Object::toString).toList());
        }
        if (parsed instanceof Boolean b) {
            return b.toString().toLowerCase(Locale.ROOT);
        }
        return parsed.toString();
    }

    /** Kafka's list syntax: comma separated, whitespace around items ignored, empty string is the empty list. */
    public static List<String> splitList(String value) {
        List<String> items = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return items;
        }
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return items;
    }
}
