package io.fjord.config;

/** Something configs are attached to: a topic by name, or a broker by id ("" for the cluster-wide default). */
public record ConfigResource(Type type, String name) {

    /** Resource types with Kafka's ids. */
    public enum Type {
        UNKNOWN(0),
        TOPIC(2),
        BROKER(4),
        BROKER_LOGGER(8),
        CLIENT_METRICS(16),
        GROUP(32);

        public final byte id;

        Type(int id) {
            this.id = (byte) id;
        }

        public static Type forId(byte id) {
            for (Type type : values()) {
                if (type.id == id) {
                    return type;
                }
            }
            return UNKNOWN;
        }
    }

    public static ConfigResource topic(String name) {
        return new ConfigResource(Type.TOPIC, name);
    }

    public static ConfigResource broker(String name) {
        return new ConfigResource(Type.BROKER, name);
    }
}
