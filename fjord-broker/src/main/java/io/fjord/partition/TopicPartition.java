package io.fjord.partition;

/** A partition's name: its topic and index. */
public record TopicPartition(String topic, int partition) {
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
