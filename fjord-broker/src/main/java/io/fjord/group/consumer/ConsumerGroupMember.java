package io.fjord.group.consumer;

import io.fjord.group.GroupScheduler;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One member of a consumer group, as the coordinator knows it. Mutable, owned by the group's thread.
 * {@code assigned} are the partitions the member may use now; {@code pendingRevocation} those it was
 * told to give up and has not confirmed yet (still its own until then, so nobody else gets them).
 */
final class ConsumerGroupMember {
    final String memberId;
    String instanceId;
    String rackId;
    String clientId = "";
    String clientHost = "";
    int memberEpoch;
    int previousMemberEpoch = -1;
    MemberState state = MemberState.STABLE;
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    /** Compiled {@link #subscribedTopicRegex} (java.util.regex, where Kafka uses RE2J). */
    Pattern subscribedPattern;
    String serverAssignor;
    Assignment assigned = Assignment.EMPTY;
    Assignment pendingRevocation = Assignment.EMPTY;

    GroupScheduler.Cancellable sessionTimer;
    GroupScheduler.Cancellable revocationTimer;

    ConsumerGroupMember(String memberId) {
        this.memberId = memberId;
    }

    /** A new member taking over {@code old}'s place (static membership): same instance, assignment and state. */
    static ConsumerGroupMember replacing(String memberId, ConsumerGroupMember old) {
        ConsumerGroupMember m = new ConsumerGroupMember(memberId);
        m.instanceId = old.instanceId;
        m.rackId = old.rackId;
        m.memberEpoch = 0;
        m.previousMemberEpoch = old.previousMemberEpoch;
        m.rebalanceTimeoutMs = old.rebalanceTimeoutMs;
        m.subscribedTopicNames = old.subscribedTopicNames;
        m.subscribedTopicRegex = old.subscribedTopicRegex;
        m.subscribedPattern = old.subscribedPattern;
        m.serverAssignor = old.serverAssignor;
        m.assigned = old.assigned;
        m.pendingRevocation = old.pendingRevocation;
        m.state = old.state;
        return m;
    }

    /** Partitions nobody else may get while this member holds them. */
    Assignment owned() {
        return assigned.union(pendingRevocation);
    }

    void cancelTimers() {
        if (sessionTimer != null) {
            sessionTimer.cancel();
            sessionTimer = null;
        }
        cancelRevocationTimer();
    }

    void cancelRevocationTimer() {
        if (revocationTimer != null) {
            revocationTimer.cancel();
            revocationTimer = null;
        }
    }
}
