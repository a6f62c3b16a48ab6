package io.fjord.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.network.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataImageCodecTest {

    /** Written by the format 1 encoder (before brokers were in the image), kept to prove old files still load. */
    private static byte[] v1Fixture() throws IOException {
        try (InputStream in = MetadataImageCodecTest.class.getResourceAsStream("/metadata/image-v1.bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void aFormatOneFileStillLoads() throws IOException {
        byte[] bytes = v1Fixture();
        assertThat(ByteBuffer.wrap(bytes, 4, 2).getShort()).isEqualTo((short) 1);
        MetadataImage image = MetadataImages.decode(bytes);
        assertThat(image.version()).isEqualTo(2);
        assertThat(image.nextProducerId()).isEqualTo(5000);
        assertThat(image.brokers()).isEmpty();
        assertThat(image.clusterId()).isNull();
        assertThat(image.topicConfigs("orders")).containsExactly(Map.entry("retention.ms", "1000"));
        assertThat(image.brokerConfigs("")).containsExactly(Map.entry("log.retention.ms", "5000"));
        TopicInfo orders = image.topic(new UUID(0x1234, 0x5678));
        assertThat(orders.name()).isEqualTo("orders");
        assertThat(orders.partitions()).containsExactly(
                new PartitionInfo(0, 1, 3, List.of(1, 2), List.of(1, 2), List.of()),
                new PartitionInfo(1, -1, 7, List.of(2, 1), List.of(2), List.of()));
        assertThat(image.topic("__consumer_offsets").internal()).isTrue();
        // Written again, it is the current format.
        assertThat(ByteBuffer.wrap(MetadataImages.encode(image), 4, 2).getShort()).isEqualTo((short) 3);
    }

    /** Written by the format 2 encoder (before brokers had a controlled-shutdown flag), kept to prove old files still load. */
    @Test
    void aFormatTwoFileStillLoadsWithNoBrokerShuttingDown() throws IOException {
        byte[] bytes;
        try (InputStream in = MetadataImageCodecTest.class.getResourceAsStream("/metadata/image-v2.bin")) {
            bytes = in.readAllBytes();
        }
        assertThat(ByteBuffer.wrap(bytes, 4, 2).getShort()).isEqualTo((short) 2);
        MetadataImage image = MetadataImages.decode(bytes);
        assertThat(image.clusterId()).isEqualTo("v2-cluster");
        assertThat(image.brokers().values()).containsExactly(
                new BrokerRegistration(1, new UUID(1, 2), 7, "rack-a", List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092)),
                        false, false),
                new BrokerRegistration(2, new UUID(3, 4), 9, null, List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9094)),
                        true, false));
        assertThat(image.topic("orders").partitions()).containsExactly(
                new PartitionInfo(0, 1, 4, List.of(1, 2), List.of(1), List.of(2), 11, List.of(), List.of()));
        assertThat(ByteBuffer.wrap(MetadataImages.encode(image), 4, 2).getShort()).isEqualTo((short) 3);
    }

    @Test
    void theControlledShutdownFlagRoundTrips() throws IOException {
        MetadataImage image = MetadataImage.EMPTY.toBuilder()
                .putBroker(new BrokerRegistration(1, new UUID(1, 2), 7, null, List.of(), false, true))
                .putBroker(new BrokerRegistration(2, new UUID(3, 4), 8, null, List.of(), true, true))
                .putBroker(new BrokerRegistration(3, new UUID(5, 6), 9, null, List.of(), false, false))
                .build();
        assertThat(MetadataImages.decode(MetadataImages.encode(image)).brokers()).isEqualTo(image.brokers());
    }

    @Test
    void formatTwoKeepsBrokersClusterIdAndPartitionState() throws IOException {
        MetadataImage image = MetadataImage.EMPTY.toBuilder()
                .clusterId("abc")
                .putBroker(new BrokerRegistration(1, new UUID(1, 2), 7, "rack-a",
                        List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092), new Endpoint("EXTERNAL", "::1", 19092)), false))
                .putBroker(new BrokerRegistration(2, null, 9, null, List.of(), true))
                .putTopic(new TopicImage(new TopicInfo("t", new UUID(5, 6), false, List.of(
                        new PartitionInfo(0, 1, 4, List.of(3, 1, 2), List.of(1), List.of(2, 3), 11, List.of(3), List.of(2)))),
                        Map.of("retention.ms", "5")))
                .build();
        MetadataImage back = MetadataImages.decode(MetadataImages.encode(image));
        assertThat(back.version()).isEqualTo(image.version());
        assertThat(back.clusterId()).isEqualTo("abc");
        assertThat(back.brokers()).isEqualTo(image.brokers());
        assertThat(List.copyOf(back.topicImages())).isEqualTo(List.copyOf(image.topicImages()));
    }

    @Test
    void anUnknownFormatIsRefused() throws IOException {
        byte[] bytes = MetadataImages.encode(MetadataImage.EMPTY);
        ByteBuffer.wrap(bytes).putShort(4, (short) 4);
        assertThatThrownBy(() -> MetadataImages.decode(bytes)).isInstanceOf(IOException.class).hasMessageContaining("version 4");
    }
}
