package io.fjord.controller;

import io.fjord.metadata.ChangeResult;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionInfo;
import io.fjord.metadata.TopicImage;
import io.fjord.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Applies one rule to every partition of an image, putting into the builder only the topics where a
 * partition really changed: untouched topics stay the same objects, which listeners rely on to skip them.
 */
final class PartitionRewriter {

    private PartitionRewriter() {
    }

    /** @return whether any partition changed */
    static boolean rewriteAll(MetadataImage image, MetadataImage.Builder next, UnaryOperator<PartitionInfo> rule) {
        boolean any = false;
        for (TopicImage topic : image.topicImages()) {
            TopicImage rewritten = rewrite(topic, rule);
            if (rewritten != topic) {
                next.putTopic(rewritten);
                any = true;
            }
        }
        return any;
    }

    /** Like {@link #rewriteAll(MetadataImage, MetadataImage.Builder, UnaryOperator)}, with a rule made for each topic. */
    static boolean rewriteAllPerTopic(MetadataImage image, MetadataImage.Builder next,
                              java.util.function.Function<TopicImage, UnaryOperator<PartitionInfo>> rulePerTopic) {
        boolean any = false;
        for (TopicImage topic : image.topicImages()) {
            TopicImage rewritten = rewrite(topic, rulePerTopic.apply(topic));
            if (rewritten != topic) {
                next.putTopic(rewritten);
                any = true;
            }
        }
        return any;
    }

    /** The topic with {@code rule} applied to each partition; {@code topic} itself when none changed. */
    static TopicImage rewrite(TopicImage topic, UnaryOperator<PartitionInfo> rule) {
        List<PartitionInfo> partitions = topic.info().partitions();
        List<PartitionInfo> out = null;
        for (int i = 0; i < partitions.size(); i++) {
            PartitionInfo before = partitions.get(i);
            PartitionInfo after = rule.apply(before);
            if (after != before && out == null) {
                out = new ArrayList<>(partitions.subList(0, i));
            }
            if (out != null) {
                out.add(after);
            }
        }
        if (out == null) {
            return topic;
        }
        TopicInfo info = topic.info();
        return new TopicImage(new TopicInfo(info.name(), info.topicId(), info.internal(), out), topic.configs());
    }

    /** The topic with partition {@code index} replaced. */
    static TopicImage replace(TopicImage topic, PartitionInfo partition) {
        List<PartitionInfo> out = new ArrayList<>(topic.info().partitions());
        out.set(partition.partition(), partition);
        TopicInfo info = topic.info();
        return new TopicImage(new TopicInfo(info.name(), info.topicId(), info.internal(), out), topic.configs());
    }

    /** The image with {@code changed} topics put in (the same image when none changed), answered with {@code results}. */
    static <T> ChangeResult<T> withTopics(MetadataImage image, Map<String, TopicImage> changed, T results) {
        if (changed.isEmpty()) {
            return new ChangeResult<>(image, results);
        }
        MetadataImage.Builder next = image.toBuilder();
        changed.values().forEach(next::putTopic);
        return new ChangeResult<>(next.build(), results);
    }
}
