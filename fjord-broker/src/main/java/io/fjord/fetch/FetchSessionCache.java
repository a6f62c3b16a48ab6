package io.fjord.fetch;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The broker's incremental fetch sessions, at most {@code max.incremental.fetch.session.cache.slots}
 * of them, with Kafka's eviction rule: a new session may take the slot of one unused for longer than
 * the eviction time, or else of the least valuable evictable one (not privileged, fewest partitions)
 * when the new one is worth more. Sessions younger than the eviction time are evictable only by
 * privileged (follower) sessions, so a flood of consumers cannot churn each other out.
 *
 * <p>All methods are synchronized; a session's own lock may be taken inside this one, never the
 * other way round.
 */
public final class FetchSessionCache {
    /** Kafka's value (it is not configurable there either). */
    public static final long DEFAULT_EVICTION_MS = 120_000;
    public static final int DEFAULT_MAX_SLOTS = 1000;
    /** The session id that means "no session". */
    static final int INVALID_SESSION_ID = 0;

    private record LastUsedKey(long lastUsedMs, int id) {
    }

    private record EvictableKey(boolean privileged, int size, int id) {
    }

    private static final Comparator<LastUsedKey> BY_LAST_USED =
            Comparator.comparingLong(LastUsedKey::lastUsedMs).thenComparingInt(LastUsedKey::id);
    private static final Comparator<EvictableKey> BY_VALUE = Comparator.comparing(EvictableKey::privileged)
            .thenComparingInt(EvictableKey::size).thenComparingInt(EvictableKey::id);

    private final int maxSlots;
    private final long evictionMs;
    private final LongSupplier clock;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    private final TreeMap<LastUsedKey, FetchSession> lastUsed = new TreeMap<>(BY_LAST_USED);
    /** Sessions any new session may evict when worth more. */
    private final TreeMap<EvictableKey, FetchSession> evictableByAll = new TreeMap<>(BY_VALUE);
    /** Sessions a new privileged session may evict when worth more. */
    private final TreeMap<EvictableKey, FetchSession> evictableByPrivileged = new TreeMap<>(BY_VALUE);

    public FetchSessionCache(int maxSlots) {
        this(maxSlots, DEFAULT_EVICTION_MS, System::currentTimeMillis);
    }

    FetchSessionCache(int maxSlots, long evictionMs, LongSupplier clock) {
        if (maxSlots < 0) {
            throw new IllegalArgumentException("max.incremental.fetch.session.cache.slots must not be negative: " + maxSlots);
        }
        this.maxSlots = maxSlots;
        this.evictionMs = evictionMs;
        this.clock = clock;
    }

    long nowMs() {
        return clock.getAsLong();
    }

    synchronized int size() {
        return sessions.size();
    }

    synchronized FetchSession get(int id) {
        return sessions.get(id);
    }

    /**
     * Creates a session if there is a free slot or one can be evicted, and returns its id; returns
     * {@link #INVALID_SESSION_ID} otherwise (the client then keeps making full fetches).
     */
    synchronized int maybeCreate(boolean privileged, boolean usesTopicIds, int size,
            Supplier<LinkedHashMap<FetchKey, CachedPartition>> partitions) {
        long now = clock.getAsLong();
        if (sessions.size() >= maxSlots && !tryEvict(privileged, new EvictableKey(privileged, size, 0), now)) {
            return INVALID_SESSION_ID;
        }
        FetchSession session = new FetchSession(newId(), privileged, usesTopicIds, now, partitions.get());
        sessions.put(session.id, session);
        touch(session, now);
        return session.id;
    }

    private int newId() {
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        return id;
    }

    private boolean tryEvict(boolean privileged, EvictableKey candidate, long now) {
        Map.Entry<LastUsedKey, FetchSession> stalest = lastUsed.firstEntry();
        if (stalest == null) {
            return false; // no slots at all
        }
        if (now - stalest.getKey().lastUsedMs() > evictionMs) {
            remove(stalest.getValue());
            return true;
        }
        TreeMap<EvictableKey, FetchSession> evictable = privileged ? evictableByPrivileged : evictableByAll;
        Map.Entry<EvictableKey, FetchSession> cheapest = evictable.firstEntry();
        if (cheapest == null || BY_VALUE.compare(candidate, cheapest.getKey()) < 0) {
            return false;
        }
        remove(cheapest.getValue());
        return true;
    }

    synchronized void remove(int id) {
        FetchSession session = sessions.get(id);
        if (session != null) {
            remove(session);
        }
    }

    private void remove(FetchSession session) {
        lastUsed.remove(new LastUsedKey(session.lastUsedMs, session.id));
        EvictableKey key = new EvictableKey(session.privileged, session.cachedSize, session.id);
        evictableByAll.remove(key);
        evictableByPrivileged.remove(key);
        sessions.remove(session.id);
        session.cachedSize = -1;
    }

    /** Marks {@code session} used now and refiles it under its current size. */
    synchronized void touch(FetchSession session, long now) {
        lastUsed.remove(new LastUsedKey(session.lastUsedMs, session.id));
        session.lastUsedMs = now;
        lastUsed.put(new LastUsedKey(now, session.id), session);
        if (session.cachedSize != -1) {
            EvictableKey old = new EvictableKey(session.privileged, session.cachedSize, session.id);
            evictableByAll.remove(old);
            evictableByPrivileged.remove(old);
        }
        session.cachedSize = session.size();
        EvictableKey key = new EvictableKey(session.privileged, session.cachedSize, session.id);
        boolean old = now - session.creationMs > evictionMs;
        if (!session.privileged || old) {
            evictableByPrivileged.put(key, session);
        }
        if (old) {
            evictableByAll.put(key, session);
        }
    }
}
