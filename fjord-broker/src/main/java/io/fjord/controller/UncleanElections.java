package io.fjord.controller;

import io.fjord.config.TopicConfigs;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.TopicImage;

/**
 * Whether a topic allows unclean leader election ({@code unclean.leader.election.enable}), resolved from
 * the image alone so the controller's decisions stay the same on every node: the topic's override, else
 * the cluster-wide dynamic broker default (BROKER resource ""), else Kafka's default, false. A node's
 * server.properties and its per-broker dynamic configs are not consulted: they differ from node to node,
 * and every controller must decide alike.
 */
final class UncleanElections {

    private UncleanElections() {
    }

    static boolean enabled(MetadataImage image, TopicImage topic) {
        String value = topic.configs().get(TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE);
        if (value == null) {
            value = image.brokerConfigs("").get(TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE);
        }
        return value != null && Boolean.parseBoolean(value.trim());
    }
}
