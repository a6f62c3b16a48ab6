package io.fjord.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProducerIdBlocksTest {
    /** A store whose reservations complete when the test says so. */
    private final List<CompletableFuture<Long>> requests = new ArrayList<>();
    private long nextBlock = 5000;

    private CompletableFuture<Long> allocate(int size) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        requests.add(future);
        return future;
    }

    private void grant(int request) {
        requests.get(request).complete(nextBlock);
        nextBlock += 10;
    }

    @Test
    void callersWaitForTheFirstBlockThenGetConsecutiveIds() {
        ProducerIdBlocks ids = new ProducerIdBlocks(this::allocate, 10);
        CompletableFuture<Long> a = ids.nextProducerId();
        CompletableFuture<Long> b = ids.nextProducerId();
        assertThat(a).isNotDone();
        assertThat(requests).hasSize(1);
        grant(0);
        assertThat(a).isCompletedWithValue(5000L);
        assertThat(b).isCompletedWithValue(5001L);
        assertThat(ids.nextProducerId()).isCompletedWithValue(5002L);
    }

    @Test
    void theNextBlockIsReservedAtHalfWaySoNobodyWaits() {
        ProducerIdBlocks ids = new ProducerIdBlocks(this::allocate, 10);
        ids.nextProducerId();
        grant(0);
        for (int i = 1; i < 5; i++) {
            assertThat(ids.nextProducerId()).isCompletedWithValue(5000L + i);
        }
        assertThat(requests).hasSize(2);
        grant(1);
        for (int i = 5; i < 10; i++) {
            assertThat(ids.nextProducerId()).isCompletedWithValue(5000L + i);
        }
        // The prefetched block follows without a wait and never overlaps the first.
        assertThat(ids.nextProducerId()).isCompletedWithValue(5010L);
    }

    @Test
    void aFailedReservationFailsTheWaitersAndIsRetriedLater() {
        ProducerIdBlocks ids = new ProducerIdBlocks(this::allocate, 10);
        CompletableFuture<Long> a = ids.nextProducerId();
        requests.get(0).completeExceptionally(new IllegalStateException("disk full"));
        assertThat(a).isCompletedExceptionally();
        CompletableFuture<Long> b = ids.nextProducerId();
        assertThat(requests).hasSize(2);
        grant(1);
        assertThat(b).isCompletedWithValue(5000L);
    }
}
