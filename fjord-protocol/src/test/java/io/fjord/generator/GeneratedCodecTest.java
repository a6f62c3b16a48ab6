package io.fjord.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.ByteBufferAccessor;
import io.fjord.protocol.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * For every message spec of the pinned Kafka release and every version it lists: random instances
 * of our generated class survive a write/read round trip, and kafka-clients' own generated class
 * reads our bytes and writes back exactly the same bytes.
 */
class GeneratedCodecTest {
    private static final Path SPECS = Path.of("target/kafka-specs/common/message");
    private static final String OUR_PACKAGE = "io.fjord.protocol.message.";
    private static final String KAFKA_PACKAGE = "org.apache.kafka.common.message.";
    private static final int SAMPLES_PER_VERSION = 25;

    static List<MessageSpec> specs() throws Exception {
        List<MessageSpec> specs = new ArrayList<>();
        try (Stream<Path> files = Files.list(SPECS)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
                specs.add(MessageSpec.parse(json));
            }
        }
        return specs;
    }

    @Test
    void everySpecOfThePinnedReleaseIsCovered() throws Exception {
        List<MessageSpec> specs = specs();
        // 4.3.1 ships 198 specs with 625 message versions between them; a new pin that drops or
        // adds some should be noticed here, not absorbed silently.
        assertThat(specs).hasSize(198);
        long versions = specs.stream().mapToLong(s -> s.validVersions().highest() - s.validVersions().lowest() + 1).sum();
        assertThat(versions).isEqualTo(625);
    }

    @TestFactory
    Stream<DynamicTest> everyMessageAndVersionMatchesKafkaClients() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (MessageSpec spec : specs()) {
            for (int v = spec.validVersions().lowest(); v <= spec.validVersions().highest(); v++) {
                short version = (short) v;
                tests.add(DynamicTest.dynamicTest(spec.name() + " v" + version, () -> check(spec, version)));
            }
        }
        return tests.stream();
    }

    private static void check(MessageSpec spec, short version) throws Exception {
        Class<?> ours = Class.forName(OUR_PACKAGE + spec.className());
        Class<?> theirs = Class.forName(KAFKA_PACKAGE + spec.className());
        long seed = spec.name().hashCode() * 31L + version;
        RandomMessages random = new RandomMessages(spec, ours, seed);
        for (int i = 0; i < SAMPLES_PER_VERSION; i++) {
            Message message = random.build(version);
            String what = spec.name() + " v" + version + " sample " + i + " (seed " + seed + ")";

            byte[] bytes = write(message, version);
            assertThat(bytes.length).as("size() of " + what).isEqualTo(message.size(version));

            Message back = (Message) ours.getConstructor().newInstance();
            ByteBufferAccessor in = new ByteBufferAccessor(ByteBuffer.wrap(bytes));
            back.read(in, version);
            assertThat(in.remaining()).as("bytes left after reading " + what).isZero();
            assertThat(back).as("round trip of " + what).isEqualTo(message);
            assertThat(write(back, version)).as("rewrite of " + what).isEqualTo(bytes);

            byte[] kafkaBytes = kafkaRoundTrip(theirs, bytes, version);
            assertThat(kafkaBytes).as("kafka-clients' bytes for " + what + ": " + message).isEqualTo(bytes);
        }
    }

    private static byte[] write(Message message, short version) {
        ByteBuffer buffer = ByteBuffer.allocate(message.size(version) + 64);
        message.write(new ByteBufferAccessor(buffer), version);
        buffer.flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** kafka-clients reads our bytes into its own generated class and serializes that again. */
    private static byte[] kafkaRoundTrip(Class<?> kafkaClass, byte[] bytes, short version) throws Exception {
        org.apache.kafka.common.protocol.ByteBufferAccessor in =
                new org.apache.kafka.common.protocol.ByteBufferAccessor(ByteBuffer.wrap(bytes));
        org.apache.kafka.common.protocol.Message message = (org.apache.kafka.common.protocol.Message)
                kafkaClass.getConstructor(org.apache.kafka.common.protocol.Readable.class, short.class)
                        .newInstance(in, version);
        assertThat(in.remaining()).as("bytes kafka-clients left unread").isZero();
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer out = ByteBuffer.allocate(message.size(cache, version));
        message.write(new org.apache.kafka.common.protocol.ByteBufferAccessor(out), cache, version);
        return out.array();
    }
}
