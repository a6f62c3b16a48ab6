package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.protocol.Errors;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group APIs while the group's __consumer_offsets partition is missing or loading. */
class CoordinatorAvailabilityTest {
    private final GroupCoordinator coordinator = new GroupCoordinator(GroupSettings.defaults());
    private volatile Errors state = Errors.COORDINATOR_LOAD_IN_PROGRESS;

    @AfterEach
    void close() {
        coordinator.close();
    }

    @Test
    void groupApisAnswerTheCoordinatorErrorUntilThePartitionIsServed() throws Exception {
        coordinator.setAvailability(groupId -> state);
        var commit = Map.of(new GroupCoordinator.OffsetKey("t", 0), new GroupCoordinator.Committed(1, -1, "", 1));
        assertThat(coordinator.commit("g", "", null, -1, commit).get(5, TimeUnit.SECONDS))
                .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(coordinator.heartbeat("g", "m", null, 1).get(5, TimeUnit.SECONDS))
                .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        state = Errors.COORDINATOR_NOT_AVAILABLE;
        assertThat(coordinator.sync("g", "m", null, 1, "consumer", "range", Map.of()).get(5, TimeUnit.SECONDS).error())
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThatThrownBy(() -> coordinator.leave("g", List.of(new GroupCoordinator.Leaving("m", null)))
                .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        state = Errors.NONE;
        // Nothing was applied while unavailable.
        assertThat(coordinator.fetchOffsets("g", null).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(coordinator.commit("g", "", null, -1, commit).get(5, TimeUnit.SECONDS)).isEqualTo(Errors.NONE);
        assertThat(coordinator.fetchOffsets("g", null).get(5, TimeUnit.SECONDS)).hasSize(1);
    }

    /**
     * Reads of a group whose partition is not loaded answer the coordinator's error, as Kafka does, not
     * the empty memory (offset -1, a DEAD group, GROUP_ID_NOT_FOUND) that would mislead a consumer.
     */
    @Test
    void readsAnswerTheCoordinatorErrorWhileThePartitionIsNotLoaded() throws Exception {
        coordinator.setAvailability(groupId -> state);
        for (Errors error : List.of(Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.COORDINATOR_NOT_AVAILABLE)) {
            state = error;
            assertThat(GroupErrors.of(failure(coordinator.fetchOffsets("g", null)))).isEqualTo(error);
            assertThat(GroupErrors.of(failure(coordinator.describe("g")))).isEqualTo(error);
            GroupCoordinator.ConsumerGroupLookup lookup = coordinator.lookUpConsumerGroups(List.of("g"))
                    .get(5, TimeUnit.SECONDS);
            assertThat(lookup.unavailable()).containsExactly(Map.entry("g", error));
            assertThat(lookup.found()).isEmpty();
        }
        state = Errors.NONE;
        assertThat(coordinator.describe("g").get(5, TimeUnit.SECONDS)).isNull();
        assertThat(coordinator.lookUpConsumerGroups(List.of("g")).get(5, TimeUnit.SECONDS).unavailable()).isEmpty();
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> future) {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }
}
