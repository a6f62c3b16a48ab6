package io.fjord.server;

import io.fjord.config.BrokerConfigs;
import io.fjord.config.InvalidConfigException;
import io.fjord.controller.raft.QuorumSettings;
import io.fjord.controller.raft.QuorumVoter;
import io.fjord.group.consumer.ConsumerGroupSettings;
import io.fjord.network.Endpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A node's settings, under Kafka's broker property names. Every key must be known and every value
 * valid: a typo that is silently ignored costs more than a node that refuses to start.
 */
public final class NodeConfig {
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NODE_ID = "node.id";
    public static final String PROCESS_ROLES = "process.roles";
    public static final String CONTROLLER_QUORUM_VOTERS = "controller.quorum.voters";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    public static final String CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS = "controller.quorum.election.timeout.ms";
    public static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    public static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    public static final String BROKER_RACK = "broker.rack";
    public static final String CONTROLLED_SHUTDOWN_ENABLE = "controlled.shutdown.enable";
    /** Fjord's own: how many metadata log entries a controller applies between two snapshots of the image. */
    public static final String METADATA_SNAPSHOT_ENTRIES = "fjord.metadata.log.entries.between.snapshots";
    public static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";
    public static final String REPLICA_SELECTOR_CLASS = "replica.selector.class";
    public static final String REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS = "replica.high.watermark.checkpoint.interval.ms";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS = "group.consumer.min.session.timeout.ms";
    public static final String GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS = "group.consumer.max.session.timeout.ms";
    public static final String GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS = "group.consumer.min.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS = "group.consumer.max.heartbeat.interval.ms";
    public static final String REPLICA_FETCH_WAIT_MAX_MS = "replica.fetch.wait.max.ms";
    public static final String REPLICA_FETCH_MIN_BYTES = "replica.fetch.min.bytes";
    public static final String REPLICA_FETCH_MAX_BYTES = "replica.fetch.max.bytes";
    public static final String REPLICA_FETCH_RESPONSE_MAX_BYTES = "replica.fetch.response.max.bytes";
    public static final String REPLICA_FETCH_BACKOFF_MS = "replica.fetch.backoff.ms";
    public static final String REPLICA_SOCKET_TIMEOUT_MS = "replica.socket.timeout.ms";
    public static final String NUM_REPLICA_FETCHERS = "num.replica.fetchers";
    public static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";

    /** Every key we accept, with its default ("" where the default depends on other keys). */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(LISTENERS, "PLAINTEXT://127.0.0.1:9092");
        d.put(ADVERTISED_LISTENERS, "");
        d.put(LISTENER_SECURITY_PROTOCOL_MAP, "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL");
        d.put(LOG_DIRS, "");
        d.put(LOG_DIR, "./fjord-data");
        d.put(NODE_ID, "1");
        d.put(PROCESS_ROLES, "broker,controller");
        // Empty voters: the node is a cluster of one and keeps its metadata itself (no quorum to run).
        d.put(CONTROLLER_QUORUM_VOTERS, "");
        d.put(CONTROLLER_LISTENER_NAMES, "CONTROLLER");
        d.put(CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS, "1000");
        d.put(BROKER_SESSION_TIMEOUT_MS, "9000");
        d.put(BROKER_HEARTBEAT_INTERVAL_MS, "2000");
        d.put(BROKER_RACK, "");
        d.put(CONTROLLED_SHUTDOWN_ENABLE, "true");
        d.put(METADATA_SNAPSHOT_ENTRIES, "1000");
        d.put(REPLICA_LAG_TIME_MAX_MS, "30000");
        // Empty: consumers read from leaders. Kafka's RackAwareReplicaSelector sends them to a follower in their rack.
        d.put(REPLICA_SELECTOR_CLASS, "");
        d.put(REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS, "5000");
        d.put(NUM_PARTITIONS, "1");
        d.put(DEFAULT_REPLICATION_FACTOR, "1");
        d.put(AUTO_CREATE_TOPICS_ENABLE, "true");
        d.put(SOCKET_REQUEST_MAX_BYTES, "104857600");
        d.put(NUM_NETWORK_THREADS, "3");
        d.put(FETCH_MAX_BYTES, "57671680");
        d.put(GROUP_INITIAL_REBALANCE_DELAY_MS, "3000");
        d.put(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, "1000");
        // KIP-848 consumer groups (Kafka's names and defaults).
        d.put(ConsumerGroupSettings.HEARTBEAT_INTERVAL_MS, "5000");
        d.put(ConsumerGroupSettings.SESSION_TIMEOUT_MS, "45000");
        d.put(ConsumerGroupSettings.ASSIGNORS, "uniform,range");
        d.put(ConsumerGroupSettings.MAX_SIZE, Integer.toString(Integer.MAX_VALUE));
        // Kafka's bounds of the two settings above, checked at load (as GroupCoordinatorConfig does).
        d.put(GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS, "45000");
        d.put(GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS, "60000");
        d.put(GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS, "5000");
        d.put(GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS, "15000");
        d.put(GROUP_MIN_SESSION_TIMEOUT_MS, "6000");
        d.put(GROUP_MAX_SESSION_TIMEOUT_MS, "1800000");
        d.put(GROUP_MAX_SIZE, String.valueOf(Integer.MAX_VALUE));
        d.put(OFFSET_METADATA_MAX_BYTES, "4096");
        // Followers fetching from leaders: Kafka's keys and defaults.
        d.put(REPLICA_FETCH_WAIT_MAX_MS, "500");
        d.put(REPLICA_FETCH_MIN_BYTES, "1");
        d.put(REPLICA_FETCH_MAX_BYTES, "1048576");
        d.put(REPLICA_FETCH_RESPONSE_MAX_BYTES, "10485760");
        d.put(REPLICA_FETCH_BACKOFF_MS, "1000");
        d.put(REPLICA_SOCKET_TIMEOUT_MS, "30000");
        d.put(NUM_REPLICA_FETCHERS, "1");
        // Empty: the first broker listener (Kafka's default is the listener named after security.inter.broker.protocol).
        d.put(INTER_BROKER_LISTENER_NAME, "");
        // The log defaults topics inherit, retention checks, topic deletion: Kafka's keys, defined with the configs.
        d.putAll(BrokerConfigs.defaults());
        // __consumer_offsets: Kafka's offsets.* keys and Fjord's snapshot threshold.
        d.putAll(io.fjord.group.OffsetsTopicConfig.defaults());
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    /** Where the defaults put a node: one listener on loopback, advertised under a name clients resolve. */
    private static final String DEFAULT_ADVERTISED_HOST = "localhost";

    private final Map<String, String> originals;
    private final List<Endpoint> listeners;
    private final List<Endpoint> advertisedListeners;
    private final Map<String, String> securityProtocols;
    private final List<Path> logDirs;
    private final int nodeId;
    private final Set<ProcessRole> processRoles;
    private final int numPartitions;
    private final short defaultReplicationFactor;
    private final boolean autoCreateTopicsEnable;
    private final int socketRequestMaxBytes;
    private final int numNetworkThreads;
    private final List<QuorumVoter> voters;
    private final Set<String> controllerListenerNames;

    private NodeConfig(Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) {
                throw new ConfigException("Unknown configuration '" + e.getKey() + "' (set to '" + e.getValue() + "')");
            }
        }
        this.originals = Collections.unmodifiableMap(new TreeMap<>(values));
        try {
            BrokerConfigs.validateStatic(values);
        } catch (InvalidConfigException e) {
            throw new ConfigException(e.getMessage());
        }

        this.nodeId = intValue(values, NODE_ID, 0, Integer.MAX_VALUE);
        this.numPartitions = intValue(values, NUM_PARTITIONS, 1, Integer.MAX_VALUE);
        this.defaultReplicationFactor = (short) intValue(values, DEFAULT_REPLICATION_FACTOR, 1, Short.MAX_VALUE);
        this.socketRequestMaxBytes = intValue(values, SOCKET_REQUEST_MAX_BYTES, 1, Integer.MAX_VALUE);
        this.numNetworkThreads = intValue(values, NUM_NETWORK_THREADS, 1, 1024);
        // Checked now so a bad value stops the start; read through their accessors.
        intValue(values, FETCH_MAX_BYTES, 1024, Integer.MAX_VALUE);
        intValue(values, REPLICA_LAG_TIME_MAX_MS, 1, Integer.MAX_VALUE);
        intValue(values, REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS, 1, Integer.MAX_VALUE);
        replicaSelectorClass(values);
        intValue(values, GROUP_INITIAL_REBALANCE_DELAY_MS, 0, Integer.MAX_VALUE);
        intValue(values, MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, 0, Integer.MAX_VALUE);
        consumerGroupSettings(values);
        intValue(values, GROUP_MIN_SESSION_TIMEOUT_MS, 0, Integer.MAX_VALUE);
        intValue(values, GROUP_MAX_SESSION_TIMEOUT_MS, 0, Integer.MAX_VALUE);
        intValue(values, GROUP_MAX_SIZE, 1, Integer.MAX_VALUE);
        intValue(values, OFFSET_METADATA_MAX_BYTES, Integer.MIN_VALUE, Integer.MAX_VALUE);
        this.autoCreateTopicsEnable = booleanValue(values, AUTO_CREATE_TOPICS_ENABLE);
        booleanValue(values, CONTROLLED_SHUTDOWN_ENABLE);
        try {
            io.fjord.group.OffsetsTopicConfig.from(values);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        this.processRoles = processRoles(values);
        this.logDirs = logDirs(values);

        this.securityProtocols = securityProtocols(values);
        this.listeners = Listeners.parse(LISTENERS, value(values, LISTENERS));
        checkListeners();
        this.voters = voters(values);
        this.controllerListenerNames = controllerListenerNames(values);
        checkQuorum(values);
        this.advertisedListeners = advertisedListeners(values);
        checkReplicaFetching(values);
    }

    public static NodeConfig from(Map<String, String> values) {
        Map<String, String> trimmed = new LinkedHashMap<>();
        // Like Kafka, surrounding whitespace is not part of a value.
        values.forEach((k, v) -> trimmed.put(k.trim(), v == null ? "" : v.trim()));
        return new NodeConfig(trimmed);
    }

    public static NodeConfig from(Properties properties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key));
        }
        return from(values);
    }

    public static NodeConfig defaults() {
        return from(Map.of());
    }

    private static String value(Map<String, String> values, String key) {
        String v = values.get(key);
        return v != null ? v : DEFAULTS.get(key);
    }

    private static int intValue(Map<String, String> values, String key, int min, int max) {
        String v = value(values, key);
        long parsed;
        try {
            parsed = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, v, "not an integer");
        }
        if (parsed < min || parsed > max) {
            throw ConfigException.invalid(key, v, max == Integer.MAX_VALUE
                    ? "must be at least " + min
                    : "must be between " + min + " and " + max);
        }
        return (int) parsed;
    }

    private static boolean booleanValue(Map<String, String> values, String key) {
        String v = value(values, key);
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw ConfigException.invalid(key, v, "must be true or false");
    }

    private static Set<ProcessRole> processRoles(Map<String, String> values) {
        String v = value(values, PROCESS_ROLES);
        Set<ProcessRole> roles = EnumSet.noneOf(ProcessRole.class);
        for (String item : v.split(",")) {
            String name = item.trim();
            if (name.isEmpty()) {
                continue;
            }
            ProcessRole role = ProcessRole.forConfigName(name);
            if (role == null) {
                throw ConfigException.invalid(PROCESS_ROLES, v, "unknown role '" + name + "' (roles are broker and controller)");
            }
            if (!roles.add(role)) {
                throw ConfigException.invalid(PROCESS_ROLES, v, "role '" + name + "' appears more than once");
            }
        }
        if (roles.isEmpty()) {
            throw ConfigException.invalid(PROCESS_ROLES, v, "name at least one of broker, controller");
        }
        return Collections.unmodifiableSet(roles);
    }

    private static List<QuorumVoter> voters(Map<String, String> values) {
        String v = value(values, CONTROLLER_QUORUM_VOTERS);
        try {
            return QuorumVoter.parseList(v);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(CONTROLLER_QUORUM_VOTERS, v, e.getMessage());
        }
    }

    private static Set<String> controllerListenerNames(Map<String, String> values) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (String item : value(values, CONTROLLER_LISTENER_NAMES).split(",")) {
            if (!item.isBlank()) {
                names.add(item.trim().toUpperCase(Locale.ROOT));
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** The rules Kafka applies to a KRaft node's roles, voters and listeners, with messages that say what to change. */
    private void checkQuorum(Map<String, String> values) {
        intValue(values, CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS, 1, Integer.MAX_VALUE);
        intValue(values, METADATA_SNAPSHOT_ENTRIES, 1, Integer.MAX_VALUE);
        int session = intValue(values, BROKER_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE);
        int heartbeat = intValue(values, BROKER_HEARTBEAT_INTERVAL_MS, 1, Integer.MAX_VALUE);
        require(heartbeat < session, BROKER_HEARTBEAT_INTERVAL_MS + " (" + heartbeat + ") must be less than "
                + BROKER_SESSION_TIMEOUT_MS + " (" + session + ")");
        boolean controller = processRoles.contains(ProcessRole.CONTROLLER);
        boolean broker = processRoles.contains(ProcessRole.BROKER);
        String votersValue = value(values, CONTROLLER_QUORUM_VOTERS);
        if (voters.isEmpty()) {
            require(controller && broker, PROCESS_ROLES + "=" + value(values, PROCESS_ROLES) + " needs "
                    + CONTROLLER_QUORUM_VOTERS + ": only a node with both roles can run without a controller quorum");
            return;
        }
        require(!controllerListenerNames.isEmpty(), CONTROLLER_LISTENER_NAMES + " must name a listener when "
                + CONTROLLER_QUORUM_VOTERS + " is set");
        QuorumVoter self = null;
        for (QuorumVoter voter : voters) {
            if (voter.id() == nodeId) {
                self = voter;
            }
        }
        if (controller) {
            require(self != null, "node.id " + nodeId + " has the controller role but is not in "
                    + CONTROLLER_QUORUM_VOTERS + "=" + votersValue);
            Endpoint listener = controllerListener();
            require(listener != null, "a controller needs a listener named in " + CONTROLLER_LISTENER_NAMES + " ("
                    + String.join(",", controllerListenerNames) + ") in " + LISTENERS);
            require(listener.port() == self.port(), "the controller listener " + listener + " must use the port of this node's "
                    + CONTROLLER_QUORUM_VOTERS + " entry (" + self.port() + ")");
        } else {
            require(self == null, "node.id " + nodeId + " is in " + CONTROLLER_QUORUM_VOTERS
                    + " but " + PROCESS_ROLES + " has no controller role");
            require(controllerListener() == null, "a node without the controller role must not have a "
                    + String.join(",", controllerListenerNames) + " listener");
        }
        if (broker) {
            require(!brokerListeners().isEmpty(), "a broker needs a listener for clients besides "
                    + String.join(",", controllerListenerNames) + " in " + LISTENERS);
        }
    }

    private static List<Path> logDirs(Map<String, String> values) {
        // log.dirs wins over log.dir, as in Kafka.
        String key = values.containsKey(LOG_DIRS) ? LOG_DIRS : LOG_DIR;
        String v = value(values, key);
        List<Path> dirs = new ArrayList<>();
        for (String item : v.split(",")) {
            String dir = item.trim();
            if (dir.isEmpty()) {
                continue;
            }
            Path path;
            try {
                path = Path.of(dir).toAbsolutePath().normalize();
            } catch (RuntimeException e) {
                throw ConfigException.invalid(key, v, "'" + dir + "' is not a valid path");
            }
            if (dirs.contains(path)) {
                throw ConfigException.invalid(key, v, "'" + dir + "' appears more than once");
            }
            dirs.add(path);
        }
        if (dirs.isEmpty()) {
            throw ConfigException.invalid(key, v, "no directory given");
        }
        return List.copyOf(dirs);
    }

    private static Map<String, String> securityProtocols(Map<String, String> values) {
        String v = value(values, LISTENER_SECURITY_PROTOCOL_MAP);
        Map<String, String> map = Listeners.parseMap(LISTENER_SECURITY_PROTOCOL_MAP, v);
        for (Map.Entry<String, String> e : map.entrySet()) {
            String protocol = e.getValue().toUpperCase(Locale.ROOT);
            if (!Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(protocol)) {
                throw ConfigException.invalid(LISTENER_SECURITY_PROTOCOL_MAP, v,
                        "unknown security protocol '" + e.getValue() + "' for listener " + e.getKey());
            }
            e.setValue(protocol);
        }
        if (!values.containsKey(LISTENER_SECURITY_PROTOCOL_MAP)) {
            // Kafka's KRaft default: a controller listener left out of the map speaks PLAINTEXT.
            map.putIfAbsent("CONTROLLER", "PLAINTEXT");
        }
        return Collections.unmodifiableMap(map);
    }

    private void checkListeners() {
        String v = value(originals, LISTENERS);
        Set<Integer> ports = new HashSet<>();
        for (Endpoint listener : listeners) {
            String protocol = securityProtocols.get(listener.listenerName());
            if (protocol == null) {
                throw ConfigException.invalid(LISTENERS, v, "listener " + listener.listenerName()
                        + " has no security protocol in " + LISTENER_SECURITY_PROTOCOL_MAP);
            }
            if (!protocol.equals("PLAINTEXT")) {
                throw ConfigException.invalid(LISTENERS, v, "listener " + listener.listenerName() + " uses " + protocol
                        + ", but only PLAINTEXT is supported so far");
            }
            if (listener.port() != 0 && !ports.add(listener.port())) {
                throw ConfigException.invalid(LISTENERS, v, "port " + listener.port() + " is used by more than one listener");
            }
        }
    }

    private List<Endpoint> advertisedListeners(Map<String, String> values) {
        String v = values.getOrDefault(ADVERTISED_LISTENERS, "");
        if (v.isEmpty()) {
            if (!values.containsKey(LISTENERS)) {
                // The embedded default: bound to loopback, advertised under the name every client resolves.
                List<Endpoint> advertised = new ArrayList<>();
                for (Endpoint listener : brokerListeners()) {
                    advertised.add(new Endpoint(listener.listenerName(), DEFAULT_ADVERTISED_HOST, listener.port()));
                }
                return List.copyOf(advertised);
            }
            // The controller listener carries the quorum's own protocol: clients are never sent there.
            return advertisable(LISTENERS, value(values, LISTENERS), brokerListeners());
        }
        List<Endpoint> advertised = Listeners.parse(ADVERTISED_LISTENERS, v);
        for (Endpoint endpoint : advertised) {
            if (listenerNamed(endpoint.listenerName()) == null) {
                throw ConfigException.invalid(ADVERTISED_LISTENERS, v, "listener " + endpoint.listenerName()
                        + " is not in " + LISTENERS);
            }
        }
        return advertisable(ADVERTISED_LISTENERS, v, advertised);
    }

    /** Clients cannot connect to "every interface": an empty host becomes this machine's name, a wildcard is refused. */
    private static List<Endpoint> advertisable(String key, String value, List<Endpoint> endpoints) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            String host = e.host();
            if (host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
                throw ConfigException.invalid(key, value, "clients cannot connect to the wildcard address " + host
                        + " of listener " + e.listenerName() + "; set " + ADVERTISED_LISTENERS + " to a routable address");
            }
            if (host.isEmpty()) {
                host = localHostName();
            }
            out.add(new Endpoint(e.listenerName(), host, e.port()));
        }
        return List.copyOf(out);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return DEFAULT_ADVERTISED_HOST;
        }
    }

    private Endpoint listenerNamed(String name) {
        for (Endpoint listener : listeners) {
            if (listener.listenerName().equals(name)) {
                return listener;
            }
        }
        return null;
    }

    /** The advertised listeners with the ports really bound where the configuration said 0. */
    public List<Endpoint> advertisedListeners(List<Endpoint> bound) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : advertisedListeners) {
            int port = e.port();
            if (port == 0) {
                for (Endpoint b : bound) {
                    if (b.listenerName().equals(e.listenerName())) {
                        port = b.port();
                    }
                }
            }
            out.add(e.withPort(port));
        }
        return List.copyOf(out);
    }

    /** The settings given explicitly, by key. */
    public Map<String, String> originals() {
        return originals;
    }

    public List<Endpoint> listeners() {
        return listeners;
    }

    /** The listeners that speak Kafka's protocol: all but the controller listener of a quorum node. */
    public List<Endpoint> brokerListeners() {
        if (voters.isEmpty()) {
            return listeners;
        }
        return listeners.stream().filter(l -> !controllerListenerNames.contains(l.listenerName())).toList();
    }

    /** The listener the controller quorum (Ratis) binds; null when there is none. */
    public Endpoint controllerListener() {
        for (Endpoint listener : listeners) {
            if (controllerListenerNames.contains(listener.listenerName())) {
                return listener;
            }
        }
        return null;
    }

    /** True when controller.quorum.voters is set: the metadata lives in a controller quorum. */
    public boolean hasQuorum() {
        return !voters.isEmpty();
    }

    /** The quorum settings; only meaningful when {@link #hasQuorum()}. */
    public QuorumSettings quorumSettings() {
        String rack = value(originals, BROKER_RACK);
        return new QuorumSettings(nodeId, hasRole(ProcessRole.CONTROLLER), hasRole(ProcessRole.BROKER), voters,
                logDirs.get(0).resolve("__cluster_metadata"), intValue(originals, CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS, 1,
                Integer.MAX_VALUE), intValue(originals, BROKER_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE),
                intValue(originals, BROKER_HEARTBEAT_INTERVAL_MS, 1, Integer.MAX_VALUE), rack.isEmpty() ? null : rack,
                intValue(originals, METADATA_SNAPSHOT_ENTRIES, 1, Integer.MAX_VALUE));
    }

    /** controlled.shutdown.enable: whether a broker of a cluster moves its leaderships away before it stops. */
    public boolean controlledShutdownEnable() {
        return booleanValue(originals, CONTROLLED_SHUTDOWN_ENABLE);
    }

    /** broker.session.timeout.ms. */
    public int brokerSessionTimeoutMs() {
        return intValue(originals, BROKER_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE);
    }

    /** broker.rack, or null when unset. */
    public String brokerRack() {
        String rack = value(originals, BROKER_RACK);
        return rack.isEmpty() ? null : rack;
    }

    /** As configured; a port of 0 stands for whatever its listener binds, see {@link #advertisedListeners(List)}. */
    public List<Endpoint> advertisedListeners() {
        return advertisedListeners;
    }

    public List<Path> logDirs() {
        return logDirs;
    }

    public int nodeId() {
        return nodeId;
    }

    public Set<ProcessRole> processRoles() {
        return processRoles;
    }

    public boolean hasRole(ProcessRole role) {
        return processRoles.contains(role);
    }

    public int numPartitions() {
        return numPartitions;
    }

    public short defaultReplicationFactor() {
        return defaultReplicationFactor;
    }

    public boolean autoCreateTopicsEnable() {
        return autoCreateTopicsEnable;
    }

    public int socketRequestMaxBytes() {
        return socketRequestMaxBytes;
    }

    public int numNetworkThreads() {
        return numNetworkThreads;
    }

    /** {@code log.retention.check.interval.ms}: how often retention runs over every log. */
    public long logRetentionCheckIntervalMs() {
        return Long.parseLong(value(originals, BrokerConfigs.LOG_RETENTION_CHECK_INTERVAL_MS).trim());
    }

    /** {@code log.flush.offset.checkpoint.interval.ms}: how often each log's recovery point is written. */
    public long logFlushOffsetCheckpointIntervalMs() {
        return Long.parseLong(value(originals, BrokerConfigs.LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS).trim());
    }

    /** {@code delete.topic.enable}: whether DeleteTopics may delete. */
    public boolean deleteTopicEnable() {
        return Boolean.parseBoolean(value(originals, BrokerConfigs.DELETE_TOPIC_ENABLE).trim());
    }

    /** {@code max.request.partition.size.limit}: the most partitions one DescribeTopicPartitions answer lists. */
    public int maxRequestPartitionSizeLimit() {
        return Integer.parseInt(value(originals, BrokerConfigs.MAX_REQUEST_PARTITION_SIZE_LIMIT).trim());
    }

    /** {@code group.initial.rebalance.delay.ms}: how long a new group waits for more members (Kafka: 3 s). */
    public int groupInitialRebalanceDelayMs() {
        return intValue(originals, GROUP_INITIAL_REBALANCE_DELAY_MS, 0, Integer.MAX_VALUE);
    }

    /** The {@code offsets.*} settings of {@code __consumer_offsets}. */
    public io.fjord.group.OffsetsTopicConfig offsetsTopicConfig() {
        return io.fjord.group.OffsetsTopicConfig.from(originals);
    }

    /** {@code group.min.session.timeout.ms}: the shortest session a classic member may ask for (Kafka: 6 s). */
    public int groupMinSessionTimeoutMs() {
        return intValue(originals, GROUP_MIN_SESSION_TIMEOUT_MS, 0, Integer.MAX_VALUE);
    }

    /** {@code group.max.session.timeout.ms}: the longest session a classic member may ask for (Kafka: 30 min). */
    public int groupMaxSessionTimeoutMs() {
        return intValue(originals, GROUP_MAX_SESSION_TIMEOUT_MS, 0, Integer.MAX_VALUE);
    }

    /** {@code group.max.size}: the most members a classic group admits (Kafka: unbounded). */
    public int groupMaxSize() {
        return intValue(originals, GROUP_MAX_SIZE, 1, Integer.MAX_VALUE);
    }

    /**
     * {@code offset.metadata.max.bytes}: the longest offset metadata (in chars, as Kafka compares it)
     * an OffsetCommit may store (Kafka: 4096; any int, as Kafka defines it without a validator).
     */
    public int offsetMetadataMaxBytes() {
        return intValue(originals, OFFSET_METADATA_MAX_BYTES, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** {@code fetch.max.bytes}: the most bytes one fetch response carries (Kafka's default: 55 MiB). */
    /** {@code replica.lag.time.max.ms}: how long a follower may go without catching up before it leaves the ISR. */
    public long replicaLagTimeMaxMs() {
        return intValue(originals, REPLICA_LAG_TIME_MAX_MS, 1, Integer.MAX_VALUE);
    }

    /** {@code replica.high.watermark.checkpoint.interval.ms}: how often high watermarks are written to disk. */
    public long replicaHighWatermarkCheckpointIntervalMs() {
        return intValue(originals, REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS, 1, Integer.MAX_VALUE);
    }

    /** {@code replica.selector.class}: "" or one of Kafka's two selectors (KIP-392). */
    public String replicaSelectorClass() {
        return replicaSelectorClass(originals);
    }

    private static String replicaSelectorClass(Map<String, String> values) {
        String name = value(values, REPLICA_SELECTOR_CLASS).trim();
        if (!name.isEmpty() && !io.fjord.fetch.FetchHandler.REPLICA_SELECTORS.contains(name)) {
            throw new ConfigException("Invalid value " + name + " for configuration " + REPLICA_SELECTOR_CLASS
                    + ": Fjord provides " + String.join(" and ", new java.util.TreeSet<>(io.fjord.fetch.FetchHandler.REPLICA_SELECTORS)));
        }
        return name;
    }

    public int fetchMaxBytes() {
        return intValue(originals, FETCH_MAX_BYTES, 1024, Integer.MAX_VALUE);
    }

    /** {@code max.incremental.fetch.session.cache.slots}: how many incremental fetch sessions (KIP-227) are kept. */
    public int maxIncrementalFetchSessionCacheSlots() {
        return intValue(originals, MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, 0, Integer.MAX_VALUE);
    }

    /** Kafka's ranges for the follower fetch keys, and its rule that a fetch may wait no longer than a socket read. */
    private void checkReplicaFetching(Map<String, String> values) {
        int waitMax = intValue(values, REPLICA_FETCH_WAIT_MAX_MS, 0, Integer.MAX_VALUE);
        intValue(values, REPLICA_FETCH_MIN_BYTES, 0, Integer.MAX_VALUE);
        intValue(values, REPLICA_FETCH_MAX_BYTES, 0, Integer.MAX_VALUE);
        intValue(values, REPLICA_FETCH_RESPONSE_MAX_BYTES, 0, Integer.MAX_VALUE);
        intValue(values, REPLICA_FETCH_BACKOFF_MS, 0, Integer.MAX_VALUE);
        intValue(values, NUM_REPLICA_FETCHERS, 1, Integer.MAX_VALUE);
        int socketTimeout = intValue(values, REPLICA_SOCKET_TIMEOUT_MS, 1, Integer.MAX_VALUE);
        // Kafka's check and message.
        require(waitMax <= socketTimeout, REPLICA_SOCKET_TIMEOUT_MS + " should always be at least "
                + REPLICA_FETCH_WAIT_MAX_MS + " to prevent unnecessary socket timeouts");
        String name = value(values, INTER_BROKER_LISTENER_NAME).toUpperCase(Locale.ROOT);
        if (name.isEmpty() || !processRoles.contains(ProcessRole.BROKER)) {
            return;
        }
        List<String> brokerNames = brokerListeners().stream().map(Endpoint::listenerName).toList();
        if (!brokerNames.contains(name)) {
            throw ConfigException.invalid(INTER_BROKER_LISTENER_NAME, value(values, INTER_BROKER_LISTENER_NAME),
                    "not one of the broker listeners " + brokerNames + " in " + LISTENERS);
        }
    }

    /**
     * {@code inter.broker.listener.name}: the listener followers connect to on their leaders (every broker
     * of a cluster must have it). Unset: the first broker listener.
     */
    public String interBrokerListenerName() {
        String name = value(originals, INTER_BROKER_LISTENER_NAME).toUpperCase(Locale.ROOT);
        if (!name.isEmpty()) {
            return name;
        }
        List<Endpoint> broker = brokerListeners();
        return broker.isEmpty() ? "PLAINTEXT" : broker.get(0).listenerName();
    }

    /**
     * How followers fetch: the {@code replica.*} keys. {@code num.replica.fetchers} is accepted but Fjord
     * runs one fetcher thread per leader broker whatever it says (Kafka's default of 1).
     */
    public io.fjord.replication.FetcherSettings replicaFetcherSettings() {
        return new io.fjord.replication.FetcherSettings(nodeId, interBrokerListenerName(),
                intValue(originals, REPLICA_FETCH_WAIT_MAX_MS, 0, Integer.MAX_VALUE),
                intValue(originals, REPLICA_FETCH_MIN_BYTES, 0, Integer.MAX_VALUE),
                intValue(originals, REPLICA_FETCH_RESPONSE_MAX_BYTES, 0, Integer.MAX_VALUE),
                intValue(originals, REPLICA_FETCH_MAX_BYTES, 0, Integer.MAX_VALUE),
                intValue(originals, REPLICA_FETCH_BACKOFF_MS, 0, Integer.MAX_VALUE),
                intValue(originals, REPLICA_SOCKET_TIMEOUT_MS, 1, Integer.MAX_VALUE));
    }

    /** The {@code group.consumer.*} settings of KIP-848 groups. */
    public ConsumerGroupSettings consumerGroupSettings() {
        return consumerGroupSettings(originals);
    }

    private static ConsumerGroupSettings consumerGroupSettings(Map<String, String> values) {
        int interval = intValue(values, ConsumerGroupSettings.HEARTBEAT_INTERVAL_MS, 1, Integer.MAX_VALUE);
        int session = intValue(values, ConsumerGroupSettings.SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE);
        int minSession = intValue(values, GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE);
        int maxSession = intValue(values, GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE);
        int minInterval = intValue(values, GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS, 1, Integer.MAX_VALUE);
        int maxInterval = intValue(values, GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS, 1, Integer.MAX_VALUE);
        // Kafka's GroupCoordinatorConfig checks, in its order and with its messages.
        require(maxInterval >= minInterval, GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS + " must be greater than or equal to "
                + GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS);
        require(interval >= minInterval, ConsumerGroupSettings.HEARTBEAT_INTERVAL_MS + " must be greater than or equal to "
                + GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS);
        require(interval <= maxInterval, ConsumerGroupSettings.HEARTBEAT_INTERVAL_MS + " must be less than or equal to "
                + GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS);
        require(maxSession >= minSession, GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS + " must be greater than or equal to "
                + GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS);
        require(session >= minSession, ConsumerGroupSettings.SESSION_TIMEOUT_MS + " must be greater than or equal to "
                + GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS);
        require(session <= maxSession, ConsumerGroupSettings.SESSION_TIMEOUT_MS + " must be less than or equal to "
                + GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS);
        require(interval < session, ConsumerGroupSettings.HEARTBEAT_INTERVAL_MS + " must be less than "
                + ConsumerGroupSettings.SESSION_TIMEOUT_MS);
        String assignors = value(values, ConsumerGroupSettings.ASSIGNORS);
        List<String> names = java.util.Arrays.stream(assignors.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        try {
            return new ConsumerGroupSettings(interval, session, names,
                    intValue(values, ConsumerGroupSettings.MAX_SIZE, 1, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(ConsumerGroupSettings.ASSIGNORS, assignors, e.getMessage());
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new ConfigException(message);
        }
    }
}
