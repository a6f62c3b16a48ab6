package io.fjord.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fjord cluster}: asks one node of a running cluster (over the Kafka protocol, as any
 * client would) and prints its nodes and their roles, the active controller, the metadata quorum,
 * and the partitions that are under-replicated or have no leader.
 */
@Command(name = "cluster",
        mixinStandardHelpOptions = true,
        description = {
            "Shows a running cluster: nodes with their roles and fencing, the active controller, the",
            "metadata quorum (leader, epoch, high watermark, each voter's lag), and under-replicated",
            "and leaderless partitions. Asks the first bootstrap server that answers."
        })
final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "A broker listener of the cluster (Kafka's PLAINTEXT listener, not CONTROLLER); "
                    + "with several, the first that answers is asked.")
    String bootstrapServers;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "Limit for connecting and for each answer (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    /** A host and port from the command line. */
    record Address(String host, int port) {
    }

    @Override
    public Integer call() {
        if (timeoutMs <= 0 || timeoutMs > Integer.MAX_VALUE) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout-ms must be a positive number of milliseconds");
        }
        List<Address> addresses = addresses(bootstrapServers);
        Duration timeout = Duration.ofMillis(timeoutMs);
        ClusterSnapshot snapshot;
        try (KafkaConnection connection = connect(addresses, timeout)) {
            snapshot = ClusterQueries.snapshot(connection);
        } catch (IOException e) {
            throw new CommandFailure(Fjord.oneLine(e));
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String line : ClusterReport.lines(snapshot)) {
            out.println(line);
        }
        out.flush();
        return 0;
    }

    /** The first of {@code addresses} that accepts a connection and answers ApiVersions. */
    private static KafkaConnection connect(List<Address> addresses, Duration timeout) {
        List<String> failures = new ArrayList<>();
        for (Address address : addresses) {
            try {
                return KafkaConnection.open(address.host(), address.port(), timeout);
            } catch (IOException e) {
                String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                String where = address.host() + ":" + address.port();
                failures.add(why.contains(where) ? why : where + ": " + why);
            }
        }
        throw new CommandFailure("cannot reach the bootstrap server" + (addresses.size() > 1 ? "s" : "") + " ("
                + String.join("; ", failures) + ")");
    }

    /** Kafka's bootstrap list: host:port pairs, commas between them, IPv6 hosts in brackets. */
    private List<Address> addresses(String list) {
        List<Address> addresses = new ArrayList<>();
        for (String item : list.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            String host = colon > 0 ? entry.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = -1;
            try {
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                // reported below
            }
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--bootstrap-server: '" + entry + "' is not HOST:PORT");
            }
            addresses.add(new Address(host, port));
        }
        if (addresses.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bootstrap-server: no HOST:PORT given");
        }
        return addresses;
    }
}
