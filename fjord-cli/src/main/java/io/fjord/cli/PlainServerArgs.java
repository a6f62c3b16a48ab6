package io.fjord.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the common {@code fjord server} command lines without picocli: only {@code --set KEY=VALUE}
 * and one {@code --config FILE}, each as two words. Picocli is compiled for Java 5, so the JVM's
 * startup cache cannot hold its classes; it loads and verifies about 180 of them from the jar on
 * every start, a good share of the time to ready. Anything this class does not recognise exactly
 * (help, other spellings, a value that looks like an option, an argument file) goes to picocli,
 * which parses it and reports its errors as before.
 */
final class PlainServerArgs {
    private PlainServerArgs() {
    }

    /** The server command for {@code args}, or null when picocli has to read them. */
    static ServerCommand parse(String[] args) {
        if (args.length == 0 || !args[0].equals("server")) {
            return null;
        }
        Path configFile = null;
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                return null;
            }
            String value = args[i + 1];
            if (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '@') {
                return null;
            }
            switch (args[i]) {
                case "--set" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0 || eq == value.length() - 1) {
                        return null;
                    }
                    settings.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--config" -> {
                    if (configFile != null) {
                        return null;
                    }
                    try {
                        configFile = Path.of(value);
                    } catch (RuntimeException e) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        ServerCommand command = new ServerCommand();
        command.configFile = configFile;
        command.settings = settings;
        return command;
    }
}
