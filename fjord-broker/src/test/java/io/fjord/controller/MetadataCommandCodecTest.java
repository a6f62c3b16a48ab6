package io.fjord.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigOp;
import io.fjord.config.ConfigResource;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.CreatedTopic;
import io.fjord.metadata.PartitionIncrease;
import io.fjord.metadata.TopicSpec;
import io.fjord.network.Endpoint;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataCommandCodecTest {
    private static final TopicPartition TP = new TopicPartition("orders", 3);

    private static List<MetadataCommand> everyKind() {
        Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
        targets.put(TP, List.of(3, 1, 2));
        targets.put(new TopicPartition("b", 0), null);
        Map<ConfigResource, ConfigChange> changes = new LinkedHashMap<>();
        changes.put(ConfigResource.topic("orders"), ConfigChange.incremental(List.of(ConfigOp.set("retention.ms", "5"),
                ConfigOp.delete("segment.bytes"), new ConfigOp("cleanup.policy", ConfigOp.Type.APPEND, "compact"))));
        changes.put(ConfigResource.broker(""), ConfigChange.replaceWith(Map.of("log.retention.ms", "9")));
        return List.of(
                new MetadataCommand.CreateTopics(List.of(
                        new TopicSpec("orders", 6, (short) 3, List.of(), Map.of("retention.ms", "100", "cleanup.policy", "compact")),
                        new TopicSpec("manual", -1, (short) -1, List.of(new TopicSpec.Assignment(0, List.of(1, 2)),
                                new TopicSpec.Assignment(1, List.of(2, 1))), Map.of()),
                        TopicSpec.withDefaults("défaut")),
                        List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()), 3, (short) 2),
                new MetadataCommand.DeleteTopics(List.of(UUID.randomUUID(), new UUID(0, 1))),
                new MetadataCommand.CreatePartitions(List.of(new PartitionIncrease("orders", 9, null),
                        new PartitionIncrease("manual", 3, List.of(List.of(1, 2))))),
                new MetadataCommand.AlterConfigs(changes),
                new MetadataCommand.AllocateProducerIds(1000),
                new MetadataCommand.RegisterBroker(4, UUID.randomUUID(), "rack-a",
                        List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092), new Endpoint("SSL", "::1", 9093))),
                new MetadataCommand.RegisterBroker(5, null, null, List.of()),
                new MetadataCommand.FenceBroker(4, 17),
                new MetadataCommand.UnfenceBroker(4, 18),
                new MetadataCommand.ElectLeaders(ElectionType.PREFERRED, List.of(TP, new TopicPartition("x", 0))),
                new MetadataCommand.ElectLeaders(ElectionType.UNCLEAN, null),
                new MetadataCommand.AlterReassignments(targets),
                new MetadataCommand.InitCluster("MkU3OEVBNTcwNTJENDM2Qk"),
                new MetadataCommand.AlterPartition(UUID.randomUUID(), 3, 2, 7, 19, List.of(2, 1, 3)),
                new MetadataCommand.ControlledShutdown(4, 18));
    }

    @Test
    void everyCommandComesBackEqual() throws IOException {
        for (MetadataCommand command : everyKind()) {
            byte[] bytes = MetadataCommandCodec.encode(command);
            assertThat(bytes[0]).isEqualTo(MetadataCommandCodec.VERSION);
            assertThat(MetadataCommandCodec.decode(bytes)).isEqualTo(command);
        }
    }

    @Test
    void everyAnswerComesBackEqual() throws IOException {
        Map<UUID, ApiError> deleted = new LinkedHashMap<>();
        deleted.put(UUID.randomUUID(), ApiError.NONE);
        deleted.put(UUID.randomUUID(), new ApiError(Errors.UNKNOWN_TOPIC_ID, "gone"));
        Map<TopicPartition, ApiError> perPartition = new LinkedHashMap<>();
        perPartition.put(TP, ApiError.NONE);
        perPartition.put(new TopicPartition("x", 0), new ApiError(Errors.ELECTION_NOT_NEEDED, null));
        Map<Class<?>, Object> answers = new HashMap<>();
        answers.put(MetadataCommand.CreateTopics.class, List.of(
                new CreatedTopic("orders", ApiError.NONE, UUID.randomUUID(), 6, (short) 3),
                CreatedTopic.failed("bad", new ApiError(Errors.INVALID_CONFIG, "no"))));
        answers.put(MetadataCommand.DeleteTopics.class, deleted);
        answers.put(MetadataCommand.CreatePartitions.class, Map.of("orders", ApiError.NONE));
        answers.put(MetadataCommand.AlterConfigs.class, Map.of(ConfigResource.broker("1"), new ApiError(Errors.INVALID_REQUEST, "x")));
        answers.put(MetadataCommand.AllocateProducerIds.class, 123_000L);
        answers.put(MetadataCommand.RegisterBroker.class, 42L);
        answers.put(MetadataCommand.FenceBroker.class, new ApiError(Errors.STALE_BROKER_EPOCH, "old"));
        answers.put(MetadataCommand.UnfenceBroker.class, ApiError.NONE);
        answers.put(MetadataCommand.ElectLeaders.class, perPartition);
        answers.put(MetadataCommand.AlterReassignments.class, perPartition);
        answers.put(MetadataCommand.InitCluster.class, "id");
        answers.put(MetadataCommand.AlterPartition.class, new io.fjord.metadata.PartitionInfo(3, 2, 7, List.of(3, 1, 2, 4),
                List.of(2, 1), List.of(4), 20, List.of(3), List.of(4)));
        answers.put(MetadataCommand.ControlledShutdown.class, new ApiError(Errors.STALE_BROKER_EPOCH, "old"));
        for (MetadataCommand command : everyKind()) {
            Object answer = answers.get(command.getClass());
            Object back = MetadataCommandCodec.decodeResult(command, MetadataCommandCodec.encodeResult(command, answer));
            assertThat(back).as("answer of %s", command).isEqualTo(answer);
            if (back instanceof Map<?, ?> map) {
                assertThat(List.copyOf(map.keySet())).as("order of %s", command).isEqualTo(List.copyOf(((Map<?, ?>) answer).keySet()));
            }
        }
    }

    @Test
    void aFailureComesBackAsTheApiException() {
        MetadataCommand command = new MetadataCommand.AllocateProducerIds(0);
        byte[] bytes = MetadataCommandCodec.encodeFailure(new ApiException(Errors.INVALID_REQUEST, "cannot allocate 0"));
        assertThatThrownBy(() -> MetadataCommandCodec.decodeResult(command, bytes))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().error()).isEqualTo(Errors.INVALID_REQUEST);
                    assertThat(e.error().message()).isEqualTo("cannot allocate 0");
                });
    }

    @Test
    void unknownVersionsAndDamagedBytesAreRefused() {
        byte[] bytes = MetadataCommandCodec.encode(new MetadataCommand.FenceBroker(1, 2));
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> MetadataCommandCodec.decode(future)).isInstanceOf(IOException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> MetadataCommandCodec.decode(Arrays.copyOf(bytes, bytes.length - 1))).isInstanceOf(IOException.class);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> MetadataCommandCodec.decode(longer)).isInstanceOf(IOException.class);
        byte[] unknownType = bytes.clone();
        unknownType[1] = 77;
        assertThatThrownBy(() -> MetadataCommandCodec.decode(unknownType)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> MetadataCommandCodec.decode(new byte[] {1, 1, (byte) 0xff, 0, 0, 0}))
                .isInstanceOf(IOException.class);
    }
}
