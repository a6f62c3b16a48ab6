package io.fjord.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys and values of {@code __consumer_offsets} records, in Kafka's group-coordinator layout so the
 * topic reads like Kafka's: a key starts with an int16 that says what the record is, a value with an
 * int16 schema version.
 * <ul>
 *   <li>key 0/1 OffsetCommitKey: group, topic, partition; value OffsetCommitValue (written as v3: offset,
 *       leader epoch, metadata, commit timestamp; v0-v4 are read)</li>
 *   <li>key 2 GroupMetadataKey: group; value GroupMetadataValue (written as v3, with members:
 *       id, instance id, client id and host, timeouts, subscription and assignment; v0-v3 are read)</li>
 *   <li>key 3 ConsumerGroupMetadataKey (KIP-848): group; value ConsumerGroupMetadataValue v0
 *       (flexible): the group epoch</li>
 * </ul>
 * A group's deletion is written with key 2 and no value; replaying it removes the group whatever its type.
 */
public final class OffsetsRecordCodec {
    static final short OFFSET_COMMIT_KEY = 1;
    static final short GROUP_METADATA_KEY = 2;
    static final short CONSUMER_GROUP_METADATA_KEY = 3;
    private static final short OFFSET_COMMIT_VALUE_VERSION = 3;
    private static final short GROUP_METADATA_VALUE_VERSION = 3;
    private static final short CONSUMER_GROUP_METADATA_VALUE_VERSION = 0;

    public static final String CLASSIC = "classic";
    public static final String CONSUMER = "consumer";

    /** A key this code does not understand: the loader skips the record. */
    public static final class UnknownRecordException extends RuntimeException {
        UnknownRecordException(String message) {
            super(message);
        }
    }

    private OffsetsRecordCodec() {}

    public static byte[] key(CoordinatorRecord record) {
        Writer w = new Writer();
        switch (record) {
            case CoordinatorRecord.OffsetCommit c -> {
                w.int16(OFFSET_COMMIT_KEY).string(c.groupId()).string(c.topic()).int32(c.partition());
            }
            case CoordinatorRecord.GroupMetadata g -> {
                boolean consumer = g.value() != null && CONSUMER.equals(g.value().groupType());
                w.int16(consumer ? CONSUMER_GROUP_METADATA_KEY : GROUP_METADATA_KEY).string(g.groupId());
            }
        }
        return w.bytes();
    }

    /** Null for a tombstone. */
    public static byte[] value(CoordinatorRecord record) {
        Writer w = new Writer();
        switch (record) {
            case CoordinatorRecord.OffsetCommit c -> {
                if (c.value() == null) {
                    return null;
                }
                GroupCoordinator.Committed v = c.value();
                if (v.expireTimestampMs() >= 0) {
                    // As Kafka: only v1 has an expire timestamp (and no leader epoch).
                    w.int16((short) 1).int64(v.offset()).string(v.metadata() == null ? "" : v.metadata())
                            .int64(v.commitTimestampMs()).int64(v.expireTimestampMs());
                    break;
                }
                w.int16(OFFSET_COMMIT_VALUE_VERSION).int64(v.offset()).int32(v.leaderEpoch())
                        .string(v.metadata() == null ? "" : v.metadata()).int64(v.commitTimestampMs());
            }
            case CoordinatorRecord.GroupMetadata g -> {
                GroupSnapshot s = g.value();
                if (s == null) {
                    return null;
                }
                if (CONSUMER.equals(s.groupType())) {
                    // Epoch, then an empty tagged-field section (the value is a flexible version).
                    w.int16(CONSUMER_GROUP_METADATA_VALUE_VERSION).int32(s.generationId()).varint(0);
                } else {
                    w.int16(GROUP_METADATA_VALUE_VERSION).string(s.protocolType() == null ? "" : s.protocolType())
                            .int32(s.generationId()).string(s.protocolName()).string(s.leaderId())
                            .int64(s.stateTimestampMs()).int32(s.members().size());
                    for (GroupSnapshot.Member m : s.members()) {
                        w.string(m.memberId()).string(m.groupInstanceId()).string(m.clientId())
                                .string(m.clientHost() == null ? "" : m.clientHost())
                                .int32(m.rebalanceTimeoutMs()).int32(m.sessionTimeoutMs())
                                .bytes(m.subscription()).bytes(m.assignment());
                    }
                }
            }
        }
        return w.bytes();
    }

    /**
     * The record that {@code key} and {@code value} (null: tombstone) encode.
     *
     * @throws UnknownRecordException for a key or value version this code does not know
     * @throws java.nio.BufferUnderflowException or IllegalArgumentException for damaged bytes
     */
    public static CoordinatorRecord decode(ByteBuffer key, ByteBuffer value) {
        if (key == null) {
            throw new UnknownRecordException("record without a key");
        }
        Reader k = new Reader(key.slice());
        short keyVersion = k.int16();
        switch (keyVersion) {
            case 0, OFFSET_COMMIT_KEY -> {
                String group = k.string();
                String topic = k.string();
                int partition = k.int32();
                return new CoordinatorRecord.OffsetCommit(group, topic, partition,
                        value == null ? null : offsetCommitValue(new Reader(value.slice())));
            }
            case GROUP_METADATA_KEY -> {
                String group = k.string();
                return new CoordinatorRecord.GroupMetadata(group,
                        value == null ? null : groupMetadataValue(new Reader(value.slice())));
            }
            case CONSUMER_GROUP_METADATA_KEY -> {
                String group = k.string();
                if (value == null) {
                    return new CoordinatorRecord.GroupMetadata(group, null);
                }
                Reader v = new Reader(value.slice());
                short version = v.int16();
                if (version < 0) {
                    throw new UnknownRecordException("ConsumerGroupMetadataValue version " + version);
                }
                int epoch = v.int32();
                return new CoordinatorRecord.GroupMetadata(group, new GroupSnapshot(CONSUMER, CONSUMER, epoch, null, null, -1));
            }
            default -> throw new UnknownRecordException("key version " + keyVersion);
        }
    }

    private static GroupCoordinator.Committed offsetCommitValue(Reader v) {
        short version = v.int16();
        long offset = v.int64();
        int leaderEpoch = -1;
        String metadata;
        long commitTimestamp;
        long expireTimestamp = -1;
        switch (version) {
            case 0, 2 -> {
                metadata = v.string();
                commitTimestamp = v.int64();
            }
            case 1 -> {
                metadata = v.string();
                commitTimestamp = v.int64();
                // Written for an OffsetCommit v2-4 with its own retention_time_ms: expires then.
                expireTimestamp = v.int64();
            }
            case 3 -> {
                leaderEpoch = v.int32();
                metadata = v.string();
                commitTimestamp = v.int64();
            }
            case 4 -> {
                leaderEpoch = v.int32();
                metadata = v.compactString();
                commitTimestamp = v.int64();
            }
            default -> throw new UnknownRecordException("OffsetCommitValue version " + version);
        }
        return new GroupCoordinator.Committed(offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp);
    }

    private static GroupSnapshot groupMetadataValue(Reader v) {
        short version = v.int16();
        if (version < 0 || version > 3) {
            throw new UnknownRecordException("GroupMetadataValue version " + version);
        }
        String protocolType = v.string();
        int generation = v.int32();
        String protocolName = v.string();
        String leader = v.string();
        long stateTimestamp = version >= 2 ? v.int64() : -1;
        int count = v.int32();
        if (count < 0) {
            throw new IllegalArgumentException("members array of " + count);
        }
        java.util.List<GroupSnapshot.Member> members = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String memberId = v.string();
            String instanceId = version >= 3 ? v.string() : null;
            String clientId = v.string();
            String clientHost = v.string();
            int rebalanceTimeout = version >= 1 ? v.int32() : -1;
            int sessionTimeout = v.int32();
            byte[] subscription = v.bytes();
            byte[] assignment = v.bytes();
            // v0 has no rebalance timeout: Kafka uses the session timeout in its place.
            members.add(new GroupSnapshot.Member(memberId, instanceId, clientId, clientHost,
                    version >= 1 ? rebalanceTimeout : sessionTimeout, sessionTimeout, subscription, assignment));
        }
        return new GroupSnapshot(CLASSIC, protocolType, generation, protocolName, leader, stateTimestamp, members);
    }

    private static final class Writer {
        private byte[] buf = new byte[64];
        private int n;

        private void ensure(int more) {
            if (n + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
            }
        }

        Writer int16(int v) {
            ensure(2);
            buf[n++] = (byte) (v >>> 8);
            buf[n++] = (byte) v;
            return this;
        }

        Writer int32(int v) {
            ensure(4);
            for (int s = 24; s >= 0; s -= 8) {
                buf[n++] = (byte) (v >>> s);
            }
            return this;
        }

        Writer int64(long v) {
            ensure(8);
            for (int s = 56; s >= 0; s -= 8) {
                buf[n++] = (byte) (v >>> s);
            }
            return this;
        }

        Writer varint(int v) {
            ensure(5);
            while ((v & ~0x7f) != 0) {
                buf[n++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            buf[n++] = (byte) v;
            return this;
        }

        /** int16 length then UTF-8; -1 for null. */
        Writer string(String s) {
            if (s == null) {
                return int16(-1);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int16(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
            return this;
        }

        /** int32 length then the bytes. */
        Writer bytes(byte[] v) {
            int32(v.length);
            ensure(v.length);
            System.arraycopy(v, 0, buf, n, v.length);
            n += v.length;
            return this;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(buf, n);
        }
    }

    private static final class Reader {
        private final ByteBuffer b;

        Reader(ByteBuffer b) {
            this.b = b;
        }

        short int16() {
            return b.getShort();
        }

        int int32() {
            return b.getInt();
        }

        long int64() {
            return b.getLong();
        }

        String string() {
            int len = b.getShort();
            if (len < 0) {
                return null;
            }
            return text(len);
        }

        String compactString() {
            int len = unsignedVarint() - 1;
            return len < 0 ? null : text(len);
        }

        private String text(int len) {
            if (len > b.remaining()) {
                throw new IllegalArgumentException("string of " + len + " bytes, " + b.remaining() + " left");
            }
            byte[] s = new byte[len];
            b.get(s);
            return new String(s, StandardCharsets.UTF_8);
        }

        /** int32 length then the bytes; -1 (null) reads as empty. */
        byte[] bytes() {
            int len = b.getInt();
            if (len <= 0) {
                return new byte[0];
            }
            if (len > b.remaining()) {
                throw new IllegalArgumentException("bytes of " + len + ", " + b.remaining() + " left");
            }
            byte[] out = new byte[len];
            b.get(out);
            return out;
        }

        private int unsignedVarint() {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                byte x = b.get();
                value |= (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }
    }
}
