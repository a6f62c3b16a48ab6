package io.fjord.metadata;

import io.fjord.network.Endpoint;
import java.util.List;
import java.util.UUID;

/** Images with registered, unfenced brokers, for tests of logic that places partitions on them. */
public final class TestBrokers {

    private TestBrokers() {
    }

    /** {@code image} with each of {@code ids} registered and unfenced, unless it already is registered. */
    public static MetadataImage with(MetadataImage image, int... ids) {
        MetadataImage.Builder next = image.toBuilder();
        boolean changed = false;
        for (int id : ids) {
            if (image.broker(id) == null) {
                next.putBroker(new BrokerRegistration(id, new UUID(0, id), 1, null,
                        List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092 + id)), false));
                changed = true;
            }
        }
        return changed ? next.build() : image;
    }
}
