package io.fjord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDirsTest {
    @TempDir
    Path tmp;

    @Test
    void theClusterIdIsGeneratedOnceAndKept() throws Exception {
        Path dir = tmp.resolve("data");
        String first;
        try (LogDirs dirs = LogDirs.open(List.of(dir), 1)) {
            first = dirs.clusterId();
        }
        assertThat(first).hasSize(22).matches("[A-Za-z0-9_-]{22}").doesNotStartWith("-");
        Properties meta = new Properties();
        try (var in = Files.newInputStream(dir.resolve("meta.properties"))) {
            meta.load(in);
        }
        assertThat(meta.getProperty("version")).isEqualTo("1");
        assertThat(meta.getProperty("cluster.id")).isEqualTo(first);
        assertThat(meta.getProperty("node.id")).isEqualTo("1");
        assertThat(meta.getProperty("directory.id")).hasSize(22);
        try (LogDirs dirs = LogDirs.open(List.of(dir), 1)) {
            assertThat(dirs.clusterId()).isEqualTo(first);
        }
    }

    @Test
    void everyDirectoryGetsTheSameClusterId() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String id;
        try (LogDirs dirs = LogDirs.open(List.of(a), 1)) {
            id = dirs.clusterId();
        }
        try (LogDirs dirs = LogDirs.open(List.of(a, b), 1)) {
            assertThat(dirs.clusterId()).isEqualTo(id);
        }
        assertThat(MetaProperties.read(b).clusterId()).isEqualTo(id);
    }

    @Test
    void aDirectoryOfAnotherNodeIsAStartError() {
        Path dir = tmp.resolve("data");
        LogDirs.open(List.of(dir), 1).close();
        assertThatThrownBy(() -> LogDirs.open(List.of(dir), 2))
                .isInstanceOf(StartException.class)
                .hasMessageContaining("node.id 1")
                .hasMessageContaining("node.id 2");
    }

    @Test
    void directoriesOfDifferentClustersAreAStartError() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        LogDirs.open(List.of(a), 1).close();
        LogDirs.open(List.of(b), 1).close();
        assertThatThrownBy(() -> LogDirs.open(List.of(a, b), 1))
                .isInstanceOf(StartException.class)
                .hasMessageContaining("disagree");
    }

    @Test
    void aDirectoryInUseCannotBeOpenedTwice() {
        Path dir = tmp.resolve("data");
        try (LogDirs first = LogDirs.open(List.of(dir), 1)) {
            assertThat(first.clusterId()).isNotNull();
            assertThatThrownBy(() -> LogDirs.open(List.of(dir), 1))
                    .isInstanceOf(StartException.class)
                    .hasMessageContaining("in use");
        }
        LogDirs.open(List.of(dir), 1).close();
    }

    @Test
    void directoriesWithoutPartitionsTakeTheQuorumsClusterIdOnALaterStart() throws Exception {
        Path dir = tmp.resolve("data");
        LogDirs.open(List.of(dir), 1).close();
        // Left by a node stopped before it learnt the quorum's id: its metadata, no partition yet.
        Files.createDirectories(dir.resolve("__cluster_metadata"));
        Files.createDirectories(dir.resolve("gone-0.0123456789abcdef0123456789abcdef-delete"));
        try (LogDirs dirs = LogDirs.open(List.of(dir), 1)) {
            assertThat(dirs.adoptClusterId("QuorumClusterIdAAAAAAA")).isEqualTo("QuorumClusterIdAAAAAAA");
        }
        try (LogDirs dirs = LogDirs.open(List.of(dir), 1)) {
            assertThat(dirs.clusterId()).isEqualTo("QuorumClusterIdAAAAAAA");
        }
    }

    @Test
    void directoriesHoldingPartitionsRefuseAnotherClusterId() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String own;
        try (LogDirs dirs = LogDirs.open(List.of(a, b), 1)) {
            own = dirs.clusterId();
        }
        Files.createDirectories(b.resolve("orders-3"));
        try (LogDirs dirs = LogDirs.open(List.of(a, b), 1)) {
            assertThat(dirs.adoptClusterId(own)).isEqualTo(own);
            assertThatThrownBy(() -> dirs.adoptClusterId("QuorumClusterIdAAAAAAA"))
                    .isInstanceOf(StartException.class)
                    .hasMessageContaining(own)
                    .hasMessageContaining("QuorumClusterIdAAAAAAA");
            assertThat(dirs.clusterId()).isEqualTo(own);
        }
        assertThat(MetaProperties.read(a).clusterId()).isEqualTo(own);
    }

    @Test
    void aZooKeeperEraMetaFileIsRefused() throws Exception {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("meta.properties"), "version=0\nbroker.id=1\ncluster.id=abc\n");
        assertThatThrownBy(() -> LogDirs.open(List.of(dir), 1))
                .isInstanceOf(StartException.class)
                .hasMessageContaining("version");
    }
}
