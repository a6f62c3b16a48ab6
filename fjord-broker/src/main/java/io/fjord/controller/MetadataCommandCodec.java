package io.fjord.controller;

import static io.fjord.controller.CodecIo.count;
import static io.fjord.controller.CodecIo.ints;
import static io.fjord.controller.CodecIo.string;
import static io.fjord.controller.CodecIo.topicPartition;
import static io.fjord.controller.CodecIo.uuid;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigOp;
import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.PartitionIncrease;
import io.fjord.metadata.TopicSpec;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Metadata log entries ({@link MetadataCommand}) and their answers as bytes. Every encoding starts with
 * a format version byte so a later build can read what an earlier one wrote; a command then has a
 * type byte, an answer a status byte (success, or an {@link ApiException}'s error code and message,
 * so a replicated store can hand back either). The answer's shape follows from its command.
 */
public final class MetadataCommandCodec {
    static final byte VERSION = 1;

    private static final byte CREATE_TOPICS = 1;
    private static final byte DELETE_TOPICS = 2;
    private static final byte CREATE_PARTITIONS = 3;
    private static final byte ALTER_CONFIGS = 4;
    private static final byte ALLOCATE_PRODUCER_IDS = 5;
    private static final byte REGISTER_BROKER = 6;
    private static final byte FENCE_BROKER = 7;
    private static final byte UNFENCE_BROKER = 8;
    private static final byte ELECT_LEADERS = 9;
    private static final byte ALTER_REASSIGNMENTS = 10;
    private static final byte INIT_CLUSTER = 11;
    private static final byte ALTER_PARTITION = 12;
    private static final byte CONTROLLED_SHUTDOWN = 13;

    private MetadataCommandCodec() {
    }

    public static byte[] encode(MetadataCommand command) {
        return CodecIo.bytes(out -> {
            out.writeByte(VERSION);
            writeCommand(out, command);
        });
    }

    /** @throws IOException when the bytes are not one whole command of a known version */
    public static MetadataCommand decode(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            checkVersion(in.readByte());
            MetadataCommand command = readCommand(in);
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes left after the command");
            }
            return command;
        } catch (RuntimeException e) {
            throw new IOException("malformed metadata command: " + e, e);
        }
    }

    /** The successful answer {@code result} that applying {@code command} gave (see {@link ControllerLogic}). */
    public static byte[] encodeResult(MetadataCommand command, Object result) {
        return ResultCodec.encodeSuccess(command, result);
    }

    /** A whole-command failure. */
    public static byte[] encodeFailure(ApiException failure) {
        return ResultCodec.encodeFailure(failure.error());
    }

    /**
     * The answer in {@code bytes}.
     *
     * @throws ApiException the failure, when the bytes carry one
     * @throws IOException  when the bytes are not an answer of a known version
     */
    public static Object decodeResult(MetadataCommand command, byte[] bytes) throws IOException {
        return ResultCodec.decode(command, bytes);
    }

    static void checkVersion(byte version) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown metadata command format version " + version + " (this build reads " + VERSION + ")");
        }
    }

    private static void writeCommand(DataOutputStream out, MetadataCommand command) throws IOException {
        switch (command) {
            case MetadataCommand.CreateTopics c -> {
                out.writeByte(CREATE_TOPICS);
                out.writeInt(c.topics().size());
                for (int i = 0; i < c.topics().size(); i++) {
                    writeSpec(out, c.topics().get(i));
                    uuid(out, c.topicIds().get(i));
                }
                out.writeInt(c.defaultPartitions());
                out.writeShort(c.defaultReplicationFactor());
            }
            case MetadataCommand.DeleteTopics c -> {
                out.writeByte(DELETE_TOPICS);
                out.writeInt(c.topicIds().size());
                for (UUID id : c.topicIds()) {
                    uuid(out, id);
                }
            }
            case MetadataCommand.CreatePartitions c -> {
                out.writeByte(CREATE_PARTITIONS);
                out.writeInt(c.increases().size());
                for (PartitionIncrease increase : c.increases()) {
                    string(out, increase.topic());
                    out.writeInt(increase.count());
                    List<List<Integer>> assignments = increase.assignments();
                    out.writeInt(assignments == null ? -1 : assignments.size());
                    if (assignments != null) {
                        for (List<Integer> replicas : assignments) {
                            ints(out, replicas);
                        }
                    }
                }
            }
            case MetadataCommand.AlterConfigs c -> {
                out.writeByte(ALTER_CONFIGS);
                out.writeInt(c.changes().size());
                for (Map.Entry<ConfigResource, ConfigChange> e : c.changes().entrySet()) {
                    writeResource(out, e.getKey());
                    out.writeBoolean(e.getValue().replace());
                    out.writeInt(e.getValue().ops().size());
                    for (ConfigOp op : e.getValue().ops()) {
                        string(out, op.name());
                        out.writeByte(op.type().id);
                        string(out, op.value());
                    }
                }
            }
            case MetadataCommand.AllocateProducerIds c -> {
                out.writeByte(ALLOCATE_PRODUCER_IDS);
                out.writeInt(c.count());
            }
            case MetadataCommand.RegisterBroker c -> {
                out.writeByte(REGISTER_BROKER);
                out.writeInt(c.brokerId());
                uuid(out, c.incarnationId());
                string(out, c.rack());
                out.writeInt(c.endpoints().size());
                for (Endpoint e : c.endpoints()) {
                    string(out, e.listenerName());
                    string(out, e.host());
                    out.writeInt(e.port());
                }
            }
            case MetadataCommand.FenceBroker c -> {
                out.writeByte(FENCE_BROKER);
                out.writeInt(c.brokerId());
                out.writeLong(c.brokerEpoch());
            }
            case MetadataCommand.UnfenceBroker c -> {
                out.writeByte(UNFENCE_BROKER);
                out.writeInt(c.brokerId());
                out.writeLong(c.brokerEpoch());
            }
            case MetadataCommand.ElectLeaders c -> {
                out.writeByte(ELECT_LEADERS);
                out.writeByte(c.type().value());
                out.writeInt(c.partitions() == null ? -1 : c.partitions().size());
                if (c.partitions() != null) {
                    for (TopicPartition tp : c.partitions()) {
                        topicPartition(out, tp);
                    }
                }
            }
            case MetadataCommand.AlterReassignments c -> {
                out.writeByte(ALTER_REASSIGNMENTS);
                out.writeInt(c.targets().size());
                for (Map.Entry<TopicPartition, List<Integer>> e : c.targets().entrySet()) {
                    topicPartition(out, e.getKey());
                    ints(out, e.getValue());
                }
            }
            case MetadataCommand.InitCluster c -> {
                out.writeByte(INIT_CLUSTER);
                string(out, c.clusterId());
            }
            case MetadataCommand.AlterPartition c -> {
                out.writeByte(ALTER_PARTITION);
                uuid(out, c.topicId());
                out.writeInt(c.partition());
                out.writeInt(c.leaderId());
                out.writeInt(c.leaderEpoch());
                out.writeInt(c.partitionEpoch());
                ints(out, c.newIsr());
            }
            case MetadataCommand.ControlledShutdown c -> {
                out.writeByte(CONTROLLED_SHUTDOWN);
                out.writeInt(c.brokerId());
                out.writeLong(c.brokerEpoch());
            }
        }
    }

    private static MetadataCommand readCommand(DataInputStream in) throws IOException {
        byte type = in.readByte();
        switch (type) {
            case CREATE_TOPICS -> {
                int n = count(in);
                List<TopicSpec> specs = new ArrayList<>(n);
                List<UUID> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    specs.add(readSpec(in));
                    ids.add(uuid(in));
                }
                return new MetadataCommand.CreateTopics(specs, ids, in.readInt(), in.readShort());
            }
            case DELETE_TOPICS -> {
                int n = count(in);
                List<UUID> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ids.add(uuid(in));
                }
                return new MetadataCommand.DeleteTopics(ids);
            }
            case CREATE_PARTITIONS -> {
                int n = count(in);
                List<PartitionIncrease> increases = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String topic = string(in);
                    int total = in.readInt();
                    int assignmentCount = in.readInt();
                    List<List<Integer>> assignments = null;
                    if (assignmentCount != -1) {
                        if (assignmentCount < 0 || assignmentCount > in.available()) {
                            throw new IOException("count " + assignmentCount + " out of range");
                        }
                        assignments = new ArrayList<>(assignmentCount);
                        for (int a = 0; a < assignmentCount; a++) {
                            assignments.add(ints(in));
                        }
                    }
                    increases.add(new PartitionIncrease(topic, total, assignments));
                }
                return new MetadataCommand.CreatePartitions(increases);
            }
            case ALTER_CONFIGS -> {
                int n = count(in);
                Map<ConfigResource, ConfigChange> changes = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    ConfigResource resource = readResource(in);
                    boolean replace = in.readBoolean();
                    int opCount = count(in);
                    List<ConfigOp> ops = new ArrayList<>(opCount);
                    for (int o = 0; o < opCount; o++) {
                        String name = string(in);
                        ConfigOp.Type opType = ConfigOp.Type.forId(in.readByte());
                        if (opType == null) {
                            throw new IOException("unknown config operation");
                        }
                        ops.add(new ConfigOp(name, opType, string(in)));
                    }
                    changes.put(resource, new ConfigChange(replace, ops));
                }
                return new MetadataCommand.AlterConfigs(changes);
            }
            case ALLOCATE_PRODUCER_IDS -> {
                return new MetadataCommand.AllocateProducerIds(in.readInt());
            }
            case REGISTER_BROKER -> {
                int id = in.readInt();
                UUID incarnation = uuid(in);
                String rack = string(in);
                int n = count(in);
                List<Endpoint> endpoints = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    endpoints.add(new Endpoint(string(in), string(in), in.readInt()));
                }
                return new MetadataCommand.RegisterBroker(id, incarnation, rack, endpoints);
            }
            case FENCE_BROKER -> {
                return new MetadataCommand.FenceBroker(in.readInt(), in.readLong());
            }
            case UNFENCE_BROKER -> {
                return new MetadataCommand.UnfenceBroker(in.readInt(), in.readLong());
            }
            case ELECT_LEADERS -> {
                ElectionType electionType = ElectionType.forValue(in.readByte());
                if (electionType == null) {
                    throw new IOException("unknown election type");
                }
                int n = in.readInt();
                List<TopicPartition> partitions = null;
                if (n != -1) {
                    if (n < 0 || n > in.available()) {
                        throw new IOException("count " + n + " out of range");
                    }
                    partitions = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        partitions.add(topicPartition(in));
                    }
                }
                return new MetadataCommand.ElectLeaders(electionType, partitions);
            }
            case ALTER_REASSIGNMENTS -> {
                int n = count(in);
                Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    targets.put(topicPartition(in), ints(in));
                }
                return new MetadataCommand.AlterReassignments(targets);
            }
            case INIT_CLUSTER -> {
                return new MetadataCommand.InitCluster(string(in));
            }
            case ALTER_PARTITION -> {
                return new MetadataCommand.AlterPartition(uuid(in), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                        ints(in));
            }
            case CONTROLLED_SHUTDOWN -> {
                return new MetadataCommand.ControlledShutdown(in.readInt(), in.readLong());
            }
            default -> throw new IOException("unknown metadata command type " + type);
        }
    }

    private static void writeSpec(DataOutputStream out, TopicSpec spec) throws IOException {
        string(out, spec.name());
        out.writeInt(spec.numPartitions());
        out.writeShort(spec.replicationFactor());
        out.writeInt(spec.assignments().size());
        for (TopicSpec.Assignment a : spec.assignments()) {
            out.writeInt(a.partition());
            ints(out, a.brokerIds());
        }
        // Sorted, so that equal specs always give equal bytes whatever order their map iterates in.
        Map<String, String> configs = new TreeMap<>(spec.configs());
        out.writeInt(configs.size());
        for (Map.Entry<String, String> e : configs.entrySet()) {
            string(out, e.getKey());
            string(out, e.getValue());
        }
    }

    private static TopicSpec readSpec(DataInputStream in) throws IOException {
        String name = string(in);
        int partitions = in.readInt();
        short replicationFactor = in.readShort();
        int n = count(in);
        List<TopicSpec.Assignment> assignments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            assignments.add(new TopicSpec.Assignment(in.readInt(), ints(in)));
        }
        int c = count(in);
        Map<String, String> configs = new LinkedHashMap<>();
        for (int i = 0; i < c; i++) {
            configs.put(string(in), string(in));
        }
        return new TopicSpec(name, partitions, replicationFactor, assignments, configs);
    }

    static void writeResource(DataOutputStream out, ConfigResource resource) throws IOException {
        out.writeByte(resource.type().id);
        string(out, resource.name());
    }

    static ConfigResource readResource(DataInputStream in) throws IOException {
        return new ConfigResource(ConfigResource.Type.forId(in.readByte()), string(in));
    }
}
