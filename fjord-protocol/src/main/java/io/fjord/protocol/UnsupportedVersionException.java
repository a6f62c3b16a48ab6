package io.fjord.protocol;

/** A message cannot be expressed in the version asked for (a field or tag it does not have). */
public class UnsupportedVersionException extends RuntimeException {
    public UnsupportedVersionException(String message) {
        super(message);
    }
}
