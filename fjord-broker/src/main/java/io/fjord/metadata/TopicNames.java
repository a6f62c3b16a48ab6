package io.fjord.metadata;

import java.util.Set;

/** Kafka's rules for topic names, which clients rely on the broker to enforce. */
public final class TopicNames {
    /** Leaves room for a partition suffix and a log directory's delete marker within a file name's 255 bytes. */
    public static final int MAX_LENGTH = 249;

    public static final String GROUP_METADATA_TOPIC = "__consumer_offsets";
    public static final String TRANSACTION_STATE_TOPIC = "__transaction_state";
    public static final String SHARE_GROUP_STATE_TOPIC = "__share_group_state";

    private static final Set<String> INTERNAL = Set.of(GROUP_METADATA_TOPIC, TRANSACTION_STATE_TOPIC, SHARE_GROUP_STATE_TOPIC);

    private TopicNames() {
    }

    /** Why {@code name} is not a legal topic name, or null when it is. */
    public static String invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return "topic name is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "topic name cannot be '.' or '..'";
        }
        if (name.length() > MAX_LENGTH) {
            return "topic name is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return "topic name '" + name + "' contains a character other than ASCII letters, digits, '.', '_' and '-'";
            }
        }
        return null;
    }

    public static boolean isValid(String name) {
        return invalidReason(name) == null;
    }

    public static boolean isInternal(String name) {
        return INTERNAL.contains(name);
    }
}
