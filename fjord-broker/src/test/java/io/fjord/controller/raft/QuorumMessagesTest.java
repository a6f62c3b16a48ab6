package io.fjord.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.controller.QuorumState;
import io.fjord.metadata.ApiError;
import io.fjord.protocol.Errors;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumMessagesTest {

    @Test
    void commandRepliesRoundTrip() throws IOException {
        CommandReply ok = CommandReply.decode(CommandReply.success(7, new byte[] {1, 2, 3}).encode());
        assertThat(ok.imageVersion()).isEqualTo(7);
        assertThat(ok.result()).containsExactly(1, 2, 3);
        assertThat(ok.failure()).isNull();
        CommandReply failed = CommandReply.decode(CommandReply.failed(3,
                new ApiError(Errors.INVALID_REPLICATION_FACTOR, "too few brokers")).encode());
        assertThat(failed.failure()).isEqualTo(new ApiError(Errors.INVALID_REPLICATION_FACTOR, "too few brokers"));
        assertThat(failed.result()).isNull();
    }

    @Test
    void heartbeatsAndTheirAnswersRoundTrip() throws IOException {
        QueryMessages.Heartbeat heartbeat = new QueryMessages.Heartbeat(4, 12, 11, true, 500);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(heartbeat.encode()));
        assertThat(in.readByte()).isEqualTo(QueryMessages.HEARTBEAT);
        assertThat(QueryMessages.Heartbeat.read(in)).isEqualTo(heartbeat);
        QueryMessages.HeartbeatReply reply = QueryMessages.HeartbeatReply.decode(
                new QueryMessages.HeartbeatReply(true, false, 13, new byte[] {9}).encode());
        assertThat(reply.registered()).isTrue();
        assertThat(reply.fenced()).isFalse();
        assertThat(reply.imageVersion()).isEqualTo(13);
        assertThat(reply.image()).containsExactly(9);
    }

    @Test
    void quorumStateRoundTripsAndATruncatedOneIsAnError() throws IOException {
        QuorumState state = new QuorumState(2, 5, 40, List.of(new QuorumState.Replica(1, 40, 100, 100),
                new QuorumState.Replica(2, 40, 101, 101)), List.of(new QuorumState.Replica(4, 39, 99, -1)));
        byte[] bytes = QueryMessages.encode(state);
        assertThat(QueryMessages.decodeQuorumState(bytes)).isEqualTo(state);
        assertThatThrownBy(() -> QueryMessages.decodeQuorumState(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IOException.class);
    }
}
