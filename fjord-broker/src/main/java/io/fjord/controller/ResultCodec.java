package io.fjord.controller;

import static io.fjord.controller.CodecIo.count;
import static io.fjord.controller.CodecIo.error;
import static io.fjord.controller.CodecIo.ints;
import static io.fjord.controller.CodecIo.string;
import static io.fjord.controller.CodecIo.topicPartition;
import static io.fjord.controller.CodecIo.uuid;

import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.PartitionInfo;
import io.fjord.partition.TopicPartition;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The answers of {@link ControllerLogic} as bytes: version, status (0 success, 1 failure), then the answer or the error. */
final class ResultCodec {
    private static final byte SUCCESS = 0;
    private static final byte FAILURE = 1;

    private ResultCodec() {
    }

    static byte[] encodeFailure(ApiError failure) {
        return CodecIo.bytes(out -> {
            out.writeByte(MetadataCommandCodec.VERSION);
            out.writeByte(FAILURE);
            error(out, failure);
        });
    }

    @SuppressWarnings("unchecked")
    static byte[] encodeSuccess(MetadataCommand command, Object result) {
        return CodecIo.bytes(out -> {
            out.writeByte(MetadataCommandCodec.VERSION);
            out.writeByte(SUCCESS);
            switch (command) {
                case MetadataCommand.CreateTopics c -> {
                    List<CreatedTopic> created = (List<CreatedTopic>) result;
                    out.writeInt(created.size());
                    for (CreatedTopic t : created) {
                        string(out, t.name());
                        error(out, t.error());
                        uuid(out, t.topicId());
                        out.writeInt(t.numPartitions());
                        out.writeShort(t.replicationFactor());
                    }
                }
                case MetadataCommand.DeleteTopics c -> writeErrors(out, (Map<UUID, ApiError>) result, CodecIo::uuid);
                case MetadataCommand.CreatePartitions c -> writeErrors(out, (Map<String, ApiError>) result, CodecIo::string);
                case MetadataCommand.AlterConfigs c ->
                        writeErrors(out, (Map<ConfigResource, ApiError>) result, MetadataCommandCodec::writeResource);
                case MetadataCommand.AllocateProducerIds c -> out.writeLong((Long) result);
                case MetadataCommand.RegisterBroker c -> out.writeLong((Long) result);
                case MetadataCommand.FenceBroker c -> error(out, (ApiError) result);
                case MetadataCommand.UnfenceBroker c -> error(out, (ApiError) result);
                case MetadataCommand.ElectLeaders c ->
                        writeErrors(out, (Map<TopicPartition, ApiError>) result, CodecIo::topicPartition);
                case MetadataCommand.AlterReassignments c ->
                        writeErrors(out, (Map<TopicPartition, ApiError>) result, CodecIo::topicPartition);
                case MetadataCommand.InitCluster c -> string(out, (String) result);
                case MetadataCommand.AlterPartition c -> writePartition(out, (PartitionInfo) result);
                case MetadataCommand.ControlledShutdown c -> error(out, (ApiError) result);
            }
        });
    }

    static Object decode(MetadataCommand command, byte[] bytes) throws IOException {
        Object result;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            MetadataCommandCodec.checkVersion(in.readByte());
            byte status = in.readByte();
            if (status == FAILURE) {
                ApiError failure = error(in);
                throw new ApiException(failure.error(), failure.message());
            }
            if (status != SUCCESS) {
                throw new IOException("unknown answer status " + status);
            }
            result = read(command, in);
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes left after the answer");
            }
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("malformed metadata answer: " + e, e);
        }
        return result;
    }

    private static Object read(MetadataCommand command, DataInputStream in) throws IOException {
        return switch (command) {
            case MetadataCommand.CreateTopics c -> {
                int n = count(in);
                List<CreatedTopic> created = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    created.add(new CreatedTopic(string(in), error(in), uuid(in), in.readInt(), in.readShort()));
                }
                yield created;
            }
            case MetadataCommand.DeleteTopics c -> readErrors(in, CodecIo::uuid);
            case MetadataCommand.CreatePartitions c -> readErrors(in, CodecIo::string);
            case MetadataCommand.AlterConfigs c -> readErrors(in, MetadataCommandCodec::readResource);
            case MetadataCommand.AllocateProducerIds c -> in.readLong();
            case MetadataCommand.RegisterBroker c -> in.readLong();
            case MetadataCommand.FenceBroker c -> error(in);
            case MetadataCommand.UnfenceBroker c -> error(in);
            case MetadataCommand.ElectLeaders c -> readErrors(in, CodecIo::topicPartition);
            case MetadataCommand.AlterReassignments c -> readErrors(in, CodecIo::topicPartition);
            case MetadataCommand.InitCluster c -> string(in);
            case MetadataCommand.AlterPartition c -> readPartition(in);
            case MetadataCommand.ControlledShutdown c -> error(in);
        };
    }

    private static void writePartition(DataOutputStream out, PartitionInfo p) throws IOException {
        out.writeInt(p.partition());
        out.writeInt(p.leaderId());
        out.writeInt(p.leaderEpoch());
        out.writeInt(p.partitionEpoch());
        ints(out, p.replicas());
        ints(out, p.isr());
        ints(out, p.offlineReplicas());
        ints(out, p.addingReplicas());
        ints(out, p.removingReplicas());
    }

    private static PartitionInfo readPartition(DataInputStream in) throws IOException {
        int partition = in.readInt();
        int leader = in.readInt();
        int leaderEpoch = in.readInt();
        int partitionEpoch = in.readInt();
        List<Integer> replicas = ints(in);
        List<Integer> isr = ints(in);
        List<Integer> offline = ints(in);
        return new PartitionInfo(partition, leader, leaderEpoch, replicas, isr, offline, partitionEpoch, ints(in), ints(in));
    }

    @FunctionalInterface
    private interface KeyWriter<K> {
        void write(DataOutputStream out, K key) throws IOException;
    }

    @FunctionalInterface
    private interface KeyReader<K> {
        K read(DataInputStream in) throws IOException;
    }

    private static <K> void writeErrors(DataOutputStream out, Map<K, ApiError> errors, KeyWriter<K> key) throws IOException {
        out.writeInt(errors.size());
        for (Map.Entry<K, ApiError> e : errors.entrySet()) {
            key.write(out, e.getKey());
            error(out, e.getValue());
        }
    }

    private static <K> Map<K, ApiError> readErrors(DataInputStream in, KeyReader<K> key) throws IOException {
        int n = count(in);
        Map<K, ApiError> errors = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            errors.put(key.read(in), error(in));
        }
        return errors;
    }
}
