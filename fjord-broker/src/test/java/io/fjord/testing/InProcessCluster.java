package io.fjord.testing;

import io.fjord.server.FjordNode;
import io.fjord.server.NodeConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Several nodes of one cluster in this JVM, on loopback. The quorum's ports must be known before any
 * voter starts (they are in every node's controller.quorum.voters), so they are reserved from the
 * ephemeral range first; client ports are ephemeral as usual.
 */
public final class InProcessCluster implements AutoCloseable {
    private final Path dir;
    private final Map<Integer, Integer> quorumPorts = new TreeMap<>();
    private final Map<Integer, String> roles = new TreeMap<>();
    private final Map<Integer, FjordNode> nodes = new TreeMap<>();
    private final String[] extra;
    private final Map<Integer, Map<String, String>> perNode = new TreeMap<>();

    /**
     * @param controllers ids of controller nodes (combined when also in {@code brokers})
     * @param extra       settings every node gets
     */
    public InProcessCluster(Path dir, List<Integer> controllers, List<Integer> brokers, String... extra) throws IOException {
        this.dir = dir;
        this.extra = extra;
        for (int id : controllers) {
            quorumPorts.put(id, freePort());
            roles.put(id, "controller");
        }
        for (int id : brokers) {
            roles.merge(id, "broker", (a, b) -> "broker,controller");
        }
    }

    /** A setting for node {@code id} alone (e.g. its broker.rack), on top of the shared ones; call before it starts. */
    public InProcessCluster nodeSetting(int id, String key, String value) {
        perNode.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String voters() {
        return quorumPorts.entrySet().stream().map(e -> e.getKey() + "@127.0.0.1:" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** Starts every node at once (a voter's start waits for a quorum); returns when all are ready. */
    public InProcessCluster start() throws Exception {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int id : roles.keySet()) {
            starts.add(CompletableFuture.runAsync(() -> startNode(id)));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        return this;
    }

    /** Starts (or restarts) node {@code id} with its directory and ports. */
    public FjordNode startNode(int id) {
        Map<String, String> values = new LinkedHashMap<>();
        String role = roles.get(id);
        List<String> listeners = new ArrayList<>();
        if (role.contains("broker")) {
            listeners.add("PLAINTEXT://127.0.0.1:0");
        }
        if (quorumPorts.containsKey(id)) {
            listeners.add("CONTROLLER://127.0.0.1:" + quorumPorts.get(id));
        }
        values.put(NodeConfig.NODE_ID, Integer.toString(id));
        values.put(NodeConfig.PROCESS_ROLES, role);
        values.put(NodeConfig.CONTROLLER_QUORUM_VOTERS, voters());
        values.put(NodeConfig.LISTENERS, String.join(",", listeners));
        values.put(NodeConfig.LOG_DIRS, dir.resolve("node-" + id).toString());
        values.put(NodeConfig.NUM_NETWORK_THREADS, "1");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            values.put(extra[i], extra[i + 1]);
        }
        values.putAll(perNode.getOrDefault(id, Map.of()));
        FjordNode node = new FjordNode(NodeConfig.from(values));
        synchronized (nodes) {
            nodes.put(id, node);
        }
        node.start();
        return node;
    }

    public FjordNode node(int id) {
        synchronized (nodes) {
            return nodes.get(id);
        }
    }

    /** The client port of broker {@code id}. */
    public int port(int id) {
        return node(id).boundPort("PLAINTEXT");
    }

    /** A bootstrap list of every running broker. */
    public String bootstrap() {
        synchronized (nodes) {
            return nodes.entrySet().stream().filter(e -> roles.get(e.getKey()).contains("broker"))
                    .map(e -> "127.0.0.1:" + e.getValue().boundPort("PLAINTEXT")).filter(s -> !s.endsWith(":-1"))
                    .collect(Collectors.joining(","));
        }
    }

    public void stopNode(int id) {
        FjordNode node;
        synchronized (nodes) {
            node = nodes.remove(id);
        }
        if (node != null) {
            node.close();
        }
    }

    @Override
    public void close() {
        List<FjordNode> all;
        synchronized (nodes) {
            all = new ArrayList<>(nodes.values());
            nodes.clear();
        }
        // Brokers first, so they do not spend their last seconds looking for a controller that left.
        all.sort((a, b) -> Boolean.compare(a.config().hasRole(io.fjord.server.ProcessRole.CONTROLLER),
                b.config().hasRole(io.fjord.server.ProcessRole.CONTROLLER)));
        for (FjordNode node : all) {
            node.close();
        }
    }
}
