package io.fjord.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.config.ConfigChange;
import io.fjord.config.ConfigOp;
import io.fjord.config.ConfigResolver;
import io.fjord.config.ConfigResource;
import io.fjord.metadata.ChangeResult;
import io.fjord.metadata.ConfigOperations;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.TestBrokers;
import io.fjord.metadata.TopicIds;
import io.fjord.metadata.TopicOperations;
import io.fjord.metadata.TopicSpec;
import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchBuilder;
import io.fjord.record.TimestampType;
import io.fjord.server.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionManagerTest {
    private static final int NODE = 1;

    @TempDir
    Path dir;

    private PartitionManager manager(Map<String, String> statics) {
        return new PartitionManager(dir, NODE, new ConfigResolver(NodeConfig.DEFAULTS, statics), 300_000, 60_000);
    }

    private static MetadataImage create(MetadataImage image, String name, int partitions, Map<String, String> configs) {
        return TopicOperations.createTopics(TestBrokers.with(image, NODE),
                List.of(new TopicSpec(name, partitions, (short) 1, List.of(), configs)), List.of(TopicIds.random()), 1, (short) 1)
                .image();
    }

    private List<String> dirNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void opensLogsForNewPartitionsAndFindsThemByNameAndId() throws Exception {
        try (PartitionManager manager = manager(Map.of())) {
            manager.startup(MetadataImage.EMPTY);
            MetadataImage image = create(MetadataImage.EMPTY, "orders", 2, Map.of());
            manager.onImage(MetadataImage.EMPTY, image);

            UUID id = image.topic("orders").topicId();
            assertThat(manager.partition("orders", 0)).isNotNull().isSameAs(manager.partition(id, 0));
            assertThat(manager.partition("orders", 1).topicPartition()).isEqualTo(new TopicPartition("orders", 1));
            assertThat(manager.partition("orders", 2)).isNull();
            assertThat(manager.partition("other", 0)).isNull();
            assertThat(dirNames()).containsExactly("orders-0", "orders-1");
            assertThat(Files.readString(dir.resolve("orders-0").resolve("partition.metadata")))
                    .contains("version: 0").contains("topic_id: ");

            MetadataImage grown = TopicOperations.createPartitions(image,
                    List.of(new io.fjord.metadata.PartitionIncrease("orders", 3, null))).image();
            manager.onImage(image, grown);
            assertThat(manager.partition(id, 2)).isNotNull();
            assertThat(manager.partitions()).hasSize(3);
        }
    }

    @Test
    void topicAndBrokerConfigsReachLivePartitions() {
        try (PartitionManager manager = manager(Map.of("compression.type", "gzip"))) {
            MetadataImage image = create(MetadataImage.EMPTY, "t", 1, Map.of("retention.ms", "1000"));
            manager.startup(image);
            PartitionConfig config = manager.partition("t", 0).config();
            assertThat(config.log().retentionMs()).isEqualTo(1000);
            assertThat(config.compressionType()).isEqualTo(CompressionType.GZIP);
            assertThat(config.maxMessageBytes()).isEqualTo(1048588);

            ChangeResult<?> altered = ConfigOperations.alterConfigs(image, Map.of(
                    ConfigResource.topic("t"), ConfigChange.incremental(List.of(
                            ConfigOp.set("message.timestamp.type", "LogAppendTime"), ConfigOp.set("cleanup.policy", "compact"))),
                    ConfigResource.broker(""), ConfigChange.incremental(List.of(ConfigOp.set("message.max.bytes", "5000")))));
            manager.onImage(image, altered.image());
            PartitionConfig after = manager.partition("t", 0).config();
            assertThat(after.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(after.maxMessageBytes()).isEqualTo(5000);
            // Compaction only: retention no longer deletes segments.
            assertThat(after.log().retentionMs()).isEqualTo(-1);
            assertThat(manager.partition("t", 0).log().config()).isEqualTo(after.log());
        }
    }

    @Test
    void deletedTopicsAreRenamedAtOnceAndRemovedAfterTheDelay() throws Exception {
        try (PartitionManager manager = manager(Map.of())) {
            MetadataImage image = create(MetadataImage.EMPTY, "doomed", 2, Map.of("file.delete.delay.ms", "0"));
            manager.startup(image);
            MetadataImage without = TopicOperations.deleteTopics(image, List.of(image.topic("doomed").topicId())).image();
            manager.onImage(image, without);

            assertThat(manager.partition("doomed", 0)).isNull();
            assertThat(dirNames()).noneMatch(n -> n.equals("doomed-0") || n.equals("doomed-1"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!dirNames().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(dirNames()).isEmpty();
        }
    }

    @Test
    void reopensPartitionsAtStartupAndSetsAsideWhatTheMetadataDoesNotKnow() throws Exception {
        MetadataImage image = create(MetadataImage.EMPTY, "kept", 1, Map.of());
        try (PartitionManager manager = manager(Map.of())) {
            manager.startup(image);
        }
        Files.createDirectories(dir.resolve("unknown-0"));
        Files.createDirectories(dir.resolve("old-0.0123456789abcdef0123456789abcdef-delete"));
        Files.createDirectories(dir.resolve("not a partition"));
        try (PartitionManager manager = manager(Map.of())) {
            manager.startup(image);
            assertThat(manager.partition("kept", 0)).isNotNull();
            assertThat(manager.partition("kept", 0).log().recoveryReport().cleanShutdown()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (dirNames().stream().anyMatch(n -> n.endsWith("-delete")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(dirNames()).contains("kept-0", "not a partition")
                    .noneMatch(n -> n.endsWith("-delete")).noneMatch(n -> n.equals("unknown-0"))
                    .anyMatch(n -> n.startsWith("unknown-0.") && n.endsWith("-stray"));
        }
    }

    @Test
    void aDirectoryLeftByAnEarlierTopicOfTheSameNameIsNotReused() throws Exception {
        MetadataImage first = create(MetadataImage.EMPTY, "reborn", 1, Map.of());
        try (PartitionManager manager = manager(Map.of())) {
            manager.startup(first);
            Files.writeString(manager.partition("reborn", 0).log().dir().resolve("marker"), "old");
        }
        // As if the deletion had not reached the disk before a crash, and the topic was created anew.
        MetadataImage second = create(MetadataImage.EMPTY, "reborn", 1, Map.of());
        try (PartitionManager manager = manager(Map.of())) {
            manager.startup(second);
            Path live = manager.partition("reborn", 0).log().dir();
            assertThat(live.resolve("marker")).doesNotExist();
            assertThat(PartitionDirs.readTopicId(live)).isEqualTo(second.topic("reborn").topicId());
        }
    }

    @Test
    void partitionsOpenedTogetherAtStartupAreEachRecoveredFromAnUncleanStop() throws Exception {
        MetadataImage image = create(create(MetadataImage.EMPTY, "many", 24, Map.of()), "few", 3, Map.of());
        Map<TopicPartition, Long> ends = new HashMap<>();
        Path crashed = dir.resolveSibling(dir.getFileName() + "-crashed");
        try (PartitionManager manager = manager(Map.of())) {
            manager.startup(image);
            for (Partition p : manager.partitions()) {
                int records = 1 + p.topicPartition().partition();
                for (int i = 0; i < records; i++) {
                    p.appendAsLeader(new RecordBatchBuilder(CompressionType.NONE).append(1L, null, new byte[50]).build());
                }
                ends.put(p.topicPartition(), p.log().logEndOffset());
            }
            // The files as a crash would leave them: the logs were never closed, so no clean-shutdown markers.
            copyTree(dir, crashed);
        }
        // Half-written batches at the end of every other partition of "many".
        for (int partition = 0; partition < 24; partition += 2) {
            Path segment = crashed.resolve("many-" + partition).resolve("00000000000000000000.log");
            Files.write(segment, new byte[] {0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 1, 0, 7}, StandardOpenOption.APPEND);
        }
        try (PartitionManager manager = new PartitionManager(crashed, NODE,
                new ConfigResolver(NodeConfig.DEFAULTS, Map.of()), 300_000, 60_000)) {
            manager.startup(image);
            assertThat(manager.partitions()).hasSize(27);
            for (Partition p : manager.partitions()) {
                TopicPartition tp = p.topicPartition();
                assertThat(p.log().logEndOffset()).as("log end of %s", tp).isEqualTo(ends.get(tp));
                assertThat(p.log().recoveryReport().cleanShutdown()).as("%s", tp).isFalse();
                boolean torn = tp.topic().equals("many") && tp.partition() % 2 == 0;
                assertThat(p.log().recoveryReport().truncations()).as("cuts in %s", tp).hasSize(torn ? 1 : 0);
                assertThat(manager.partition(tp.topic(), tp.partition())).isSameAs(p);
            }
            // Recovered and served: the next append follows the old end.
            Partition p = manager.partition("many", 4);
            assertThat(p.appendAsLeader(new RecordBatchBuilder(CompressionType.NONE).append(1L, null, new byte[5]).build())
                    .firstOffset()).isEqualTo(ends.get(new TopicPartition("many", 4)));
        } finally {
            PartitionDirs.deleteRecursively(crashed);
        }
    }

    @Test
    void aCleanRestartOpensEveryPartitionAsTheMetadataSays() throws Exception {
        MetadataImage image = create(MetadataImage.EMPTY, "t", 40, Map.of("retention.ms", "1234"));
        try (PartitionManager manager = manager(Map.of())) {
            manager.startup(image);
            manager.partition("t", 7).appendAsLeader(
                    new RecordBatchBuilder(CompressionType.NONE).append(1L, null, new byte[5]).build());
        }
        try (PartitionManager manager = manager(Map.of())) {
            manager.startup(image);
            UUID id = image.topic("t").topicId();
            assertThat(manager.partitions()).hasSize(40);
            for (int i = 0; i < 40; i++) {
                Partition p = manager.partition("t", i);
                assertThat(p).isNotNull().isSameAs(manager.partition(id, i));
                assertThat(p.topicPartition()).isEqualTo(new TopicPartition("t", i));
                assertThat(p.config().log().retentionMs()).isEqualTo(1234);
                assertThat(p.log().recoveryReport().cleanShutdown()).isTrue();
                assertThat(p.log().logEndOffset()).isEqualTo(i == 7 ? 1 : 0);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    @Test
    void retiredNamesFitInAFileName() {
        String name = PartitionDirs.retiredName(new TopicPartition("t".repeat(249), 12345), PartitionDirs.DELETE_SUFFIX);
        assertThat(name.length()).isLessThanOrEqualTo(255);
        assertThat(name).endsWith("-delete").contains("-12345.");
        assertThat(PartitionDirs.parse("my.topic-7")).isEqualTo(new TopicPartition("my.topic", 7));
        assertThat(PartitionDirs.parse("my-topic-x")).isNull();
        assertThat(PartitionDirs.parse(name)).isNull();
    }
}
