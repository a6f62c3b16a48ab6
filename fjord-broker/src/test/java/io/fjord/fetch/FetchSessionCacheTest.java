package io.fjord.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Slots and Kafka's eviction rule for incremental fetch sessions. */
class FetchSessionCacheTest {
    private static final long EVICTION_MS = 1_000;
    private final AtomicLong now = new AtomicLong(10_000);
    private final FetchSessionCache cache = new FetchSessionCache(2, EVICTION_MS, now::get);

    private int create(boolean privileged, int partitions) {
        return cache.maybeCreate(privileged, true, partitions, () -> {
            LinkedHashMap<FetchKey, CachedPartition> map = new LinkedHashMap<>();
            for (int p = 0; p < partitions; p++) {
                map.put(FetchKey.byName("t", p), new CachedPartition(new PartitionRequest(0, 1, -1, -1, -1)));
            }
            return map;
        });
    }

    @Test
    void freshSessionsKeepTheirSlotsAgainstConsumers() {
        int a = create(false, 1);
        int b = create(false, 1);
        assertThat(a).isNotZero();
        assertThat(b).isNotZero().isNotEqualTo(a);
        assertThat(create(false, 100)).as("no slot, nothing evictable").isZero();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aStaleSessionMakesRoom() {
        int a = create(false, 5);
        now.addAndGet(500);
        int b = create(false, 5);
        now.addAndGet(EVICTION_MS);
        // a was last used 1.5 s ago: stale; b only 1 s ago: not (strictly longer than the eviction time).
        int c = create(false, 1);
        assertThat(c).isNotZero();
        assertThat(cache.get(a)).isNull();
        assertThat(cache.get(b)).isNotNull();
    }

    @Test
    void followersMayEvictFreshConsumerSessions() {
        create(false, 3);
        create(false, 3);
        assertThat(create(true, 1)).isNotZero();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aBiggerSessionEvictsASmallerOneOnceThatIsNoLongerNew() {
        int small = create(false, 2);
        int other = create(false, 8);
        now.addAndGet(EVICTION_MS + 1);
        // Both in use (touched now), but old enough to be evictable by anyone.
        cache.touch(cache.get(small), now.get());
        cache.touch(cache.get(other), now.get());
        assertThat(create(false, 1)).as("worth less than either").isZero();
        int big = create(false, 3);
        assertThat(big).isNotZero();
        assertThat(cache.get(small)).isNull();
        assertThat(cache.get(other)).isNotNull();
    }

    @Test
    void noSlotsMeansNoSessions() {
        FetchSessionCache none = new FetchSessionCache(0, EVICTION_MS, now::get);
        assertThat(none.maybeCreate(true, true, 1, LinkedHashMap::new)).isZero();
    }

    @Test
    void epochsWrapToOneNeverZero() {
        assertThat(FetchSession.nextEpoch(0)).isEqualTo(1);
        assertThat(FetchSession.nextEpoch(41)).isEqualTo(42);
        assertThat(FetchSession.nextEpoch(Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(FetchSession.nextEpoch(-1)).isEqualTo(-1);
    }
}
