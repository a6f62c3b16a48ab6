package io.fjord.group;

import io.fjord.api.RequestContext;
import io.fjord.metadata.ClusterView;
import io.fjord.metadata.TopicInfo;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.OffsetCommitRequestData;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition-level checks Kafka makes on an OffsetCommit before (unknown topic, in KafkaApis) and
 * beside (metadata longer than {@code offset.metadata.max.bytes}) the group checks. Refused partitions
 * are not written; the others are committed as usual.
 */
final class OffsetCommitChecks {
    private static final Logger log = LoggerFactory.getLogger(OffsetCommitChecks.class);

    private OffsetCommitChecks() {}

    /** Sets each topic's name from its id (v10+); a topic this node does not know gets "". */
    static void resolveTopicIds(OffsetCommitRequestData request, ClusterView cluster) {
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
            TopicInfo info = cluster == null || t.topicId() == null ? null : cluster.topics().topic(t.topicId());
            t.setName(info == null ? "" : info.name());
        }
    }

    static Map<GroupCoordinator.OffsetKey, Errors> refused(OffsetCommitRequestData request, ClusterView cluster,
            int metadataMaxBytes, Errors unknownTopic) {
        Map<GroupCoordinator.OffsetKey, Errors> refused = new LinkedHashMap<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
            boolean known = !t.name().isEmpty() && (cluster == null || cluster.topics().topic(t.name()) != null);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                GroupCoordinator.OffsetKey key = new GroupCoordinator.OffsetKey(t.name(), p.partitionIndex());
                if (!known) {
                    refused.put(key, unknownTopic);
                } else if (p.committedMetadata() != null
                        && tooLong(p.committedMetadata(), metadataMaxBytes)) {
                    refused.put(key, Errors.OFFSET_METADATA_TOO_LARGE);
                }
            }
        }
        return refused;
    }

    /** Kafka compares the string's length in chars, not its UTF-8 bytes. */
    private static boolean tooLong(String metadata, int max) {
        return metadata.length() > max;
    }

    /**
     * A partition's answer: an unknown topic is refused whatever the group says (Kafka filters it out
     * first); a group error applies to every other partition; else the partition's own refusal.
     */
    static Errors partitionError(String topic, int partition, Errors groupError,
            Map<GroupCoordinator.OffsetKey, Errors> refused) {
        Errors own = refused.get(new GroupCoordinator.OffsetKey(topic, partition));
        if (own == Errors.UNKNOWN_TOPIC_OR_PARTITION || own == Errors.UNKNOWN_TOPIC_ID) {
            return own;
        }
        if (groupError != Errors.NONE) {
            return groupError;
        }
        return own == null ? Errors.NONE : own;
    }

    static void logRefusal(OffsetCommitRequestData request, RequestContext context, Errors groupError,
            Map<GroupCoordinator.OffsetKey, Errors> refused) {
        if (groupError != Errors.NONE) {
            log.info("OffsetCommit to group {} (member {}, generation {}) from client {}: {}", request.groupId(),
                    request.memberId(), request.generationIdOrMemberEpoch(), context.clientId(), groupError);
        }
        if (!refused.isEmpty()) {
            log.info("OffsetCommit to group {} from client {}: refused partitions {}", request.groupId(),
                    context.clientId(), refused);
        }
    }
}
