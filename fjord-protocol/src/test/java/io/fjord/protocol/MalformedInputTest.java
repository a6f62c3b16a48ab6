package io.fjord.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.message.RequestHeaderData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bytes a hostile or broken client might send fail with a parse error, never an allocation. */
class MalformedInputTest {

    private static ByteBufferAccessor bytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return new ByteBufferAccessor(b.flip());
    }

    @Test
    void aHugeArrayLengthIsRefusedBeforeAllocating() {
        // Metadata v1: topics array of 0x7fffffff elements in a 4-byte body.
        ByteBufferAccessor in = bytes(0x7f, 0xff, 0xff, 0xff);
        assertThatThrownBy(() -> new MetadataRequestData(in, (short) 1))
                .isInstanceOf(MessageParseException.class)
                .hasMessageContaining("collection of size 2147483647");
    }

    @Test
    void aTruncatedMessageFailsWithAParseError() {
        ByteBufferAccessor in = bytes(0x00, 0x00, 0x00, 0x02, 0x00);
        assertThatThrownBy(() -> new MetadataRequestData(in, (short) 1))
                .isInstanceOf(MessageParseException.class);
    }

    @Test
    void aNullInANonNullableStringIsRefused() {
        // Metadata v1 topic name (int16 length -1) in a topics array of one.
        ByteBufferAccessor in = bytes(0x00, 0x00, 0x00, 0x01, 0xff, 0xff);
        assertThatThrownBy(() -> new MetadataRequestData(in, (short) 1))
                .isInstanceOf(MessageParseException.class)
                .hasMessageContaining("non-nullable field name");
    }

    @Test
    void aStringLongerThanTheFrameIsRefused() {
        ByteBufferAccessor in = bytes(0x00, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x41);
        assertThatThrownBy(() -> new MetadataRequestData(in, (short) 1))
                .isInstanceOf(MessageParseException.class);
    }

    @Test
    void aVersionOutsideTheSpecIsRefused() {
        assertThatThrownBy(() -> new ApiVersionsRequestData(bytes(), (short) 99))
                .isInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void writingAFieldTheVersionLacksFailsUnlessIgnorable() {
        MetadataResponseData response = new MetadataResponseData().setClusterAuthorizedOperations(7);
        ByteBufferAccessor out = new ByteBufferAccessor(ByteBuffer.allocate(256));
        assertThatThrownBy(() -> response.write(out, (short) 11))
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("clusterAuthorizedOperations");
        // ClusterId is ignorable: v0 simply leaves it out.
        new MetadataResponseData().setClusterId("c").write(new ByteBufferAccessor(ByteBuffer.allocate(256)), (short) 0);
    }

    @Test
    void theRequestHeaderKeepsItsClientIdNonCompactInFlexibleVersions() {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey((short) 18).setRequestApiVersion((short) 3)
                .setCorrelationId(7).setClientId("kcat");
        ByteBuffer buffer = ByteBuffer.allocate(header.size((short) 2));
        header.write(new ByteBufferAccessor(buffer), (short) 2);
        // key, version, correlation id, then an int16 length 4, "kcat", and an empty tag section.
        assertThat(buffer.array()).containsExactly(0, 18, 0, 3, 0, 0, 0, 7, 0, 4, 'k', 'c', 'a', 't', 0);
    }

    @Test
    void utf8LengthAgreesWithTheJdkEncoder() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(8); j > 0; j--) {
                sb.append((char) random.nextInt(Character.MAX_VALUE + 1));
            }
            String s = sb.toString();
            assertThat(ByteUtils.utf8Length(s)).as("utf8 length of %s", s.codePoints().boxed().toList())
                    .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(ByteUtils.utf8Length("🙂")).isEqualTo(4);
        assertThat(List.of(ByteUtils.sizeOfUnsignedVarint(0), ByteUtils.sizeOfUnsignedVarint(127),
                ByteUtils.sizeOfUnsignedVarint(128), ByteUtils.sizeOfUnsignedVarint(-1))).containsExactly(1, 1, 2, 5);
    }
}
