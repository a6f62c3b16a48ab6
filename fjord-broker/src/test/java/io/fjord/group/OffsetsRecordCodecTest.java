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
}
