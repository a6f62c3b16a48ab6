package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.api.RequestContext;
import io.fjord.metadata.ClusterView;
import io.fjord.testing.TestClusters;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.FindCoordinatorRequestData;
import io.fjord.protocol.message.FindCoordinatorResponseData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * FindCoordinator for a group whose {@code __consumer_offsets} partition is still being created or loaded
 * waits (bounded) for it instead of failing at once, so clients with few retries (kafkajs) get an answer.
 */
class FindCoordinatorWaitTest {
    private static final ClusterView CLUSTER = TestClusters.singleNode();

    /** Not available for the first {@code notBefore} looks, then available. */
    private static FindCoordinatorHandler.CoordinatorGate availableAfter(AtomicInteger looks, int notBefore) {
        return groupId -> looks.incrementAndGet() > notBefore ? Errors.NONE : Errors.COORDINATOR_NOT_AVAILABLE;
    }

    private static FindCoordinatorResponseData call(FindCoordinatorHandler handler, int version,
            FindCoordinatorRequestData request) {
        RequestContext context = new RequestContext(ApiKey.FIND_COORDINATOR, (short) version, (short) version, 1,
                "client", "PLAINTEXT", null);
        return (FindCoordinatorResponseData) handler.handle(context, request).join();
    }

    @Test
    void waitsUntilTheCoordinatorIsLoaded() {
        AtomicInteger looks = new AtomicInteger();
        FindCoordinatorHandler handler = new FindCoordinatorHandler(CLUSTER, 1, availableAfter(looks, 3),
                TimeUnit.SECONDS.toNanos(30));
        FindCoordinatorResponseData v3 = call(handler, 3, new FindCoordinatorRequestData().setKey("g"));
        assertThat(v3.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(v3.nodeId()).isEqualTo(1);
        assertThat(looks.get()).isEqualTo(4);

        looks.set(0);
        FindCoordinatorResponseData v4 = call(handler, 4, new FindCoordinatorRequestData().setCoordinatorKeys(List.of("a", "b")));
        assertThat(v4.coordinators()).allMatch(c -> c.errorCode() == Errors.NONE.code() && c.nodeId() == 1);
    }

    @Test
    void answersCoordinatorNotAvailableAtTheDeadline() {
        AtomicInteger looks = new AtomicInteger();
        FindCoordinatorHandler handler = new FindCoordinatorHandler(CLUSTER, 1, availableAfter(looks, 1_000_000),
                TimeUnit.MILLISECONDS.toNanos(100));
        FindCoordinatorResponseData v0 = call(handler, 0, new FindCoordinatorRequestData().setKey("g"));
        assertThat(v0.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(looks.get()).isGreaterThan(1);
    }

    @Test
    void transactionKeysAreAnsweredAtOnce() {
        AtomicInteger looks = new AtomicInteger();
        FindCoordinatorHandler handler = new FindCoordinatorHandler(CLUSTER, 1, availableAfter(looks, 1_000_000),
                TimeUnit.SECONDS.toNanos(30));
        FindCoordinatorResponseData txn = call(handler, 4,
                new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("t")));
        assertThat(txn.coordinators().get(0).errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(looks.get()).isZero();
    }
}
