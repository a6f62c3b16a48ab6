package io.fjord.group.consumer;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A server-side assignor (KIP-848): a pure function from the members' subscriptions, their current
 * target assignment and the subscribed topics' partition counts to the next target assignment.
 * Every member of {@code members} gets an entry in the answer (possibly empty).
 */
public interface ConsumerGroupAssignor {

    /** What the assignor knows of one member. */
    record MemberSubscription(Set<UUID> topicIds, Assignment current) {}

    /** The name clients put in ServerAssignor ("uniform", "range"). */
    String name();

    /**
     * @param members         member id to subscription; iteration order does not matter (assignors sort)
     * @param partitionCounts topic id to number of partitions, for every topic some member subscribes to
     */
    Map<String, Assignment> assign(Map<String, MemberSubscription> members, Map<UUID, Integer> partitionCounts);
}
