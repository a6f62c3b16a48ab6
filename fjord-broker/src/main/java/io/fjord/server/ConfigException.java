package io.fjord.server;

/** A setting that stops a node from starting; the message is one line that names the setting. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }

    /** For a value that does not parse or is out of range. */
    public static ConfigException invalid(String key, String value, String why) {
        return new ConfigException("Invalid value '" + value + "' for configuration " + key + ": " + why);
    }
}
