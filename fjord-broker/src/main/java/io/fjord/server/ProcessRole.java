package io.fjord.server;

import java.util.Locale;

/** What a node does in the cluster, as {@code process.roles} names it. */
public enum ProcessRole {
    BROKER,
    CONTROLLER;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code name} in {@code process.roles}, or null. */
    public static ProcessRole forConfigName(String name) {
        for (ProcessRole role : values()) {
            if (role.configName().equals(name)) {
                return role;
            }
        }
        return null;
    }
}
