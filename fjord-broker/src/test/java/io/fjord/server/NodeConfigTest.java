package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.network.Endpoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

    private static NodeConfig config(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return NodeConfig.from(values);
    }

    /** The error for a config, asserted to be one line that names what is wrong. */
    private static String error(String... keyValues) {
        try {
            config(keyValues);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("no error for " + List.of(keyValues));
    }

    @Test
    void defaultsAreTheEmbeddedSingleNode() {
        NodeConfig c = NodeConfig.defaults();
        assertThat(c.listeners()).containsExactly(new Endpoint("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(c.advertisedListeners()).containsExactly(new Endpoint("PLAINTEXT", "localhost", 9092));
        assertThat(c.logDirs()).containsExactly(Path.of("fjord-data").toAbsolutePath());
        assertThat(c.nodeId()).isEqualTo(1);
        assertThat(c.processRoles()).containsExactlyInAnyOrder(ProcessRole.BROKER, ProcessRole.CONTROLLER);
        assertThat(c.numPartitions()).isEqualTo(1);
        assertThat(c.defaultReplicationFactor()).isEqualTo((short) 1);
        assertThat(c.autoCreateTopicsEnable()).isTrue();
        assertThat(c.socketRequestMaxBytes()).isEqualTo(104857600);
        assertThat(c.numNetworkThreads()).isEqualTo(3);
    }

    @Test
    void everySettingIsReadUnderItsKafkaName() {
        NodeConfig c = config(
                "listeners", "PLAINTEXT://0.0.0.0:19092",
                "advertised.listeners", "PLAINTEXT://broker-1.example:19092",
                "log.dirs", "/tmp/a, /tmp/b",
                "node.id", " 5 ",
                "process.roles", "broker",
                "controller.quorum.voters", "1@127.0.0.1:9093",
                "num.partitions", "6",
                "default.replication.factor", "3",
                "auto.create.topics.enable", "FALSE",
                "socket.request.max.bytes", "1024",
                "num.network.threads", "8");
        assertThat(c.listeners()).containsExactly(new Endpoint("PLAINTEXT", "0.0.0.0", 19092));
        assertThat(c.advertisedListeners()).containsExactly(new Endpoint("PLAINTEXT", "broker-1.example", 19092));
        assertThat(c.logDirs()).containsExactly(Path.of("/tmp/a"), Path.of("/tmp/b"));
        assertThat(c.nodeId()).isEqualTo(5);
        assertThat(c.processRoles()).containsExactly(ProcessRole.BROKER);
        assertThat(c.numPartitions()).isEqualTo(6);
        assertThat(c.defaultReplicationFactor()).isEqualTo((short) 3);
        assertThat(c.autoCreateTopicsEnable()).isFalse();
        assertThat(c.socketRequestMaxBytes()).isEqualTo(1024);
        assertThat(c.numNetworkThreads()).isEqualTo(8);
    }

    @Test
    void controlledShutdownIsOnUnlessSwitchedOff() {
        assertThat(NodeConfig.defaults().controlledShutdownEnable()).isTrue();
        assertThat(config("controlled.shutdown.enable", "false").controlledShutdownEnable()).isFalse();
        assertThat(error("controlled.shutdown.enable", "sometimes")).contains("controlled.shutdown.enable").contains("sometimes");
    }

    @Test
    void propertiesAreAcceptedToo() {
        Properties p = new Properties();
        p.setProperty("node.id", "3");
        assertThat(NodeConfig.from(p).nodeId()).isEqualTo(3);
    }

    @Test
    void logDirIsAnAliasThatLogDirsOverrides() {
        assertThat(config("log.dir", "/tmp/x").logDirs()).containsExactly(Path.of("/tmp/x"));
        assertThat(config("log.dir", "/tmp/x", "log.dirs", "/tmp/y").logDirs()).containsExactly(Path.of("/tmp/y"));
    }

    @Test
    void advertisedListenersFollowExplicitListenersWithTheBoundPortForPortZero() {
        NodeConfig c = config("listeners", "PLAINTEXT://127.0.0.1:0");
        assertThat(c.advertisedListeners()).containsExactly(new Endpoint("PLAINTEXT", "127.0.0.1", 0));
        assertThat(c.advertisedListeners(List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 43210))))
                .containsExactly(new Endpoint("PLAINTEXT", "127.0.0.1", 43210));
    }

    @Test
    void explicitAdvertisedPortZeroAlsoTakesTheBoundPort() {
        NodeConfig c = config("listeners", "PLAINTEXT://127.0.0.1:0", "advertised.listeners", "PLAINTEXT://my-host:0");
        assertThat(c.advertisedListeners(List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 5555))))
                .containsExactly(new Endpoint("PLAINTEXT", "my-host", 5555));
    }

    @Test
    void ipv6AndEmptyHostsParse() {
        assertThat(config("listeners", "PLAINTEXT://[::1]:9093").listeners())
                .containsExactly(new Endpoint("PLAINTEXT", "::1", 9093));
        assertThat(config("listeners", "PLAINTEXT://:9093").listeners())
                .containsExactly(new Endpoint("PLAINTEXT", "", 9093));
        assertThat(config("listeners", "PLAINTEXT://:9093").advertisedListeners().get(0).host()).isNotEmpty();
        assertThat(new Endpoint("PLAINTEXT", "::1", 9093).toString()).isEqualTo("PLAINTEXT://[::1]:9093");
    }

    @Test
    void unknownKeysAreErrorsThatNameTheKeyAndValue() {
        assertThat(error("no.such.key", "1")).contains("no.such.key").contains("'1'");
        assertThat(error("log.retention.weeks", "1")).contains("log.retention.weeks");
    }

    @Test
    void logDefaultsAreKafkasKeysAndAreValidated() {
        assertThat(NodeConfig.DEFAULTS).containsEntry("log.retention.hours", "168")
                .containsEntry("message.max.bytes", "1048588").containsEntry("compression.type", "producer")
                .containsEntry("log.retention.check.interval.ms", "300000").containsEntry("log.retention.ms", "");
        assertThat(error("log.retention.hours", "a week")).contains("log.retention.hours").contains("'a week'");
        assertThat(error("log.segment.bytes", "10")).contains("log.segment.bytes").contains("'10'");
        assertThat(error("compression.type", "none")).contains("compression.type").contains("'none'");
        assertThat(error("log.cleanup.policy", "delete,archive")).contains("log.cleanup.policy").contains("archive");
        assertThat(error("log.message.timestamp.type", "createtime")).contains("log.message.timestamp.type");
        assertThat(error("log.retention.check.interval.ms", "0")).contains("log.retention.check.interval.ms");
        NodeConfig config = NodeConfig.from(Map.of("log.retention.check.interval.ms", "1000", "delete.topic.enable", "false",
                "log.retention.ms", ""));
        assertThat(config.logRetentionCheckIntervalMs()).isEqualTo(1000);
        assertThat(config.deleteTopicEnable()).isFalse();
        assertThat(config.maxRequestPartitionSizeLimit()).isEqualTo(2000);
    }

    @Test
    void invalidValuesAreErrorsThatNameTheKeyAndValue() {
        assertThat(error("node.id", "abc")).contains("node.id").contains("'abc'").contains("not an integer");
        assertThat(error("node.id", "-1")).contains("node.id").contains("'-1'");
        assertThat(error("node.id", "99999999999")).contains("node.id");
        assertThat(error("num.partitions", "0")).contains("num.partitions").contains("'0'");
        assertThat(error("default.replication.factor", "40000")).contains("default.replication.factor");
        assertThat(error("socket.request.max.bytes", "0")).contains("socket.request.max.bytes");
        assertThat(error("num.network.threads", "0")).contains("num.network.threads");
        assertThat(error("auto.create.topics.enable", "yes")).contains("auto.create.topics.enable").contains("'yes'");
        assertThat(error("process.roles", "broker,gateway")).contains("process.roles").contains("gateway");
        assertThat(error("process.roles", "broker,broker")).contains("process.roles");
        assertThat(error("process.roles", "")).contains("process.roles");
        assertThat(error("log.dirs", " , ")).contains("log.dirs");
    }

    @Test
    void invalidListenersAreErrors() {
        assertThat(error("listeners", "localhost:9092")).contains("listeners").contains("'localhost:9092'");
        assertThat(error("listeners", "PLAINTEXT://127.0.0.1:70000")).contains("listeners").contains("70000");
        assertThat(error("listeners", "PLAINTEXT://a:1,PLAINTEXT://b:2")).contains("listeners").contains("more than once");
        assertThat(error("listeners", "PLAINTEXT://a:1,CONTROLLER://b:1")).contains("port 1");
        assertThat(error("listeners", "INTERNAL://a:1")).contains("listener.security.protocol.map");
        assertThat(error("listeners", "SSL://a:1")).contains("only PLAINTEXT");
        assertThat(error("listeners", "")).contains("listeners");
        // Clients cannot connect to a wildcard, so it can only be bound, never advertised.
        assertThat(error("listeners", "PLAINTEXT://0.0.0.0:9092")).contains("advertised.listeners").contains("0.0.0.0");
        assertThat(error("listeners", "PLAINTEXT://127.0.0.1:1", "advertised.listeners", "EXTERNAL://x:1"))
                .contains("advertised.listeners").contains("EXTERNAL");
    }

    @Test
    void theSecurityProtocolMapNamesCustomListeners() {
        NodeConfig c = config("listeners", "INTERNAL://127.0.0.1:1,CLIENTS://127.0.0.1:2",
                "listener.security.protocol.map", "INTERNAL:PLAINTEXT,CLIENTS:PLAINTEXT");
        assertThat(c.listeners()).extracting(Endpoint::listenerName).containsExactly("INTERNAL", "CLIENTS");
        assertThat(error("listener.security.protocol.map", "X:TLS")).contains("listener.security.protocol.map").contains("TLS");
    }

    @Test
    void offsetMetadataMaxBytesIsKafkasKeyWithItsDefault() {
        assertThat(NodeConfig.defaults().offsetMetadataMaxBytes()).isEqualTo(4096);
        assertThat(config("offset.metadata.max.bytes", "10").offsetMetadataMaxBytes()).isEqualTo(10);
        assertThat(error("offset.metadata.max.bytes", "lots")).contains("offset.metadata.max.bytes");
    }

    @Test
    void consumerGroupIntervalsMustLieWithinKafkasBounds() {
        assertThat(NodeConfig.defaults().consumerGroupSettings().sessionTimeoutMs()).isEqualTo(45000);
        assertThat(error("group.consumer.session.timeout.ms", "30000"))
                .isEqualTo("group.consumer.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms");
        assertThat(error("group.consumer.session.timeout.ms", "70000"))
                .isEqualTo("group.consumer.session.timeout.ms must be less than or equal to group.consumer.max.session.timeout.ms");
        assertThat(error("group.consumer.heartbeat.interval.ms", "1000"))
                .isEqualTo("group.consumer.heartbeat.interval.ms must be greater than or equal to group.consumer.min.heartbeat.interval.ms");
        assertThat(error("group.consumer.heartbeat.interval.ms", "20000"))
                .isEqualTo("group.consumer.heartbeat.interval.ms must be less than or equal to group.consumer.max.heartbeat.interval.ms");
        assertThat(error("group.consumer.max.heartbeat.interval.ms", "4000"))
                .isEqualTo("group.consumer.max.heartbeat.interval.ms must be greater than or equal to group.consumer.min.heartbeat.interval.ms");
        assertThat(error("group.consumer.max.session.timeout.ms", "40000"))
                .isEqualTo("group.consumer.max.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms");
        assertThat(error("group.consumer.min.session.timeout.ms", "0")).contains("group.consumer.min.session.timeout.ms");
        assertThat(error("group.consumer.min.session.timeout.ms", "1000", "group.consumer.min.heartbeat.interval.ms", "1000",
                "group.consumer.session.timeout.ms", "2000", "group.consumer.heartbeat.interval.ms", "2000"))
                .isEqualTo("group.consumer.heartbeat.interval.ms must be less than group.consumer.session.timeout.ms");

        // Lowered bounds admit shorter intervals.
        NodeConfig fast = config("group.consumer.min.session.timeout.ms", "6000", "group.consumer.session.timeout.ms", "6000",
                "group.consumer.min.heartbeat.interval.ms", "100", "group.consumer.heartbeat.interval.ms", "100");
        assertThat(fast.consumerGroupSettings().sessionTimeoutMs()).isEqualTo(6000);
        assertThat(fast.consumerGroupSettings().heartbeatIntervalMs()).isEqualTo(100);
    }

    @Test
    void aQuorumNodeIsConfiguredWithKafkasKraftKeys() {
        NodeConfig combined = config("node.id", "2", "process.roles", "broker,controller",
                "controller.quorum.voters", "1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103",
                "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9102", "broker.rack", "r1",
                "broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "500");
        assertThat(combined.hasQuorum()).isTrue();
        assertThat(combined.brokerListeners()).containsExactly(new Endpoint("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(combined.controllerListener()).isEqualTo(new Endpoint("CONTROLLER", "127.0.0.1", 9102));
        // Clients are never sent to the quorum's port.
        assertThat(combined.advertisedListeners()).containsExactly(new Endpoint("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(combined.quorumSettings().self()).isEqualTo(new io.fjord.controller.raft.QuorumVoter(2, "127.0.0.1", 9102));
        assertThat(combined.quorumSettings().voters()).hasSize(3);
        assertThat(combined.quorumSettings().sessionTimeoutMs()).isEqualTo(3000);
        assertThat(combined.quorumSettings().heartbeatIntervalMs()).isEqualTo(500);
        assertThat(combined.quorumSettings().electionTimeoutMs()).isEqualTo(1000);
        assertThat(combined.brokerRack()).isEqualTo("r1");

        NodeConfig brokerOnly = config("node.id", "4", "process.roles", "broker",
                "controller.quorum.voters", "1@127.0.0.1:9101", "listeners", "PLAINTEXT://127.0.0.1:0");
        assertThat(brokerOnly.quorumSettings().self()).isNull();
        assertThat(brokerOnly.quorumSettings().controller()).isFalse();
        assertThat(config().hasQuorum()).isFalse();
    }

    @Test
    void inconsistentQuorumSettingsAreRefusedWithWhatToChange() {
        String voters = "1@127.0.0.1:9101,2@127.0.0.1:9102";
        assertThat(error("process.roles", "broker")).contains("controller.quorum.voters");
        assertThat(error("controller.quorum.voters", "1@host")).contains("controller.quorum.voters").contains("id@host:port");
        assertThat(error("controller.quorum.voters", "x@h:1")).contains("id@host:port");
        assertThat(error("controller.quorum.voters", "1@h:1,1@h:2")).contains("more than once");
        assertThat(error("controller.quorum.voters", "1@h:0")).contains("port 0");
        assertThat(error("node.id", "3", "controller.quorum.voters", voters,
                "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9103"))
                .contains("node.id 3").contains("not in controller.quorum.voters");
        assertThat(error("node.id", "1", "controller.quorum.voters", voters, "listeners", "PLAINTEXT://127.0.0.1:9092"))
                .contains("controller.listener.names");
        assertThat(error("node.id", "1", "controller.quorum.voters", voters,
                "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9999"))
                .contains("9101");
        assertThat(error("node.id", "1", "process.roles", "broker", "controller.quorum.voters", voters,
                "listeners", "PLAINTEXT://127.0.0.1:9092")).contains("no controller role");
        assertThat(error("node.id", "5", "process.roles", "broker", "controller.quorum.voters", voters,
                "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9105")).contains("must not have");
        assertThat(error("node.id", "1", "process.roles", "controller,broker", "controller.quorum.voters", voters,
                "listeners", "CONTROLLER://127.0.0.1:9101")).contains("a broker needs a listener");
        assertThat(error("broker.heartbeat.interval.ms", "9000")).contains("broker.session.timeout.ms");
    }
    @Test
    void replicaFetchingTakesKafkasKeysAndDefaults() {
        io.fjord.replication.FetcherSettings defaults = config("node.id", "4").replicaFetcherSettings();
        assertThat(defaults).isEqualTo(new io.fjord.replication.FetcherSettings(4, "PLAINTEXT", 500, 1, 10485760, 1048576,
                1000, 30000));
        assertThat(NodeConfig.DEFAULTS).containsEntry("num.replica.fetchers", "1");

        io.fjord.replication.FetcherSettings set = config("replica.fetch.wait.max.ms", "200", "replica.fetch.min.bytes", "10",
                "replica.fetch.max.bytes", "2048", "replica.fetch.response.max.bytes", "4096",
                "replica.fetch.backoff.ms", "50", "replica.socket.timeout.ms", "3000", "num.replica.fetchers", "4")
                .replicaFetcherSettings();
        assertThat(set).isEqualTo(new io.fjord.replication.FetcherSettings(1, "PLAINTEXT", 200, 10, 4096, 2048, 50, 3000));
    }

    @Test
    void replicaFetchValuesAreValidated() {
        assertThat(error("replica.fetch.max.bytes", "-1")).contains("replica.fetch.max.bytes").contains("-1");
        assertThat(error("replica.fetch.backoff.ms", "soon")).contains("replica.fetch.backoff.ms").contains("not an integer");
        assertThat(error("num.replica.fetchers", "0")).contains("num.replica.fetchers");
        assertThat(error("replica.fetch.wait.max.ms", "40000")).contains("replica.socket.timeout.ms")
                .contains("replica.fetch.wait.max.ms");
    }

    @Test
    void theInterBrokerListenerIsOneOfTheBrokerListeners() {
        String listeners = "PLAINTEXT://127.0.0.1:9092,REPLICATION://127.0.0.1:9094";
        String protocols = "PLAINTEXT:PLAINTEXT,REPLICATION:PLAINTEXT";
        assertThat(config("listeners", listeners, "listener.security.protocol.map", protocols).interBrokerListenerName())
                .isEqualTo("PLAINTEXT");
        assertThat(config("listeners", listeners, "listener.security.protocol.map", protocols,
                "inter.broker.listener.name", "replication").interBrokerListenerName()).isEqualTo("REPLICATION");
        assertThat(config("listeners", listeners, "listener.security.protocol.map", protocols,
                "inter.broker.listener.name", "REPLICATION").replicaFetcherSettings().listenerName()).isEqualTo("REPLICATION");
        assertThat(error("listeners", listeners, "listener.security.protocol.map", protocols,
                "inter.broker.listener.name", "INTERNAL"))
                .contains("inter.broker.listener.name").contains("INTERNAL").contains("PLAINTEXT");
        // The controller listener of a quorum node speaks Raft, not Kafka's protocol.
        assertThat(error("node.id", "1", "controller.quorum.voters", "1@127.0.0.1:9101",
                "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9101",
                "inter.broker.listener.name", "CONTROLLER")).contains("inter.broker.listener.name");
    }
}
