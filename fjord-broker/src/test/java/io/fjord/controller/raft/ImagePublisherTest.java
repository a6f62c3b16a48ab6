package io.fjord.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.metadata.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ImagePublisherTest {

    private static MetadataImage next(MetadataImage image) {
        return image.toBuilder().nextProducerId(image.nextProducerId() + 1).build();
    }

    @Test
    void listenersHearNothingUntilActivatedThenEveryImageInOrder() {
        ImagePublisher publisher = new ImagePublisher(MetadataImage.EMPTY);
        List<Long> heard = new ArrayList<>();
        publisher.addListener((previous, current) -> heard.add(current.version()));
        MetadataImage v1 = next(MetadataImage.EMPTY);
        publisher.publish(v1);
        assertThat(heard).isEmpty();
        List<Long> startedFrom = new ArrayList<>();
        publisher.activate(image -> startedFrom.add(image.version()));
        assertThat(startedFrom).containsExactly(1L);
        MetadataImage v2 = next(v1);
        publisher.publish(v2);
        publisher.publish(next(v2));
        assertThat(heard).containsExactly(2L, 3L);
        assertThat(publisher.image().version()).isEqualTo(3);
    }

    @Test
    void aWaiterCompletesWithTheFirstImageThatReachesItsVersion() {
        ImagePublisher publisher = new ImagePublisher(MetadataImage.EMPTY);
        CompletableFuture<MetadataImage> two = publisher.awaitVersion(2);
        CompletableFuture<MetadataImage> abandoned = publisher.awaitVersion(5);
        MetadataImage v1 = next(MetadataImage.EMPTY);
        publisher.publish(v1);
        assertThat(two).isNotDone();
        MetadataImage v2 = next(v1);
        publisher.publish(v2);
        assertThat(two).isCompletedWithValue(v2);
        assertThat(publisher.awaitVersion(1)).isCompletedWithValue(v2);
        publisher.forget(5, abandoned);
        publisher.publish(next(next(next(v2))));
        assertThat(abandoned).isNotDone();
    }
}
