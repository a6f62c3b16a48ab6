package io.fjord.fetch;

import static io.fjord.fetch.FetchRequests.fetch;
import static io.fjord.fetch.FetchRequests.forget;
import static io.fjord.fetch.FetchRequests.only;
import static io.fjord.fetch.FetchRequests.partition;
import static io.fjord.fetch.FetchRequests.partitions;
import static io.fjord.fetch.FetchRequests.topic;
import static io.fjord.fetch.FetchRequests.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.FetchResponseData.PartitionData;
import io.fjord.server.NodeConfig;
import io.fjord.testing.RawConnection;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental fetch sessions (KIP-227) in raw frames: ids, epochs, changes only, and the session errors. */
class FetchSessionsTest {
    private static final short V = 17;

    @TempDir
    Path dir;

    private static FetchResponseData send(RawConnection c, short version, FetchRequestData request) throws Exception {
        return c.roundTrip(ApiKey.FETCH, version, request);
    }

    @Test
    void aSessionAnswersOnlyWhatChanged() throws Exception {
        try (FetchNode node = FetchNode.start(dir); RawConnection c = new RawConnection(node.port)) {
            node.createTopic("s", 2);
            UUID id = node.topicId("s");
            node.append("s", 0, 5, "a");

            // Epoch 0: a full fetch that opens a session and answers every partition.
            FetchResponseData full = send(c, V, fetch(0, 0, 0, 1, topic(id, partition(0, 0), partition(1, 0))));
            assertThat(full.errorCode()).isZero();
            int session = full.sessionId();
            assertThat(session).isNotZero();
            assertThat(partitions(full)).hasSize(2);
            assertThat(values(partitions(full).get(0).records())).containsExactly("a-0", "a-1", "a-2", "a-3", "a-4");
            assertThat(full.responses().get(0).topicId()).isEqualTo(id);

            // Epoch 1: the client moved partition 0 on; nothing new anywhere, so nothing is answered.
            FetchResponseData quiet = send(c, V, fetch(session, 1, 0, 1, topic(id, partition(0, 5))));
            assertThat(quiet.errorCode()).isZero();
            assertThat(quiet.sessionId()).isEqualTo(session);
            assertThat(partitions(quiet)).isEmpty();

            // Epoch 2: data on partition 1 only; the request names no partition at all.
            node.append("s", 1, 2, "b");
            FetchResponseData changed = send(c, V, fetch(session, 2, 0, 1));
            PartitionData p1 = only(changed);
            assertThat(p1.partitionIndex()).isEqualTo(1);
            assertThat(p1.highWatermark()).isEqualTo(2);
            assertThat(values(p1.records())).containsExactly("b-0", "b-1");

            // The same epoch again: stale.
            FetchResponseData replay = send(c, V, fetch(session, 2, 0, 1));
            assertThat(replay.errorCode()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code());
            assertThat(replay.sessionId()).isZero();
            assertThat(replay.responses()).isEmpty();

            // A session nobody opened.
            FetchResponseData unknown = send(c, V, fetch(session + 1, 3, 0, 1));
            assertThat(unknown.errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());

            // Topic names (v12) in a session opened with topic ids.
            FetchResponseData byName = send(c, (short) 12, fetch(session, 3, 0, 1));
            assertThat(byName.errorCode()).isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR.code());

            // Forget partition 1 (partition 1 moved to offset 2 first): only partition 0 is left in the session.
            FetchRequestData forget = fetch(session, 3, 0, 1, topic(id, partition(1, 2)));
            forget.setForgottenTopicsData(List.of(forget(id, 1)));
            assertThat(partitions(send(c, V, forget))).isEmpty();
            node.append("s", 0, 1, "c");
            node.append("s", 1, 1, "d");
            PartitionData p0 = only(send(c, V, fetch(session, 4, 0, 1)));
            assertThat(p0.partitionIndex()).isZero();
            assertThat(values(p0.records())).containsExactly("c-0");

            // A full fetch with epoch -1 closes the session and is answered without one.
            FetchResponseData closing = send(c, V, fetch(session, -1, 0, 1, topic(id, partition(0, 6))));
            assertThat(closing.sessionId()).isZero();
            assertThat(partitions(closing)).hasSize(1);
            assertThat(send(c, V, fetch(session, 5, 0, 1)).errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
        }
    }

    @Test
    void errorsAndWatermarkMovesAreAlwaysAnswered() throws Exception {
        try (FetchNode node = FetchNode.start(dir); RawConnection c = new RawConnection(node.port)) {
            node.createTopic("w", 1);
            UUID id = node.topicId("w");
            UUID missing = UUID.randomUUID();
            node.append("w", 0, 4, "x");
            FetchResponseData full = send(c, V, fetch(0, 0, 0, 1, topic(id, partition(0, 4)), topic(missing, partition(0, 0))));
            int session = full.sessionId();
            assertThat(partitions(full)).extracting(PartitionData::errorCode)
                    .containsExactly((short) 0, Errors.UNKNOWN_TOPIC_ID.code());

            // Nothing new for w-0; the unknown topic keeps answering its error.
            FetchResponseData next = send(c, V, fetch(session, 1, 0, 1));
            assertThat(only(next).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
            assertThat(next.responses().get(0).topicId()).isEqualTo(missing);

            // A log start offset move is news even without records.
            node.partition("w", 0).log().deleteRecordsBefore(2);
            FetchResponseData moved = send(c, V, fetch(session, 2, 0, 1));
            PartitionData w0 = partitions(moved).stream().filter(p -> p.errorCode() == 0).findFirst().orElseThrow();
            assertThat(w0.logStartOffset()).isEqualTo(2);
            assertThat(w0.records().sizeInBytes()).isZero();
        }
    }

    @Test
    void sessionlessFetchesAndAFullCache() throws Exception {
        try (FetchNode node = FetchNode.start(dir, NodeConfig.MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, "1");
                RawConnection c = new RawConnection(node.port)) {
            node.createTopic("q", 1);
            UUID id = node.topicId("q");
            // Before v7 there are no sessions at all.
            FetchResponseData v6 = send(c, (short) 6, fetch(0, -1, 0, 1, topic("q", partition(0, 0))));
            assertThat(v6.sessionId()).isZero();
            assertThat(only(v6).errorCode()).isZero();

            int first = send(c, V, fetch(0, 0, 0, 1, topic(id, partition(0, 0)))).sessionId();
            assertThat(first).isNotZero();
            // The one slot is taken by a fresh session of the same size: no session for the next client,
            // which keeps fetching in full.
            FetchResponseData second = send(c, V, fetch(0, 0, 0, 1, topic(id, partition(0, 0))));
            assertThat(second.sessionId()).isZero();
            assertThat(only(second).errorCode()).isZero();
            // Epoch 0 naming the first session replaces it.
            int third = send(c, V, fetch(first, 0, 0, 1, topic(id, partition(0, 0)))).sessionId();
            assertThat(third).isNotZero().isNotEqualTo(first);
        }
    }
}
