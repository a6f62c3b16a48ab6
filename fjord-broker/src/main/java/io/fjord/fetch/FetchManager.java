package io.fjord.fetch;

import io.fjord.protocol.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a fetch request's session id and epoch into a {@link FetchContext}, as Kafka's FetchManager
 * does (KIP-227):
 * <ul>
 *   <li>epoch 0: a full fetch; any session named is closed and a new one is opened for the answer;
 *   <li>epoch -1: a full fetch without a session (any session named is closed);
 *   <li>epoch &gt; 0: an incremental fetch of the session named, which must exist
 *       (FETCH_SESSION_ID_NOT_FOUND), expect exactly this epoch (INVALID_FETCH_SESSION_EPOCH) and name
 *       topics the way it started, by id from v13 or by name before (FETCH_SESSION_TOPIC_ID_ERROR).
 * </ul>
 */
final class FetchManager {
    static final int INITIAL_EPOCH = 0;
    static final int FINAL_EPOCH = -1;

    private final FetchSessionCache cache;

    FetchManager(FetchSessionCache cache) {
        this.cache = cache;
    }

    FetchContext newContext(short version, int sessionId, int epoch, boolean fromFollower,
            LinkedHashMap<FetchKey, PartitionRequest> fetchData, List<FetchKey> toForget) {
        if (epoch == INITIAL_EPOCH || epoch == FINAL_EPOCH) {
            if (sessionId != FetchSessionCache.INVALID_SESSION_ID) {
                cache.remove(sessionId);
            }
            return epoch == FINAL_EPOCH
                    ? new FetchContext.Sessionless(fetchData)
                    : new FetchContext.Full(cache, fetchData, version >= 13, fromFollower);
        }
        boolean requestUsesTopicIds = version >= 13;
        synchronized (cache) {
            FetchSession session = cache.get(sessionId);
            if (session == null) {
                return new FetchContext.SessionError(Errors.FETCH_SESSION_ID_NOT_FOUND);
            }
            synchronized (session) {
                if (session.epoch != epoch) {
                    return new FetchContext.SessionError(Errors.INVALID_FETCH_SESSION_EPOCH);
                }
                if (session.usesTopicIds != requestUsesTopicIds) {
                    return new FetchContext.SessionError(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
                }
                for (Map.Entry<FetchKey, PartitionRequest> e : fetchData.entrySet()) {
                    CachedPartition cached = session.partitions.get(e.getKey());
                    if (cached == null) {
                        session.partitions.put(e.getKey(), new CachedPartition(e.getValue()));
                    } else {
                        cached.update(e.getValue());
                    }
                }
                for (FetchKey key : toForget) {
                    session.partitions.remove(key);
                }
                if (session.partitions.isEmpty()) {
                    // Nothing left to fetch: the session is over, and this request answers like a sessionless one.
                    cache.remove(session.id);
                    return new FetchContext.Sessionless(fetchData);
                }
                cache.touch(session, cache.nowMs());
                session.epoch = FetchSession.nextEpoch(session.epoch);
                return new FetchContext.Incremental(session);
            }
        }
    }
}
