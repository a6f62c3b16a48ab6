package io.fjord.controller.raft;

import io.fjord.controller.QuorumState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only messages a node sends the active controller outside the log: broker heartbeats
 * (which also carry the metadata to brokers that are not controllers) and DescribeQuorum.
 */
final class QueryMessages {
    static final byte HEARTBEAT = 1;
    static final byte DESCRIBE_QUORUM = 2;

    private QueryMessages() {
    }

    /**
     * A broker's heartbeat.
     *
     * @param knownVersion the version of the newest image the broker has applied
     * @param maxWaitMs    with {@code wantImage}: how long the controller may hold the answer waiting for a newer image
     */
    record Heartbeat(int brokerId, long brokerEpoch, long knownVersion, boolean wantImage, int maxWaitMs) {
        byte[] encode() {
            return write(out -> {
                out.writeByte(HEARTBEAT);
                out.writeInt(brokerId);
                out.writeLong(brokerEpoch);
                out.writeLong(knownVersion);
                out.writeBoolean(wantImage);
                out.writeInt(maxWaitMs);
            });
        }

        static Heartbeat read(DataInputStream in) throws IOException {
            return new Heartbeat(in.readInt(), in.readLong(), in.readLong(), in.readBoolean(), in.readInt());
        }
    }

    /**
     * The answer to a heartbeat.
     *
     * @param registered false when the controller knows no registration of this broker with that epoch: register again
     * @param image      a newer image than the broker has (encoded), or null
     */
    record HeartbeatReply(boolean registered, boolean fenced, long imageVersion, byte[] image) {
        byte[] encode() {
            return write(out -> {
                out.writeBoolean(registered);
                out.writeBoolean(fenced);
                out.writeLong(imageVersion);
                WireFormat.writeBytes(out, image);
            });
        }

        static HeartbeatReply decode(byte[] data) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            return new HeartbeatReply(in.readBoolean(), in.readBoolean(), in.readLong(), WireFormat.readBytes(in));
        }
    }

    static byte[] describeQuorum() {
        return new byte[] {DESCRIBE_QUORUM};
    }

    static byte[] encode(QuorumState state) {
        return write(out -> {
            out.writeInt(state.leaderId());
            out.writeInt(state.leaderEpoch());
            out.writeLong(state.highWatermark());
            writeReplicas(out, state.voters());
            writeReplicas(out, state.observers());
        });
    }

    static QuorumState decodeQuorumState(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        return new QuorumState(in.readInt(), in.readInt(), in.readLong(), readReplicas(in), readReplicas(in));
    }

    private static void writeReplicas(DataOutputStream out, List<QuorumState.Replica> replicas) throws IOException {
        out.writeInt(replicas.size());
        for (QuorumState.Replica r : replicas) {
            out.writeInt(r.replicaId());
            out.writeLong(r.logEndOffset());
            out.writeLong(r.lastFetchTimestamp());
            out.writeLong(r.lastCaughtUpTimestamp());
        }
    }

    private static List<QuorumState.Replica> readReplicas(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 10_000) {
            throw new IOException("bad replica count " + count);
        }
        List<QuorumState.Replica> replicas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            replicas.add(new QuorumState.Replica(in.readInt(), in.readLong(), in.readLong(), in.readLong()));
        }
        return replicas;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }
}
