package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.utils.ByteUtils;

/** Our zig-zag varints byte for byte against kafka-clients' ByteUtils, and read back by our cursor. */
class VarintsTest {

    @Property(tries = 2000)
    void varintsMatchKafka(@ForAll int value) {
        ByteBuffer theirs = ByteBuffer.allocate(5);
        ByteUtils.writeVarint(value, theirs);
        byte[] ours = new byte[5];
        int end = Varints.writeVarint(ours, 0, value);

        assertThat(end).isEqualTo(theirs.position()).isEqualTo(Varints.sizeOfVarint(value))
                .isEqualTo(ByteUtils.sizeOfVarint(value));
        assertThat(ByteBuffer.wrap(ours, 0, end)).isEqualTo(theirs.flip());
        assertThat(new RecordCursor().reset(ByteBuffer.wrap(ours), 0, end).readVarint()).isEqualTo(value);
    }

    @Property(tries = 2000)
    void varlongsMatchKafka(@ForAll long value) {
        ByteBuffer theirs = ByteBuffer.allocate(10);
        ByteUtils.writeVarlong(value, theirs);
        byte[] ours = new byte[10];
        int end = Varints.writeVarlong(ours, 0, value);

        assertThat(end).isEqualTo(theirs.position()).isEqualTo(Varints.sizeOfVarlong(value))
                .isEqualTo(ByteUtils.sizeOfVarlong(value));
        assertThat(ByteBuffer.wrap(ours, 0, end)).isEqualTo(theirs.flip());
        assertThat(new RecordCursor().reset(ByteBuffer.wrap(ours), 0, end).readVarlong()).isEqualTo(value);
    }
}
