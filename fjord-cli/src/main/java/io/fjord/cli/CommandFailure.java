package io.fjord.cli;

/**
 * A command that parsed but could not do its job, with a message fit for one line after
 * "fjord: error: " (picocli's execution handler in {@link Fjord} prints it and exits non-zero).
 */
final class CommandFailure extends RuntimeException {
    CommandFailure(String message) {
        super(message, null, false, false);
    }
}
