package io.fjord.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.server.FjordNode;
import io.fjord.testing.TestNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetchers as a broker node creates and stops them. */
class ReplicaFetchersOnANodeTest {
    @TempDir
    Path dir;

    @Test
    void aBrokerHasFetchersThatFollowNothingAloneAndCloseWithTheNode() {
        FjordNode node = TestNodes.start(dir, "node.id", "7", "replica.fetch.backoff.ms", "20");
        ReplicaFetcherManager fetchers;
        try {
            fetchers = node.replicaFetchers();
            assertThat(fetchers).isNotNull();
            // A cluster of one leads every partition it has.
            assertThat(fetchers.fetcherLeaders()).isEmpty();
        } finally {
            node.close();
        }
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);
        fetchers.follow(replica, 1, 3);
        assertThat(fetchers.fetcherLeaders()).as("closed with the node: nothing starts after").isEmpty();
    }
}
