package io.fjord.config;

/** One change of IncrementalAlterConfigs (or, as SETs, of the legacy AlterConfigs). */
public record ConfigOp(String name, Type type, String value) {

    /** The operations with Kafka's ids. */
    public enum Type {
        SET(0),
        DELETE(1),
        APPEND(2),
        SUBTRACT(3);

        public final byte id;

        Type(int id) {
            this.id = (byte) id;
        }

        /** The operation with this id, or null. */
        public static Type forId(byte id) {
            for (Type type : values()) {
                if (type.id == id) {
                    return type;
                }
            }
            return null;
        }
    }

    public static ConfigOp set(String name, String value) {
        return new ConfigOp(name, Type.SET, value);
    }

    public static ConfigOp delete(String name) {
        return new ConfigOp(name, Type.DELETE, null);
    }
}
