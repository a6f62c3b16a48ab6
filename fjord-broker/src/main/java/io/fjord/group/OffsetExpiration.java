package io.fjord.group;

import io.fjord.group.GroupCoordinator.Committed;
import io.fjord.group.GroupCoordinator.OffsetKey;
import io.fjord.group.consumer.ConsumerGroup;
import io.fjord.group.consumer.ConsumerGroupState;
import io.fjord.group.consumer.ConsumerGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offset retention ({@code offsets.retention.minutes}) over the coordinator's state. Runs only on the
 * coordinator thread, which owns every map it is given.
 */
final class OffsetExpiration {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetExpiration.class);

    private final CoordinatorLog log;
    private final Map<String, ClassicGroup> groups;
    private final ConsumerGroups consumerGroups;
    private final Map<String, Map<OffsetKey, Committed>> offsets;
    private final Map<String, Long> emptySince;

    OffsetExpiration(CoordinatorLog log, Map<String, ClassicGroup> groups, ConsumerGroups consumerGroups,
            Map<String, Map<OffsetKey, Committed>> offsets, Map<String, Long> emptySince) {
        this.log = log;
        this.groups = groups;
        this.consumerGroups = consumerGroups;
        this.offsets = offsets;
        this.emptySince = emptySince;
    }

    /**
     * Offset retention as Kafka 4.x runs it, on the coordinator thread. Per group, an expiration base
     * (Kafka's OffsetExpirationCondition): a classic group with a protocol type that is Empty counts
     * from when it became Empty (KIP-211), so its offsets go together; a classic consumer-protocol
     * group that is Stable, a group without protocol type (standalone commits) and a KIP-848 consumer
     * group count from each offset's commit time. Other classic groups keep their offsets. Offsets of
     * topics a member still subscribes to never expire. Expired offsets get tombstones; an empty group
     * whose offsets are all gone (or that has none) is removed with a group tombstone. Returns the
     * offsets removed.
     */
    int expireOffsets(long nowMs, long retentionMs) {
        int removed = 0;
        for (ClassicGroup g : List.copyOf(groups.values())) {
            String groupId = g.groupId();
            ToLongFunction<Committed> base;
            if (g.protocolType() == null) {
                base = Committed::commitTimestampMs;
            } else if (g.state() == GroupState.EMPTY) {
                long since = emptySince.getOrDefault(groupId, nowMs);
                emptySince.putIfAbsent(groupId, since);
                base = c -> since;
            } else if (g.state() == GroupState.STABLE
                    && ConsumerSubscriptions.CONSUMER_PROTOCOL_TYPE.equals(g.protocolType())) {
                base = Committed::commitTimestampMs;
            } else {
                continue;
            }
            boolean empty = g.state() == GroupState.EMPTY;
            removed += expireGroupOffsets(groupId, nowMs, retentionMs, base, g::isSubscribedToTopic, empty, () -> {
                CompletableFuture<Void> stored = log.append(groupId, List.of(new CoordinatorRecord.GroupMetadata(groupId, null)));
                if (stored.isDone() && !stored.isCompletedExceptionally()) {
                    g.markDead();
                    groups.remove(groupId);
                    emptySince.remove(groupId);
                }
                return stored;
            });
        }
        for (ConsumerGroup cg : List.copyOf(consumerGroups.all())) {
            String groupId = cg.groupId();
            // KIP-848 groups have no "empty since": each offset counts from its commit.
            removed += expireGroupOffsets(groupId, nowMs, retentionMs, Committed::commitTimestampMs,
                    cg::isSubscribedToTopic, cg.state() == ConsumerGroupState.EMPTY, () -> consumerGroups.delete(groupId));
        }
        return removed;
    }

    /**
     * Expires one group's offsets: tombstones for every offset of an unsubscribed topic whose base is
     * {@code retentionMs} old, then, if the group is empty and nothing is left, the group is dropped
     * ({@code drop} writes or adds the group tombstone). Memory follows the log only once it is stored.
     */
    private int expireGroupOffsets(String groupId, long nowMs, long retentionMs,
            ToLongFunction<Committed> base, Predicate<String> subscribed,
            boolean empty, Supplier<CompletableFuture<Void>> drop) {
        Map<OffsetKey, Committed> committed = offsets.getOrDefault(groupId, Map.of());
        List<OffsetKey> expired = new ArrayList<>();
        committed.forEach((k, c) -> {
            if (!subscribed.test(k.topic()) && c.isExpired(nowMs, base.applyAsLong(c), retentionMs)) {
                expired.add(k);
            }
        });
        boolean dropGroup = empty && expired.size() == committed.size();
        if (expired.isEmpty() && !dropGroup) {
            return 0;
        }
        if (!expired.isEmpty()) {
            List<CoordinatorRecord> tombstones = new ArrayList<>();
            for (OffsetKey k : expired) {
                tombstones.add(new CoordinatorRecord.OffsetCommit(groupId, k.topic(), k.partition(), null));
            }
            // Appends complete on the calling thread here (the partition write is synchronous); apply only if stored.
            CompletableFuture<Void> stored = log.append(groupId, tombstones);
            if (stored.isCompletedExceptionally() || !stored.isDone()) {
                return 0;
            }
            expired.forEach(committed::remove);
            if (committed.isEmpty()) {
                offsets.remove(groupId);
            }
        }
        if (dropGroup) {
            CompletableFuture<Void> gone = drop.get();
            if (gone.isDone() && !gone.isCompletedExceptionally()) {
                LOG.info("Removed empty group {} ({} expired offset(s))", groupId, expired.size());
            } else {
                LOG.warn("Cannot remove empty group {} now; retried at the next retention check", groupId);
            }
        } else {
            LOG.info("Expired {} offset(s) of group {}", expired.size(), groupId);
        }
        return expired.size();
    }

}
