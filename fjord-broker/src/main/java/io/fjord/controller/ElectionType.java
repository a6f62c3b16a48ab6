package io.fjord.controller;

/** The kinds of leader election ElectLeaders asks for, with Kafka's wire values. */
public enum ElectionType {
    /** Make the first replica the leader again, if it is alive and in the ISR. */
    PREFERRED((byte) 0),
    /** Elect a replica outside the ISR when no ISR member is alive (may lose acknowledged records). */
    UNCLEAN((byte) 1);

    private final byte value;

    ElectionType(byte value) {
        this.value = value;
    }

    public byte value() {
        return value;
    }

    /** The type with wire value {@code value}, or null. */
    public static ElectionType forValue(byte value) {
        for (ElectionType type : values()) {
            if (type.value == value) {
                return type;
            }
        }
        return null;
    }
}
