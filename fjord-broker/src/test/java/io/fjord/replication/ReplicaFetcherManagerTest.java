package io.fjord.replication;

import static io.fjord.replication.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.metadata.BrokerRegistration;
import io.fjord.metadata.MetadataImage;
import io.fjord.network.Endpoint;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchRequestData.FetchPartition;
import io.fjord.protocol.message.FetchRequestData.FetchTopic;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.FetchableTopicResponse;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaFetcherManagerTest {
    private static final int NODE_ID = 3;

    private final AtomicReference<MetadataImage> image = new AtomicReference<>(MetadataImage.EMPTY);
    /** Brokers 1 and 2 have no endpoints in the image, so their fetchers only back off: enough to see threads come and go. */
    private final ReplicaFetcherManager manager = new ReplicaFetcherManager(
            new FetcherSettings(NODE_ID, "REPLICATION", 100, 1, 1 << 20, 1 << 20, 50, 5_000), image::get);
    private final RecordingFollowerLog p0 = new RecordingFollowerLog("t", 0);
    private final RecordingFollowerLog p1 = new RecordingFollowerLog("t", 1);

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static BrokerRegistration broker(int id, Endpoint... endpoints) {
        return new BrokerRegistration(id, UUID.randomUUID(), 10, null, List.of(endpoints), false);
    }

    @Test
    void aPartitionMovesToTheFetcherOfItsNewLeaderAndAFetcherLeftEmptyStops() {
        manager.follow(p0, 1, 5);
        manager.follow(p1, 1, 5);
        ReplicaFetcherThread first = manager.fetcher(1);
        assertThat(first.partitions()).containsExactlyInAnyOrder(p0.key(), p1.key());
        assertThat(first.isAlive()).isTrue();

        manager.follow(p0, 2, 6);
        assertThat(manager.leaderOf(p0.key())).isEqualTo(2);
        assertThat(manager.fetcher(2).partitions()).containsExactly(p0.key());
        assertThat(manager.fetcher(2).leaderEpochOf(p0.key())).isEqualTo(6);
        assertThat(first.partitions()).containsExactly(p1.key());
        assertThat(manager.fetcherLeaders()).containsExactlyInAnyOrder(1, 2);

        manager.follow(p1, 2, 6);
        assertThat(manager.fetcherLeaders()).containsExactly(2);
        assertThat(manager.fetcher(2).partitions()).containsExactlyInAnyOrder(p0.key(), p1.key());
        await("the emptied fetcher stops", () -> !first.isAlive());
    }

    @Test
    void aNewEpochOfTheSameLeaderStaysOnItsFetcher() {
        manager.follow(p0, 1, 5);
        ReplicaFetcherThread fetcher = manager.fetcher(1);

        manager.follow(p0, 1, 7);

        assertThat(manager.fetcher(1)).isSameAs(fetcher);
        assertThat(fetcher.leaderEpochOf(p0.key())).isEqualTo(7);
    }

    @Test
    void unfollowingTheLastPartitionStopsTheFetcher() {
        manager.follow(p0, 1, 5);
        manager.follow(p1, 1, 5);
        ReplicaFetcherThread fetcher = manager.fetcher(1);

        manager.unfollow(p0.key());
        assertThat(fetcher.partitions()).containsExactly(p1.key());
        assertThat(manager.leaderOf(p0.key())).isEqualTo(-1);

        manager.unfollow(p1.key());
        manager.unfollow(p1.key()); // unknown by now: nothing happens
        assertThat(manager.fetcherLeaders()).isEmpty();
        await("the fetcher stops", () -> !fetcher.isAlive());
    }

    @Test
    void closeStopsEveryFetcherAndLaterFollowsAreIgnored() {
        manager.follow(p0, 1, 5);
        manager.follow(p1, 2, 5);
        ReplicaFetcherThread one = manager.fetcher(1);
        ReplicaFetcherThread two = manager.fetcher(2);

        manager.close();

        // close() joins them: no waiting needed.
        assertThat(one.isAlive()).isFalse();
        assertThat(two.isAlive()).isFalse();
        manager.follow(p0, 1, 6);
        assertThat(manager.fetcherLeaders()).isEmpty();
    }

    @Test
    void thisNodeOrNoLeaderIsNeverFollowed() {
        manager.follow(p0, 1, 5);

        manager.follow(p0, NODE_ID, 6);
        manager.follow(p1, -1, 6);

        assertThat(manager.leaderOf(p0.key())).isEqualTo(-1);
        assertThat(manager.leaderOf(p1.key())).isEqualTo(-1);
        assertThat(manager.fetcherLeaders()).isEmpty();
    }

    @Test
    void theLeaderIsReachedOnTheInterBrokerListenerOfItsRegistration() {
        image.set(MetadataImage.EMPTY.toBuilder()
                .putBroker(broker(1, new Endpoint("PLAINTEXT", "h1", 9092), new Endpoint("REPLICATION", "h1", 9093)))
                .putBroker(broker(2, new Endpoint("PLAINTEXT", "h2", 9092)))
                .build());

        assertThat(manager.leaderEndpoint(1)).isEqualTo(new Endpoint("REPLICATION", "h1", 9093));
        assertThat(manager.leaderEndpoint(2)).isNull();
        assertThat(manager.leaderEndpoint(7)).isNull();
    }

    @Test
    void aFollowedPartitionIsFetchedFromTheLeaderTheImageNames() throws Exception {
        try (FakeLeader leader = new FakeLeader()) {
            byte[] records = batch(0, 4, 5);
            leader.fetch = request -> answer(request, records);
            Endpoint at = leader.endpoint();
            image.set(MetadataImage.EMPTY.toBuilder()
                    .putBroker(broker(1, new Endpoint("REPLICATION", at.host(), at.port())))
                    .build());

            manager.follow(p0, 1, 5);

            await("the leader's records are appended", () -> p0.logEndOffset == 4);
            assertThat(p0.calls).startsWith("append 0..3 @5", "hw 4 @5");
        }
    }

    /** Records from offset 0, nothing after them (held for max_wait_ms as a leader would). */
    private static FetchResponseData answer(FetchRequestData request, byte[] records) {
        FetchResponseData response = new FetchResponseData();
        boolean any = false;
        for (FetchTopic topic : request.topics()) {
            FetchableTopicResponse out = new FetchableTopicResponse().setTopicId(topic.topicId());
            for (FetchPartition p : topic.partitions()) {
                byte[] bytes = p.fetchOffset() == 0 ? records : new byte[0];
                any |= bytes.length > 0;
                out.partitions().add(new PartitionData().setPartitionIndex(p.partition()).setHighWatermark(4)
                        .setLogStartOffset(0).setRecords(new MemoryRecords(ByteBuffer.wrap(bytes))));
            }
            response.responses().add(out);
        }
        if (!any) {
            try {
                Thread.sleep(request.maxWaitMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return response;
    }
}
