package io.fjord.record;

/** The codec of a batch's records, as bits 0-2 of its attributes and as topic configs name it. */
public enum CompressionType {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private static final CompressionType[] BY_ID = values();

    public final int id;
    public final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The codec with this attribute id, or null for the ids Kafka leaves unassigned (5-7). */
    public static CompressionType forId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    public static CompressionType forName(String name) {
        for (CompressionType type : BY_ID) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown compression type " + name);
    }
}
