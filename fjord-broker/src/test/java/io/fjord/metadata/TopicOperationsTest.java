package io.fjord.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigOp;
import io.fjord.config.ConfigResource;
import io.fjord.protocol.Errors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicOperationsTest {
    private static final MetadataImage ONE_NODE = TestBrokers.with(MetadataImage.EMPTY, 1);

    private static CreatedTopic create(MetadataImage image, TopicSpec spec) {
        return TopicOperations.createTopics(TestBrokers.with(image, 1), List.of(spec), List.of(TopicIds.random()), 2, (short) 1)
                .response().get(0);
    }

    private static TopicSpec spec(String name, int partitions, int replicationFactor) {
        return new TopicSpec(name, partitions, (short) replicationFactor, List.of(), Map.of());
    }

    private static MetadataImage with(String... names) {
        List<TopicSpec> specs = java.util.Arrays.stream(names).map(n -> spec(n, 1, 1)).toList();
        return TopicOperations.createTopics(ONE_NODE, specs, specs.stream().map(t -> TopicIds.random()).toList(), 2, (short) 1)
                .image();
    }

    @Test
    void defaultsFillInMinusOne() {
        CreatedTopic created = create(MetadataImage.EMPTY, spec("t", -1, -1));
        assertThat(created.error()).isEqualTo(ApiError.NONE);
        assertThat(created.numPartitions()).isEqualTo(2);
        assertThat(created.replicationFactor()).isEqualTo((short) 1);
        assertThat(created.topicId()).isNotEqualTo(TopicIds.ZERO);
    }

    @Test
    void errorsAreKafkas() {
        MetadataImage image = with("exists", "a.b");
        assertThat(create(image, spec("exists", 1, 1)).error().error()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThat(create(image, spec("a_b", 1, 1)).error().error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(create(image, spec("bad/name", 1, 1)).error().error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(create(image, spec("x".repeat(250), 1, 1)).error().error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(create(image, spec("p0", 0, 1)).error().error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(create(image, spec("p0", -2, 1)).error().error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(create(image, spec("rf0", 1, 0)).error().error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        CreatedTopic tooMany = create(image, spec("rf3", 1, 3));
        assertThat(tooMany.error().error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(tooMany.error().message()).contains("only 1 broker(s) are registered");
        assertThat(create(image, new TopicSpec("cfg", 1, (short) 1, List.of(), Map.of("retention.ms", "x")))
                .error().error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(create(image, new TopicSpec("cfg", 1, (short) 1, List.of(), Map.of("nope", "1")))
                .error().error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(create(image, spec("huge", 10_001, 1)).error().error()).isEqualTo(Errors.POLICY_VIOLATION);
    }

    @Test
    void manualAssignmentsMustNameRegisteredBrokersConsecutively() {
        TopicSpec good = new TopicSpec("m", -1, (short) -1,
                List.of(new TopicSpec.Assignment(1, List.of(1)), new TopicSpec.Assignment(0, List.of(1))), Map.of());
        assertThat(create(MetadataImage.EMPTY, good).numPartitions()).isEqualTo(2);

        TopicSpec otherBroker = new TopicSpec("m", -1, (short) -1, List.of(new TopicSpec.Assignment(0, List.of(2))), Map.of());
        assertThat(create(MetadataImage.EMPTY, otherBroker).error().error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        TopicSpec gap = new TopicSpec("m", -1, (short) -1, List.of(new TopicSpec.Assignment(1, List.of(1))), Map.of());
        assertThat(create(MetadataImage.EMPTY, gap).error().error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        TopicSpec withCount = new TopicSpec("m", 1, (short) -1, List.of(new TopicSpec.Assignment(0, List.of(1))), Map.of());
        assertThat(create(MetadataImage.EMPTY, withCount).error().error()).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void partitionsOnlyGrow() {
        MetadataImage image = with("t");
        ChangeResult<Map<String, ApiError>> same = TopicOperations.createPartitions(image,
                List.of(new PartitionIncrease("t", 1, null), new PartitionIncrease("missing", 3, null)));
        assertThat(same.response().get("t").error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(same.response().get("missing").error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(same.image()).isSameAs(image);

        ChangeResult<Map<String, ApiError>> grown = TopicOperations.createPartitions(image,
                List.of(new PartitionIncrease("t", 3, null)));
        assertThat(grown.response().get("t")).isEqualTo(ApiError.NONE);
        assertThat(grown.image().topic("t").partitions()).extracting(PartitionInfo::partition).containsExactly(0, 1, 2);
        assertThat(grown.image().topic("t").topicId()).isEqualTo(image.topic("t").topicId());

        ChangeResult<Map<String, ApiError>> wrongCount = TopicOperations.createPartitions(image,
                List.of(new PartitionIncrease("t", 3, List.of(List.of(1)))));
        assertThat(wrongCount.response().get("t").error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void configChangesOfMissingTopicsOrBadValuesFailAlone() {
        MetadataImage image = with("t");
        ChangeResult<Map<ConfigResource, ApiError>> result = ConfigOperations.alterConfigs(image, Map.of(
                ConfigResource.topic("t"), ConfigChange.incremental(List.of(ConfigOp.set("retention.ms", "10"))),
                ConfigResource.topic("missing"), ConfigChange.incremental(List.of(ConfigOp.set("retention.ms", "10"))),
                ConfigResource.topic("t2"), ConfigChange.incremental(List.of(ConfigOp.set("retention.ms", "-7"))),
                ConfigResource.broker("1"), ConfigChange.incremental(List.of(ConfigOp.set("num.partitions", "7")))));
        assertThat(result.response().get(ConfigResource.topic("t"))).isEqualTo(ApiError.NONE);
        assertThat(result.response().get(ConfigResource.topic("missing")).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(result.response().get(ConfigResource.topic("t2")).error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(result.response().get(ConfigResource.broker("1")).error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(result.image().topicConfigs("t")).containsExactly(Map.entry("retention.ms", "10"));
        assertThat(result.image().brokerConfigs("1")).isEmpty();
    }
}
