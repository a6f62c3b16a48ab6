package io.fjord.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A change to one resource's overrides. IncrementalAlterConfigs touches only the keys it names; the
 * legacy AlterConfigs ({@code replace}) makes the given keys the whole set, dropping the others.
 * Applied by the metadata store's single writer, so concurrent changes to different keys never
 * lose each other.
 */
public record ConfigChange(boolean replace, List<ConfigOp> ops) {

    public ConfigChange {
        ops = List.copyOf(ops);
    }

    /** The legacy AlterConfigs: exactly these keys with these values. */
    public static ConfigChange replaceWith(Map<String, String> configs) {
        List<ConfigOp> ops = new ArrayList<>();
        configs.forEach((k, v) -> ops.add(ConfigOp.set(k, v)));
        return new ConfigChange(true, ops);
    }

    public static ConfigChange incremental(List<ConfigOp> ops) {
        return new ConfigChange(false, ops);
    }

    /**
     * The overrides after this change. APPEND and SUBTRACT work on the current override or, when there
     * is none, on the key's built-in default, as Kafka does ({@code cleanup.policy} APPEND compact on a
     * fresh topic gives "delete,compact").
     *
     * @param keys finds a key's definition, null for unknown keys
     * @throws InvalidConfigException when APPEND or SUBTRACT name a key that is not a list
     */
    public Map<String, String> applyTo(Map<String, String> current, Function<String, ConfigKey> keys) {
        Map<String, String> out = replace ? new LinkedHashMap<>() : new LinkedHashMap<>(current);
        for (ConfigOp op : ops) {
            switch (op.type()) {
                case SET -> out.put(op.name(), op.value());
                case DELETE -> out.remove(op.name());
                case APPEND, SUBTRACT -> {
                    ConfigKey key = keys.apply(op.name());
                    if (key == null) {
                        throw new InvalidConfigException("Unknown config name: " + op.name());
                    }
                    if (key.type() != ConfigType.LIST) {
                        throw new InvalidConfigException("Can't " + op.type() + " to key " + op.name()
                                + " because its type is not LIST.");
                    }
                    String base = out.containsKey(op.name()) ? out.get(op.name()) : key.defaultValue();
                    List<String> items = ConfigKey.splitList(base);
                    for (String item : ConfigKey.splitList(op.value())) {
                        if (op.type() == ConfigOp.Type.APPEND) {
                            if (!items.contains(item)) {
                                items.add(item);
                            }
                        } else {
                            items.remove(item);
                        }
                    }
                    out.put(op.name(), String.join(",", items));
                }
                default -> throw new IllegalStateException("unhandled " + op.type());
            }
        }
        return out;
    }
}
