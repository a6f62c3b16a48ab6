package io.fjord.config;

/** A config's data type, with the ids DescribeConfigs reports in its config_type field (v3+). */
public enum ConfigType {
    UNKNOWN(0),
    BOOLEAN(1),
    STRING(2),
    INT(3),
    SHORT(4),
    LONG(5),
    DOUBLE(6),
    LIST(7),
    CLASS(8),
    PASSWORD(9);

    public final byte id;

    ConfigType(int id) {
        this.id = (byte) id;
    }
}
