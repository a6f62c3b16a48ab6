package io.fjord.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.protocol.Errors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Commit checks as Kafka 4.x's ClassicGroup.validateOffsetCommit makes them: a commit without a
 * generation is a simple commit only while the group is Empty; otherwise the member is checked
 * first (UNKNOWN_MEMBER_ID), then the generation (ILLEGAL_GENERATION).
 */
class ClassicGroupCommitChecksTest {
    private final ManualScheduler clock = new ManualScheduler();
    private final ClassicGroup group =
            new ClassicGroup("g", new GroupSettings(6000, 1_800_000, 0, Integer.MAX_VALUE), clock);

    /** A one-member Stable group in generation 1; returns the member id. */
    private String stableMember() {
        JoinRequest join = new JoinRequest("", null, "client", "/127.0.0.1", 10_000, 30_000, "consumer",
                List.of(new JoinRequest.Protocol("range", "m".getBytes(StandardCharsets.UTF_8))), true);
        String id = group.join(join).join().memberId();
        JoinResult joined = group.join(new JoinRequest(id, null, "client", "/127.0.0.1", 10_000, 30_000, "consumer",
                join.protocols(), true)).join();
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(group.sync(id, null, 1, "consumer", "range", Map.of(id, new byte[0])).join().error())
                .isEqualTo(Errors.NONE);
        return id;
    }

    @Test
    void aGroupWithMembersChecksTheMemberThenTheGeneration() {
        String member = stableMember();
        assertThat(group.validateOffsetCommit(member, null, 1)).isEqualTo(Errors.NONE);
        assertThat(group.validateOffsetCommit(member, null, 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(group.validateOffsetCommit("nobody", null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.validateOffsetCommit("nobody", null, 0)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.validateOffsetCommit("", null, -1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void anEmptyGroupKnowsNoMemberButTakesSimpleCommits() {
        String member = stableMember();
        assertThat(group.leave(member, null)).isEqualTo(Errors.NONE);
        assertThat(group.state()).isEqualTo(GroupState.EMPTY);
        assertThat(group.validateOffsetCommit(member, null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.validateOffsetCommit(member, null, group.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.validateOffsetCommit("", null, -1)).isEqualTo(Errors.NONE);
        assertThat(group.validateOffsetCommit(member, null, -1)).isEqualTo(Errors.NONE);
    }
}
