package io.fjord.replication;

import static io.fjord.replication.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.network.Endpoint;
import io.fjord.protocol.Errors;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchRequestData.FetchPartition;
import io.fjord.protocol.message.FetchRequestData.FetchTopic;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.EpochEndOffset;
import io.fjord.protocol.message.FetchResponseData.FetchableTopicResponse;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One fetcher thread against a {@link FakeLeader} on a real socket. */
class ReplicaFetcherThreadTest {
    private static final int NODE_ID = 2;
    private static final int LEADER_ID = 1;
    /** Long enough that a partition or connection that backs off would fail the test waiting for it. */
    private static final int LONG_BACKOFF_MS = 60_000;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private FakeLeader leader() throws Exception {
        FakeLeader leader = new FakeLeader();
        toClose.add(leader);
        return leader;
    }

    private static FetcherSettings settings(int backoffMs, int socketTimeoutMs) {
        return new FetcherSettings(NODE_ID, "PLAINTEXT", 100, 1, 10 * 1024 * 1024, 1024 * 1024, backoffMs, socketTimeoutMs);
    }

    /** A fetcher not started yet, stopped (and checked to stop) after the test. */
    private ReplicaFetcherThread unstarted(FetcherSettings settings, AtomicReference<Endpoint> endpoint) {
        ReplicaFetcherThread fetcher = new ReplicaFetcherThread(LEADER_ID, settings, id -> id == LEADER_ID ? endpoint.get() : null);
        toClose.add(() -> {
            fetcher.shutdown();
            assertThat(fetcher.join(10_000)).as("fetcher stopped").isTrue();
        });
        return fetcher;
    }

    private ReplicaFetcherThread fetcher(FetcherSettings settings, AtomicReference<Endpoint> endpoint) {
        ReplicaFetcherThread fetcher = unstarted(settings, endpoint);
        fetcher.start();
        return fetcher;
    }

    private ReplicaFetcherThread fetcher(FetcherSettings settings, FakeLeader leader) {
        return fetcher(settings, new AtomicReference<>(leader.endpoint()));
    }

    /** An answer to every partition of {@code request}; a leader holds an answer without records for max_wait_ms. */
    private static FetchResponseData answer(FetchRequestData request, BiFunction<FetchTopic, FetchPartition, PartitionData> each) {
        FetchResponseData response = new FetchResponseData();
        boolean anyRecords = false;
        for (FetchTopic topic : request.topics()) {
            FetchableTopicResponse out = new FetchableTopicResponse().setTopicId(topic.topicId());
            for (FetchPartition p : topic.partitions()) {
                PartitionData data = each.apply(topic, p).setPartitionIndex(p.partition());
                anyRecords |= data.records() != null && data.records().sizeInBytes() > 0;
                out.partitions().add(data);
            }
            response.responses().add(out);
        }
        if (!anyRecords) {
            sleep(request.maxWaitMs());
        }
        return response;
    }

    private static PartitionData records(byte[] bytes, long highWatermark) {
        return new PartitionData().setHighWatermark(highWatermark).setLogStartOffset(0)
                .setRecords(new MemoryRecords(ByteBuffer.wrap(bytes)));
    }

    private static PartitionData nothing(long highWatermark) {
        return records(new byte[0], highWatermark);
    }

    private static PartitionData error(Errors error) {
        return new PartitionData().setErrorCode(error.code()).setHighWatermark(-1).setLogStartOffset(-1)
                .setRecords(MemoryRecords.EMPTY);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            sleep(5);
        }
    }

    private static List<Integer> partitionsOf(FetchRequestData request) {
        return request.topics().stream().flatMap(t -> t.partitions().stream()).map(FetchPartition::partition).toList();
    }

    @Test
    void fetchesAsAReplicaAndAppendsWhatTheLeaderSends() throws Exception {
        FakeLeader leader = leader();
        byte[] first = batch(0, 3, 5);
        leader.fetch = request -> answer(request, (t, p) -> p.fetchOffset() == 0 ? records(first, 3) : nothing(3));
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);
        replica.logStartOffset = 0;

        ReplicaFetcherThread fetcher = fetcher(settings(LONG_BACKOFF_MS, 5_000), leader);
        fetcher.add(replica.key(), replica, 5);

        FetchRequestData request = leader.next(ApiKey.FETCH, 10);
        assertThat(request.replicaState().replicaId()).isEqualTo(NODE_ID);
        assertThat(request.replicaState().replicaEpoch()).isEqualTo(-1);
        assertThat(request.maxWaitMs()).isEqualTo(100);
        assertThat(request.minBytes()).isEqualTo(1);
        assertThat(request.maxBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(request.sessionId()).isZero();
        assertThat(request.sessionEpoch()).isEqualTo(-1);
        assertThat(request.topics()).hasSize(1);
        assertThat(request.topics().get(0).topicId()).isEqualTo(replica.topicId);
        FetchPartition p = request.topics().get(0).partitions().get(0);
        assertThat(p.partition()).isZero();
        assertThat(p.currentLeaderEpoch()).isEqualTo(5);
        assertThat(p.fetchOffset()).isZero();
        assertThat(p.lastFetchedEpoch()).isEqualTo(-1);
        assertThat(p.logStartOffset()).isZero();
        assertThat(p.partitionMaxBytes()).isEqualTo(1024 * 1024);

        // The next fetch asks from the new log end, with the epoch of the last batch appended.
        FetchPartition next = leader.<FetchRequestData>next(ApiKey.FETCH, 10).topics().get(0).partitions().get(0);
        assertThat(next.fetchOffset()).isEqualTo(3);
        assertThat(next.lastFetchedEpoch()).isEqualTo(5);
        assertThat(replica.calls).startsWith("append 0..2 @5", "hw 3 @5");
        assertThat(replica.appended.get(0)).isEqualTo(first);
    }

    @Test
    void theVersionSentIsTheHighestBothSidesHaveUpTo17() throws Exception {
        FakeLeader leader = leader();
        leader.fetch = request -> answer(request, (t, p) -> nothing(0));
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);

        fetcher(settings(LONG_BACKOFF_MS, 5_000), leader).add(replica.key(), replica, 1);

        FakeLeader.Received received;
        do {
            received = leader.requests.poll(10, TimeUnit.SECONDS);
            assertThat(received).isNotNull();
        } while (received.key() != ApiKey.FETCH);
        assertThat(received.version()).isEqualTo((short) 17);
    }

    @Test
    void aDivergingEpochTruncatesAndTheNextFetchGoesOutAtOnceFromTheNewEnd() throws Exception {
        FakeLeader leader = leader();
        leader.fetch = request -> answer(request, (t, p) -> p.fetchOffset() == 10
                ? nothing(6).setDivergingEpoch(new EpochEndOffset().setEpoch(4).setEndOffset(6))
                : nothing(6));
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);
        replica.logEndOffset = 10;
        replica.latestEpoch = 4;

        fetcher(settings(LONG_BACKOFF_MS, 5_000), leader).add(replica.key(), replica, 5);

        assertThat(leader.<FetchRequestData>next(ApiKey.FETCH, 10).topics().get(0).partitions().get(0).fetchOffset())
                .isEqualTo(10);
        // With a 60 s backoff, a second fetch within the wait below means none was applied.
        assertThat(leader.<FetchRequestData>next(ApiKey.FETCH, 10).topics().get(0).partitions().get(0).fetchOffset())
                .isEqualTo(6);
        assertThat(replica.calls).startsWith("truncate (4,6) @5");
    }

    @Test
    void aPartitionWithAnErrorWaitsWhileTheOthersFetchOn() throws Exception {
        FakeLeader leader = leader();
        leader.fetch = request -> answer(request, (t, p) -> p.partition() == 0 ? error(Errors.NOT_LEADER_OR_FOLLOWER)
                : nothing(0));
        RecordingFollowerLog p0 = new RecordingFollowerLog("t", 0);
        RecordingFollowerLog p1 = new RecordingFollowerLog("t", 1);

        ReplicaFetcherThread fetcher = unstarted(settings(LONG_BACKOFF_MS, 5_000), new AtomicReference<>(leader.endpoint()));
        fetcher.add(p0.key(), p0, 5);
        fetcher.add(p1.key(), p1, 5);
        fetcher.start();

        // The first fetch has both; the ones after it leave out partition 0 for the backoff.
        assertThat(partitionsOf(leader.next(ApiKey.FETCH, 10))).containsExactly(0, 1);
        assertThat(partitionsOf(leader.next(ApiKey.FETCH, 10))).containsExactly(1);
        assertThat(partitionsOf(leader.next(ApiKey.FETCH, 10))).containsExactly(1);
        assertThat(p0.calls).isEmpty();
    }

    @Test
    void aConnectionTheLeaderDropsIsOpenedAgainAfterTheBackoff() throws Exception {
        FakeLeader leader = leader();
        AtomicInteger fetches = new AtomicInteger();
        byte[] first = batch(0, 2, 5);
        // The first fetch is answered by hanging up, as a stopping broker does.
        leader.fetch = request -> fetches.getAndIncrement() == 0 ? null
                : answer(request, (t, p) -> p.fetchOffset() == 0 ? records(first, 2) : nothing(2));
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);

        fetcher(settings(50, 5_000), leader).add(replica.key(), replica, 5);

        await("the records arrive over a second connection", () -> replica.logEndOffset == 2);
        assertThat(leader.connections.get()).isEqualTo(2);
    }

    @Test
    void aLeaderThatStopsAnsweringFailsTheFetchByTheSocketTimeoutAndTheFetcherConnectsAgain() throws Exception {
        FakeLeader leader = leader();
        CountDownLatch release = new CountDownLatch(1);
        toClose.add(release::countDown);
        AtomicInteger fetches = new AtomicInteger();
        byte[] first = batch(0, 2, 5);
        leader.fetch = request -> {
            if (fetches.getAndIncrement() == 0) {
                try {
                    release.await(); // a paused leader: never answers this one
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }
            return answer(request, (t, p) -> p.fetchOffset() == 0 ? records(first, 2) : nothing(2));
        };
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);

        long start = System.nanoTime();
        fetcher(settings(50, 500), leader).add(replica.key(), replica, 5);

        await("the records arrive over a second connection", () -> replica.logEndOffset == 2);
        assertThat(leader.connections.get()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void anAnswerForAPartitionRemovedWhileItWasOutIsDropped() throws Exception {
        FakeLeader leader = leader();
        CountDownLatch removed = new CountDownLatch(1);
        toClose.add(removed::countDown);
        byte[] first = batch(0, 2, 5);
        RecordingFollowerLog p0 = new RecordingFollowerLog("t", 0);
        RecordingFollowerLog p1 = new RecordingFollowerLog("t", 1);
        leader.fetch = request -> {
            if (partitionsOf(request).contains(0)) {
                try {
                    removed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer(request, (t, p) -> p.fetchOffset() == 0 ? records(first, 2) : nothing(2));
        };
        ReplicaFetcherThread fetcher = fetcher(settings(LONG_BACKOFF_MS, 5_000), leader);
        fetcher.add(p0.key(), p0, 5);
        assertThat(partitionsOf(leader.next(ApiKey.FETCH, 10))).containsExactly(0);

        fetcher.remove(p0.key());
        fetcher.add(p1.key(), p1, 5);
        removed.countDown();

        // One fetch at a time: a fetch of partition 1 goes out only after the held answer was handled.
        FetchRequestData next;
        do {
            next = leader.next(ApiKey.FETCH, 10);
        } while (!partitionsOf(next).contains(1));
        assertThat(partitionsOf(next)).containsExactly(1);
        assertThat(p0.calls).isEmpty();
    }

    @Test
    void anAnswerFetchedInAnOlderEpochIsDroppedAndTheNextFetchCarriesTheNewOne() throws Exception {
        FakeLeader leader = leader();
        CountDownLatch moved = new CountDownLatch(1);
        toClose.add(moved::countDown);
        byte[] first = batch(0, 2, 5);
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);
        leader.fetch = request -> {
            FetchPartition p = request.topics().get(0).partitions().get(0);
            if (p.currentLeaderEpoch() == 5) {
                try {
                    moved.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return answer(request, (t, q) -> records(first, 2));
            }
            return answer(request, (t, q) -> nothing(0));
        };
        ReplicaFetcherThread fetcher = fetcher(settings(LONG_BACKOFF_MS, 5_000), leader);
        fetcher.add(replica.key(), replica, 5);
        assertThat(leader.<FetchRequestData>next(ApiKey.FETCH, 10).topics().get(0).partitions().get(0).currentLeaderEpoch())
                .isEqualTo(5);

        fetcher.add(replica.key(), replica, 6);
        moved.countDown();

        assertThat(leader.<FetchRequestData>next(ApiKey.FETCH, 10).topics().get(0).partitions().get(0).currentLeaderEpoch())
                .isEqualTo(6);
        assertThat(replica.calls).isEmpty();
    }

    @Test
    void noConnectionIsTriedUntilTheLeaderHasAnEndpoint() throws Exception {
        FakeLeader leader = leader();
        leader.fetch = request -> answer(request, (t, p) -> nothing(0));
        AtomicReference<Endpoint> endpoint = new AtomicReference<>();
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);
        fetcher(settings(20, 5_000), endpoint).add(replica.key(), replica, 5);

        assertThat(leader.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
        endpoint.set(leader.endpoint());

        assertThat(partitionsOf(leader.next(ApiKey.FETCH, 10))).containsExactly(0);
    }

    @Test
    void shutdownEndsAFetchTheLeaderHolds() throws Exception {
        FakeLeader leader = leader();
        CountDownLatch never = new CountDownLatch(1);
        toClose.add(never::countDown);
        leader.fetch = request -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        };
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);
        ReplicaFetcherThread fetcher = new ReplicaFetcherThread(LEADER_ID, settings(LONG_BACKOFF_MS, 60_000),
                id -> leader.endpoint());
        fetcher.start();
        fetcher.add(replica.key(), replica, 5);
        leader.next(ApiKey.FETCH, 10);

        long start = System.nanoTime();
        fetcher.shutdown();

        assertThat(fetcher.join(10_000)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
    @Test
    void followingAgainInTheSameEpochKeepsTheFetchInFlight() throws Exception {
        FakeLeader leader = leader();
        CountDownLatch repeated = new CountDownLatch(1);
        toClose.add(repeated::countDown);
        byte[] first = batch(0, 2, 5);
        RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);
        leader.fetch = request -> {
            FetchPartition p = request.topics().get(0).partitions().get(0);
            if (p.fetchOffset() == 0) {
                try {
                    repeated.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return answer(request, (t, q) -> records(first, 2));
            }
            return answer(request, (t, q) -> nothing(2));
        };
        ReplicaFetcherThread fetcher = fetcher(settings(LONG_BACKOFF_MS, 5_000), leader);
        fetcher.add(replica.key(), replica, 5);
        leader.next(ApiKey.FETCH, 10);

        // Every image that touches the topic repeats the follow; the answer on its way must still count.
        fetcher.add(replica.key(), replica, 5);
        repeated.countDown();

        await("the held answer is appended", () -> replica.logEndOffset == 2);
        assertThat(replica.calls).startsWith("append 0..1 @5", "hw 2 @5");
    }
    @Test
    void shutdownEndsAConnectThatWaitsForAnAnswer() throws Exception {
        // A paused leader: the kernel accepts the connection, nothing ever answers ApiVersions.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Endpoint endpoint = new Endpoint("PLAINTEXT", "127.0.0.1", silent.getLocalPort());
            RecordingFollowerLog replica = new RecordingFollowerLog("t", 0);
            ReplicaFetcherThread fetcher = new ReplicaFetcherThread(LEADER_ID, settings(LONG_BACKOFF_MS, 60_000),
                    id -> endpoint);
            fetcher.start();
            fetcher.add(replica.key(), replica, 5);
            // Accepted and left open, unanswered: the fetcher waits in ApiVersions.
            silent.setSoTimeout(10_000);
            java.net.Socket accepted = silent.accept();
            toClose.add(accepted);

            long start = System.nanoTime();
            fetcher.shutdown();

            assertThat(fetcher.join(10_000)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
