package io.fjord.config;

/** A config value that does not parse or is out of range; the message names the key and the value. */
public final class InvalidConfigException extends RuntimeException {

    public InvalidConfigException(String message) {
        super(message);
    }

    public static InvalidConfigException invalid(String key, String value, String why) {
        return new InvalidConfigException("Invalid value '" + value + "' for configuration " + key + ": " + why);
    }
}
