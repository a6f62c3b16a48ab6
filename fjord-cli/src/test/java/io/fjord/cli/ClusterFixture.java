package io.fjord.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A cluster of {@code fjord server} processes on 127.0.0.1, started with exactly the command lines
 * docs/cluster.md documents: every node gets its role, id, the voters, its listeners (PLAINTEXT for
 * brokers, CONTROLLER for controllers), its own data directory, and short broker leases so fencing
 * shows within seconds. Ports are reserved up front, so a node restarted with the same command
 * comes back on the same addresses. {@link #close} kills every process and keeps their output
 * under target/cluster-test-logs/ for a failed run.
 */
final class ClusterFixture implements AutoCloseable {
    /** The lease and heartbeat the tests give brokers (Kafka's defaults: 9000 and 2000 ms). */
    static final int SESSION_TIMEOUT_MS = 3000;
    static final int HEARTBEAT_INTERVAL_MS = 500;
    /** Generous: several JVMs start at once on a CI machine with 2 cores. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    enum Role {
        COMBINED("broker,controller"), CONTROLLER("controller"), BROKER("broker");

        final String processRoles;

        Role(String processRoles) {
            this.processRoles = processRoles;
        }

        boolean broker() {
            return this != CONTROLLER;
        }

        boolean controller() {
            return this != BROKER;
        }
    }

    /** One node: its ports are -1 where its role has no such listener. */
    record NodeSpec(int id, Role role, int brokerPort, int controllerPort, Path dataDir) {
    }

    private final String name;
    /** Settings every node gets after the fixture's own, so they can override them (a later --set wins). */
    private final Map<String, String> extraSettings;
    private final Map<Integer, NodeSpec> specs = new LinkedHashMap<>();
    private final Map<Integer, FjordProcess> running = new LinkedHashMap<>();
    /** Every process ever started, in order, for the logs. */
    private final List<Map.Entry<Integer, FjordProcess>> started = new ArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "cluster-fixture-cleanup");

    private ClusterFixture(String name, List<Role> roles, Path root, Map<String, String> extraSettings) throws IOException {
        this.name = name;
        this.extraSettings = new LinkedHashMap<>(extraSettings);
        int[] ports = LoopbackPorts.reserve(roles.size() * 2);
        for (int i = 0; i < roles.size(); i++) {
            int id = i + 1;
            Role role = roles.get(i);
            Path dir = Files.createDirectories(root.resolve("node-" + id));
            specs.put(id, new NodeSpec(id, role, role.broker() ? ports[2 * i] : -1,
                    role.controller() ? ports[2 * i + 1] : -1, dir));
        }
        // Should the test JVM end without close() (a killed build), the nodes must not outlive it.
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Nodes 1..{@code nodes}, each broker and controller. */
    static ClusterFixture combined(String name, int nodes, Path root) throws IOException {
        return combined(name, nodes, root, Map.of());
    }

    /** Nodes 1..{@code nodes}, each broker and controller, each also given {@code settings}. */
    static ClusterFixture combined(String name, int nodes, Path root, Map<String, String> settings) throws IOException {
        List<Role> roles = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            roles.add(Role.COMBINED);
        }
        return new ClusterFixture(name, roles, root, settings);
    }

    /** Controllers 1..{@code controllers}, then brokers numbered after them. */
    static ClusterFixture split(String name, int controllers, int brokers, Path root) throws IOException {
        List<Role> roles = new ArrayList<>();
        for (int i = 0; i < controllers; i++) {
            roles.add(Role.CONTROLLER);
        }
        for (int i = 0; i < brokers; i++) {
            roles.add(Role.BROKER);
        }
        return new ClusterFixture(name, roles, root, Map.of());
    }

    /** The arguments of {@code fjord} that run node {@code id}, as docs/cluster.md writes them. */
    List<String> serverArgs(int id) {
        NodeSpec node = specs.get(id);
        List<String> listeners = new ArrayList<>();
        if (node.role().broker()) {
            listeners.add("PLAINTEXT://127.0.0.1:" + node.brokerPort());
        }
        if (node.role().controller()) {
            listeners.add("CONTROLLER://127.0.0.1:" + node.controllerPort());
        }
        List<String> args = new ArrayList<>(List.of("server"));
        for (String setting : List.of(
                "process.roles=" + node.role().processRoles,
                "node.id=" + id,
                "controller.quorum.voters=" + voters(),
                "listeners=" + String.join(",", listeners),
                "controller.listener.names=CONTROLLER",
                "log.dirs=" + node.dataDir(),
                "broker.session.timeout.ms=" + SESSION_TIMEOUT_MS,
                "broker.heartbeat.interval.ms=" + HEARTBEAT_INTERVAL_MS)) {
            args.add("--set");
            args.add(setting);
        }
        extraSettings.forEach((key, value) -> {
            args.add("--set");
            args.add(key + "=" + value);
        });
        return args;
    }

    /** controller.quorum.voters: id@127.0.0.1:port of every controller. */
    String voters() {
        return specs.values().stream().filter(n -> n.role().controller())
                .map(n -> n.id() + "@127.0.0.1:" + n.controllerPort())
                .collect(Collectors.joining(","));
    }

    /** Starts every node at once, then waits until each has logged its ready line. */
    void startAll() throws IOException, InterruptedException {
        for (int id : specs.keySet()) {
            launch(id);
        }
        for (int id : specs.keySet()) {
            awaitReady(id);
        }
    }

    /** Starts node {@code id} (again) with its command and data directory and waits for it to be ready. */
    void start(int id) throws IOException, InterruptedException {
        launch(id);
        awaitReady(id);
    }

    private void launch(int id) throws IOException {
        if (running.containsKey(id)) {
            throw new IllegalStateException("node " + id + " is running");
        }
        FjordProcess process = FjordProcess.start(serverArgs(id).toArray(String[]::new));
        running.put(id, process);
        started.add(Map.entry(id, process));
    }

    private void awaitReady(int id) throws InterruptedException {
        FjordProcess process = running.get(id);
        String ready = process.awaitLine("Fjord node " + id + " ready", READY_TIMEOUT);
        if (ready == null) {
            String what = process.process().isAlive() ? "was not ready within " + READY_TIMEOUT.toSeconds() + " s"
                    : "exited before it was ready";
            throw new AssertionError("node " + id + " " + what + "\nstdout:\n" + tail(process.stdout()) + "\nstderr:\n"
                    + tail(process.stderr()));
        }
    }

    /** SIGKILL to node {@code id} (Process.destroyForcibly on Unix), waiting until it is gone. */
    void kill(int id) throws InterruptedException {
        FjordProcess process = running.remove(id);
        if (process == null) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        process.process().destroyForcibly();
        if (!process.process().waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + id + " survived SIGKILL for 30 s");
        }
    }

    /**
     * SIGTERM to node {@code id} (ProcessHandle.destroy on Unix): the node stops by itself, after a controlled
     * shutdown. Fails when it is still alive after {@code bound}; returns how long it took, in ms.
     */
    long terminate(int id, Duration bound) throws InterruptedException {
        FjordProcess process = running.remove(id);
        if (process == null) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        long begin = System.nanoTime();
        // Through the handle: Process.destroy() would also close our end of its stdout, losing what the
        // node logs while it stops (its controlled shutdown report).
        process.process().toHandle().destroy();
        if (!process.process().waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            running.put(id, process); // still there: close() kills it and keeps its log
            throw new AssertionError("node " + id + " still running " + bound.toMillis() + " ms after SIGTERM\n"
                    + tail(process.stdout()));
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        // Gone: this also waits for its last output lines (its shutdown report) to be read.
        process.awaitExit(Duration.ofSeconds(5));
        return ms;
    }

    /** SIGSTOP to node {@code id}: it keeps its sockets but answers nothing until {@link #resume}. */
    void pause(int id) throws IOException, InterruptedException {
        Signals.send(running(id).process(), "STOP");
    }

    /** SIGCONT to node {@code id} after {@link #pause}. */
    void resume(int id) throws IOException, InterruptedException {
        Signals.send(running(id).process(), "CONT");
    }

    boolean isRunning(int id) {
        return running.containsKey(id);
    }

    private FjordProcess running(int id) {
        FjordProcess process = running.get(id);
        if (process == null) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        return process;
    }

    /** The stdout lines of node {@code id}'s latest run (still running or not), empty if it never ran. */
    List<String> output(int id) {
        FjordProcess latest = null;
        for (Map.Entry<Integer, FjordProcess> e : started) {
            if (e.getKey() == id) {
                latest = e.getValue();
            }
        }
        return latest == null ? List.of() : latest.stdout();
    }

    NodeSpec spec(int id) {
        return specs.get(id);
    }

    List<Integer> brokerIds() {
        return specs.values().stream().filter(n -> n.role().broker()).map(NodeSpec::id).toList();
    }

    List<Integer> controllerIds() {
        return specs.values().stream().filter(n -> n.role().controller()).map(NodeSpec::id).toList();
    }

    /** host:port of a broker's PLAINTEXT listener. */
    String brokerAddress(int id) {
        return "127.0.0.1:" + specs.get(id).brokerPort();
    }

    /** Every broker's PLAINTEXT address, for bootstrap.servers. */
    String bootstrapServers() {
        return brokerIds().stream().map(this::brokerAddress).collect(Collectors.joining(","));
    }

    /** An Admin client bootstrapped with every broker; timeouts sized for nodes that come and go. */
    Admin admin() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        config.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return Admin.create(config);
    }

    /** {@link Await#until}, failing with the last lines of every running node. */
    <T> T await(String what, Duration timeout, java.util.concurrent.Callable<T> probe,
            java.util.function.Predicate<? super T> done) throws InterruptedException {
        try {
            return Await.until(what, timeout, probe, done);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + describe(), e.getCause());
        }
    }

    /** The last lines of every running node, for assertion messages. */
    String describe() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Integer, FjordProcess> e : running.entrySet()) {
            text.append("\n--- node ").append(e.getKey()).append(" ---\n").append(tail(e.getValue().stdout()))
                    .append(tail(e.getValue().stderr()));
        }
        return text.toString();
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private void killAll() {
        for (Map.Entry<Integer, FjordProcess> e : started) {
            e.getValue().process().destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException {
        killAll();
        for (Map.Entry<Integer, FjordProcess> e : started) {
            try {
                e.getValue().process().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                // Still write the logs; the caller's thread keeps its interrupt.
                Thread.currentThread().interrupt();
                break;
            }
        }
        running.clear();
        Runtime.getRuntime().removeShutdownHook(killOnExit);
        // Kept for a failed run (CI archives target/); each run of a node in its own file.
        Path logs = Files.createDirectories(Path.of("target", "cluster-test-logs", name));
        Map<Integer, Integer> runs = new LinkedHashMap<>();
        for (Map.Entry<Integer, FjordProcess> e : started) {
            int run = runs.merge(e.getKey(), 1, Integer::sum);
            List<String> lines = new ArrayList<>(e.getValue().stdout());
            lines.add("--- stderr ---");
            lines.addAll(e.getValue().stderr());
            Files.write(logs.resolve("node-" + e.getKey() + "-run-" + run + ".log"), lines);
        }
    }
}
