package io.fjord.fetch;

import static io.fjord.fetch.FetchRequests.fetch;
import static io.fjord.fetch.FetchRequests.only;
import static io.fjord.fetch.FetchRequests.partition;
import static io.fjord.fetch.FetchRequests.topic;
import static io.fjord.fetch.FetchRequests.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.testing.Frames;
import io.fjord.testing.RawConnection;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** max_wait_ms and min_bytes: fetches wait for data, wake on appends, and time out with what is there. */
class LongPollTest {
    private static final short V = 17;

    @TempDir
    Path dir;
    private FetchNode node;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void setUp() {
        node = FetchNode.start(dir);
        node.createTopic("p", 2);
    }

    @AfterEach
    void tearDown() {
        writer.shutdownNow();
        node.close();
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void anAppendWakesAWaitingFetch() throws Exception {
        UUID id = node.topicId("p");
        try (RawConnection c = new RawConnection(node.port)) {
            long start = System.nanoTime();
            c.send(ApiKey.FETCH, V, 1, fetch(0, -1, 5_000, 1, topic(id, partition(0, 0), partition(1, 0))));
            writer.schedule(() -> node.append("p", 1, 2, "woke"), 300, TimeUnit.MILLISECONDS);
            Frames.Response<FetchResponseData> response = c.receive(ApiKey.FETCH, V);
            long elapsed = millisSince(start);

            assertThat(elapsed).isGreaterThanOrEqualTo(250).isLessThan(3_000);
            PartitionData p1 = response.body().responses().get(0).partitions().get(1);
            assertThat(values(p1.records())).containsExactly("woke-0", "woke-1");
        }
    }

    @Test
    void withoutDataTheFetchAnswersAtMaxWait() throws Exception {
        try (RawConnection c = new RawConnection(node.port)) {
            long start = System.nanoTime();
            FetchResponseData response = c.roundTrip(ApiKey.FETCH, V, fetch(0, -1, 700, 1, topic(node.topicId("p"),
                    partition(0, 0))));
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(650);
            assertThat(only(response).errorCode()).isZero();
            assertThat(only(response).records().sizeInBytes()).isZero();
        }
    }

    @Test
    void tooLittleDataWaitsForMinBytesUntilTheTimeout() throws Exception {
        try (RawConnection c = new RawConnection(node.port)) {
            long start = System.nanoTime();
            c.send(ApiKey.FETCH, V, 1, fetch(0, -1, 1_500, 100_000, topic(node.topicId("p"), partition(0, 0))));
            writer.schedule(() -> node.append("p", 0, 1, "small"), 200, TimeUnit.MILLISECONDS);
            FetchResponseData response = c.<FetchResponseData>receive(ApiKey.FETCH, V).body();
            // The small append did not satisfy min_bytes; the timeout answers with it.
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(1_400);
            assertThat(values(only(response).records())).containsExactly("small-0");
        }
    }

    @Test
    void enoughDataAnswersAtOnceAndLaterRequestsWaitTheirTurn() throws Exception {
        node.append("p", 0, 1, "ready");
        try (RawConnection c = new RawConnection(node.port)) {
            long start = System.nanoTime();
            FetchResponseData ready = c.roundTrip(ApiKey.FETCH, V, fetch(0, -1, 5_000, 1, topic(node.topicId("p"),
                    partition(0, 0))));
            assertThat(millisSince(start)).isLessThan(2_000);
            assertThat(values(only(ready).records())).containsExactly("ready-0");

            // A waiting fetch holds back the answers to requests pipelined behind it.
            c.send(ApiKey.FETCH, V, 7, fetch(0, -1, 800, 1, topic(node.topicId("p"), partition(0, 1))));
            c.send(ApiKey.API_VERSIONS, (short) 3, 8,
                    new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
            assertThat(c.receive(ApiKey.FETCH, V).correlationId()).isEqualTo(7);
            assertThat(c.receive(ApiKey.API_VERSIONS, (short) 3).correlationId()).isEqualTo(8);
        }
    }

    @Test
    void manyWaitingFetchesAllWake() throws Exception {
        UUID id = node.topicId("p");
        RawConnection[] connections = new RawConnection[20];
        try {
            for (int i = 0; i < connections.length; i++) {
                connections[i] = new RawConnection(node.port);
                connections[i].send(ApiKey.FETCH, V, i, fetch(0, -1, 10_000, 1, topic(id, partition(0, 0))));
            }
            Thread.sleep(200);
            long start = System.nanoTime();
            node.append("p", 0, 1, "all");
            for (RawConnection c : connections) {
                assertThat(values(only(c.<FetchResponseData>receive(ApiKey.FETCH, V).body()).records()))
                        .containsExactly("all-0");
            }
            assertThat(millisSince(start)).isLessThan(5_000);
        } finally {
            for (RawConnection c : connections) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
