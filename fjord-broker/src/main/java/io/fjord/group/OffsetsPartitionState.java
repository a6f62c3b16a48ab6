package io.fjord.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What replaying one {@code __consumer_offsets} partition gives: the latest value of every key, with
 * tombstones removing. Used to load a partition and to write its snapshot.
 */
public final class OffsetsPartitionState {
    final Map<String, GroupSnapshot> groups = new LinkedHashMap<>();
    final Map<String, Map<GroupCoordinator.OffsetKey, GroupCoordinator.Committed>> offsets = new HashMap<>();

    public void apply(CoordinatorRecord record) {
        switch (record) {
            case CoordinatorRecord.OffsetCommit c -> {
                GroupCoordinator.OffsetKey key = new GroupCoordinator.OffsetKey(c.topic(), c.partition());
                if (c.value() == null) {
                    Map<GroupCoordinator.OffsetKey, GroupCoordinator.Committed> group = offsets.get(c.groupId());
                    if (group != null) {
                        group.remove(key);
                        if (group.isEmpty()) {
                            offsets.remove(c.groupId());
                        }
                    }
                } else {
                    offsets.computeIfAbsent(c.groupId(), g -> new LinkedHashMap<>()).put(key, c.value());
                }
            }
            case CoordinatorRecord.GroupMetadata g -> {
                if (g.value() == null) {
                    groups.remove(g.groupId());
                } else {
                    groups.put(g.groupId(), g.value());
                }
            }
        }
    }

    public Map<String, GroupSnapshot> groups() {
        return groups;
    }

    public Map<String, Map<GroupCoordinator.OffsetKey, GroupCoordinator.Committed>> offsets() {
        return offsets;
    }

    /** The records that restate this state: each group's metadata, then its offsets. */
    public List<CoordinatorRecord> records() {
        List<CoordinatorRecord> records = new ArrayList<>();
        groups.forEach((id, s) -> records.add(new CoordinatorRecord.GroupMetadata(id, s)));
        offsets.forEach((id, m) -> m.forEach((k, v) ->
                records.add(new CoordinatorRecord.OffsetCommit(id, k.topic(), k.partition(), v))));
        return records;
    }
}
