package io.fjord.cli;

import io.fjord.server.ConfigException;
import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import io.fjord.server.StartException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fjord server}: runs one node until SIGTERM or SIGINT. */
@Command(name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a Fjord node. With no settings: one node with the broker and controller roles,",
            "listening on 127.0.0.1:9092, advertising localhost:9092, data in ./fjord-data."
        })
final class ServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Broker settings in Kafka's server.properties format.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A broker setting under its Kafka name, e.g. --set listeners=PLAINTEXT://127.0.0.1:9093. "
                    + "Repeatable; wins over --config.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        NodeConfig config;
        try {
            config = NodeConfig.from(settings());
        } catch (ConfigException e) {
            return fail(e.getMessage());
        }
        FjordNode node = new FjordNode(config);
        // Registered before the start: a SIGTERM that arrives right after the ready line must still
        // stop the node cleanly (close waits for a start in progress).
        Thread hook = new Thread(() -> {
            log.info("Shutdown requested, stopping node {}", config.nodeId());
            node.close();
        }, "fjord-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            node.start();
        } catch (StartException | ConfigException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            return fail(e.getMessage());
        }
        node.awaitShutdown();
        return 0;
    }

    /** Runs the command set up by {@link PlainServerArgs}, failing the way picocli's handler would. */
    int callOutsidePicocli() {
        try {
            return call();
        } catch (Exception e) {
            System.err.println("fjord: error: " + Fjord.oneLine(e));
            System.err.flush();
            return Fjord.FAILURE;
        }
    }

    private Map<String, String> settings() {
        Map<String, String> values = new LinkedHashMap<>();
        if (configFile != null) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(configFile)) {
                file.load(in);
            } catch (NoSuchFileException e) {
                throw new ConfigException("config file " + configFile + " does not exist");
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("cannot read config file " + configFile + ": " + Fjord.oneLine(e));
            }
            for (String key : file.stringPropertyNames()) {
                values.put(key, file.getProperty(key));
            }
        }
        values.putAll(settings);
        return values;
    }

    private int fail(String message) {
        if (spec == null) { // run by PlainServerArgs
            System.err.println("fjord: error: " + message);
            System.err.flush();
        } else {
            spec.commandLine().getErr().println("fjord: error: " + message);
        }
        return Fjord.FAILURE;
    }
}
