package io.fjord.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.metadata.ApiException;
import io.fjord.metadata.BrokerRegistration;
import io.fjord.protocol.Errors;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplicaPlacerTest {

    private static BrokerRegistration broker(int id, String rack) {
        return new BrokerRegistration(id, new UUID(0, id), 1, rack, List.of(), false);
    }

    @Test
    void withoutRacksLeadersGoRoundRobinAndFollowersFollowThem() {
        List<BrokerRegistration> brokers = List.of(broker(3, null), broker(1, null), broker(2, null));
        assertThat(ReplicaPlacer.place(brokers, 0, 4, 2, 0, 0))
                .containsExactly(List.of(1, 2), List.of(2, 3), List.of(3, 1), List.of(1, 3));
        // The start offset moves the first leader; the count of leaderships per broker stays even.
        assertThat(ReplicaPlacer.place(brokers, 0, 3, 1, 1, 0)).containsExactly(List.of(2), List.of(3), List.of(1));
    }

    @Test
    void withRacksTheBrokerListAlternatesRacks() {
        List<BrokerRegistration> brokers = List.of(broker(1, "a"), broker(2, "a"), broker(3, "b"), broker(4, "b"), broker(5, "c"));
        assertThat(ReplicaPlacer.rackAlternated(brokers)).extracting(BrokerRegistration::id).containsExactly(1, 3, 5, 2, 4);
        for (List<Integer> replicas : ReplicaPlacer.place(brokers, 0, 10, 3, 7, 3)) {
            assertThat(replicas.stream().map(id -> brokers.get(id - 1).rack()).distinct()).hasSize(3);
        }
    }

    @Test
    void moreReplicasThanBrokersIsKafkasError() {
        assertThatThrownBy(() -> ReplicaPlacer.place(List.of(broker(1, null)), 0, 1, 2, 0, 0))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
                    assertThat(e.error().message()).isEqualTo("Unable to replicate the partition 2 time(s): The target "
                            + "replication factor of 2 cannot be reached because only 1 broker(s) are registered.");
                });
    }
}
