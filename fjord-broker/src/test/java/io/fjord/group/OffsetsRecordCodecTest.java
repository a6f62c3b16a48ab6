package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OffsetsRecordCodecTest {

    private static CoordinatorRecord roundTrip(CoordinatorRecord record) {
        byte[] value = OffsetsRecordCodec.value(record);
        return OffsetsRecordCodec.decode(ByteBuffer.wrap(OffsetsRecordCodec.key(record)),
                value == null ? null : ByteBuffer.wrap(value));
    }

    @Test
    void offsetCommitRoundTripsWithKafkasKeyLayout() {
        var commit = new CoordinatorRecord.OffsetCommit("g", "t", 3,
                new GroupCoordinator.Committed(42, 7, "meta", 1_700_000_000_000L));
        assertThat(roundTrip(commit)).isEqualTo(commit);
        // Key v1: int16 1, then group, topic (int16-length strings), partition.
        ByteBuffer key = ByteBuffer.wrap(OffsetsRecordCodec.key(commit));
        assertThat(key.getShort()).isEqualTo((short) 1);
        assertThat(key.getShort()).isEqualTo((short) 1);
        assertThat(key.get()).isEqualTo((byte) 'g');
        // Value v3: offset, leader epoch, metadata, commit timestamp.
        ByteBuffer value = ByteBuffer.wrap(OffsetsRecordCodec.value(commit));
        assertThat(value.getShort()).isEqualTo((short) 3);
        assertThat(value.getLong()).isEqualTo(42);
        assertThat(value.getInt()).isEqualTo(7);
    }

    @Test
    void tombstonesRoundTrip() {
        var offset = new CoordinatorRecord.OffsetCommit("g", "t", 0, null);
        assertThat(OffsetsRecordCodec.value(offset)).isNull();
        assertThat(roundTrip(offset)).isEqualTo(offset);
        var group = new CoordinatorRecord.GroupMetadata("g", null);
        assertThat(roundTrip(group)).isEqualTo(group);
    }

    @Test
    void classicGroupMetadataRoundTrips() {
        var stable = new CoordinatorRecord.GroupMetadata("g",
                new GroupSnapshot("classic", "consumer", 5, "range", "member-1", 123L));
        assertThat(roundTrip(stable)).isEqualTo(stable);
        var empty = new CoordinatorRecord.GroupMetadata("g", new GroupSnapshot("classic", "consumer", 6, null, null, 456L));
        assertThat(roundTrip(empty)).isEqualTo(empty);
        assertThat(ByteBuffer.wrap(OffsetsRecordCodec.key(empty)).getShort()).isEqualTo((short) 2);
    }

    @Test
    void consumerGroupMetadataRoundTripsUnderKeyThree() {
        var consumer = new CoordinatorRecord.GroupMetadata("cg", new GroupSnapshot("consumer", "consumer", 9, null, null, -1));
        assertThat(roundTrip(consumer)).isEqualTo(consumer);
        assertThat(ByteBuffer.wrap(OffsetsRecordCodec.key(consumer)).getShort()).isEqualTo((short) 3);
    }

    @Test
    void readsOlderOffsetCommitValueVersions() {
        // v1: offset, metadata, commit timestamp, expire timestamp.
        ByteBuffer v1 = ByteBuffer.allocate(2 + 8 + 2 + 1 + 8 + 8);
        v1.putShort((short) 1).putLong(10).putShort((short) 1).put((byte) 'm').putLong(99).putLong(1000).flip();
        var key = new CoordinatorRecord.OffsetCommit("g", "t", 1, null);
        CoordinatorRecord decoded = OffsetsRecordCodec.decode(ByteBuffer.wrap(OffsetsRecordCodec.key(key)), v1);
        assertThat(decoded).isEqualTo(new CoordinatorRecord.OffsetCommit("g", "t", 1,
                new GroupCoordinator.Committed(10, -1, "m", 99, 1000)));
    }

    @Test
    void aCommitWithItsOwnExpiryIsWrittenAsValueVersionOneAsKafkaDoes() {
        var commit = new CoordinatorRecord.OffsetCommit("g", "t", 1, new GroupCoordinator.Committed(10, -1, "m", 99, 5000));
        assertThat(ByteBuffer.wrap(OffsetsRecordCodec.value(commit)).getShort()).isEqualTo((short) 1);
        assertThat(roundTrip(commit)).isEqualTo(commit);
        var plain = new CoordinatorRecord.OffsetCommit("g", "t", 1, new GroupCoordinator.Committed(10, 3, "m", 99));
        assertThat(ByteBuffer.wrap(OffsetsRecordCodec.value(plain)).getShort()).isEqualTo((short) 3);
        assertThat(roundTrip(plain)).isEqualTo(plain);
    }

    @Test
    void unknownKeyVersionIsReportedAsUnknown() {
        ByteBuffer key = ByteBuffer.allocate(2 + 2 + 1).putShort((short) 9).putShort((short) 1).put((byte) 'g').flip();
        assertThatThrownBy(() -> OffsetsRecordCodec.decode(key, ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(OffsetsRecordCodec.UnknownRecordException.class).hasMessageContaining("key version 9");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void classicGroupMembersRoundTripAsGroupMetadataValueV3() {
        var members = java.util.List.of(
                new GroupSnapshot.Member("m1", null, "client-1", "/10.0.0.1", 300_000, 45_000, b("sub-1"), b("assign-1")),
                new GroupSnapshot.Member("m2", "instance-2", "client-2", "/10.0.0.2", 60_000, 10_000, b("sub-2"), new byte[0]));
        var stable = new CoordinatorRecord.GroupMetadata("g",
                new GroupSnapshot("classic", "consumer", 8, "range", "m1", 777L, members));
        CoordinatorRecord decoded = roundTrip(stable);
        assertThat(decoded).isEqualTo(stable);
        assertThat(((CoordinatorRecord.GroupMetadata) decoded).value().members()).containsExactlyElementsOf(members);
        // Kafka's layout: after the current-state timestamp, an int32 count, then member id, instance id,
        // client id, client host, rebalance timeout, session timeout, subscription and assignment.
        ByteBuffer value = ByteBuffer.wrap(OffsetsRecordCodec.value(stable));
        assertThat(value.getShort()).isEqualTo((short) 3);
        skipString(value); // protocol type
        assertThat(value.getInt()).isEqualTo(8);
        skipString(value); // protocol
        skipString(value); // leader
        assertThat(value.getLong()).isEqualTo(777L);
        assertThat(value.getInt()).isEqualTo(2);
        skipString(value); // m1
        assertThat(value.getShort()).isEqualTo((short) -1); // no instance id
        skipString(value);
        skipString(value);
        assertThat(value.getInt()).isEqualTo(300_000);
        assertThat(value.getInt()).isEqualTo(45_000);
        assertThat(value.getInt()).isEqualTo(5);
    }

    private static void skipString(ByteBuffer b) {
        int len = b.getShort();
        b.position(b.position() + Math.max(len, 0));
    }

    private static void putString(ByteBuffer b, String s) {
        b.putShort((short) s.length()).put(b(s));
    }

    @Test
    void readsMembersOfOlderGroupMetadataValueVersions() {
        var key = ByteBuffer.wrap(OffsetsRecordCodec.key(new CoordinatorRecord.GroupMetadata("g", null)));
        // v0: no current-state timestamp, no rebalance timeout, no instance id.
        ByteBuffer v0 = ByteBuffer.allocate(256);
        v0.putShort((short) 0);
        putString(v0, "consumer");
        v0.putInt(4);
        putString(v0, "range");
        putString(v0, "m1");
        v0.putInt(1);
        putString(v0, "m1");
        putString(v0, "c1");
        putString(v0, "/h1");
        v0.putInt(30_000);
        v0.putInt(3).put(b("sub"));
        v0.putInt(2).put(b("as"));
        v0.flip();
        GroupSnapshot s0 = ((CoordinatorRecord.GroupMetadata) OffsetsRecordCodec.decode(key.duplicate(), v0)).value();
        assertThat(s0.generationId()).isEqualTo(4);
        assertThat(s0.stateTimestampMs()).isEqualTo(-1);
        assertThat(s0.members()).containsExactly(
                new GroupSnapshot.Member("m1", null, "c1", "/h1", 30_000, 30_000, b("sub"), b("as")));
        // v2: rebalance timeout and current-state timestamp, still no instance id.
        ByteBuffer v2 = ByteBuffer.allocate(256);
        v2.putShort((short) 2);
        putString(v2, "consumer");
        v2.putInt(5);
        putString(v2, "range");
        putString(v2, "m1");
        v2.putLong(99);
        v2.putInt(1);
        putString(v2, "m1");
        putString(v2, "c1");
        putString(v2, "/h1");
        v2.putInt(60_000);
        v2.putInt(10_000);
        v2.putInt(3).put(b("sub"));
        v2.putInt(-1);
        v2.flip();
        GroupSnapshot s2 = ((CoordinatorRecord.GroupMetadata) OffsetsRecordCodec.decode(key.duplicate(), v2)).value();
        assertThat(s2.stateTimestampMs()).isEqualTo(99);
        assertThat(s2.members()).containsExactly(
                new GroupSnapshot.Member("m1", null, "c1", "/h1", 60_000, 10_000, b("sub"), new byte[0]));
    }
}
