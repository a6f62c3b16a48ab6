package io.fjord.controller.raft;

import io.fjord.controller.ControllerLogic;
import io.fjord.controller.MetadataCommand;
import io.fjord.controller.MetadataCommandCodec;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.ApiException;
import io.fjord.metadata.ChangeResult;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.MetadataImages;
import io.fjord.protocol.Errors;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log applied: every committed entry is a {@link MetadataCommand}, applied with
 * {@link ControllerLogic} to the current image, published, and answered. Snapshots are the image
 * itself (Fjord's image format), so a restarted or lagging controller loads one file and replays
 * only the entries after it.
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final ImagePublisher publisher;
    private final ControllerDuties duties;
    private final Runnable onServerShutdown;

    /** @param onServerShutdown run when the Raft server stops for a reason of its own (not a node shutdown) */
    MetadataStateMachine(ImagePublisher publisher, ControllerDuties duties, Runnable onServerShutdown) {
        this.publisher = publisher;
        this.duties = duties;
        this.onServerShutdown = onServerShutdown;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        // Ratis checks this life cycle when it installs a snapshot (pause, then reinitialize): it must be RUNNING.
        getLifeCycle().startAndTransition(() -> load(storage.getLatestSnapshot()), IOException.class);
    }

    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        // A snapshot was installed from the leader (this node was too far behind): start over from it.
        load(storage.loadLatestSnapshot());
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    @Override
    public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
        onServerShutdown.run();
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        Path file = snapshot.getFile().getPath();
        MetadataImage image = MetadataImages.decode(Files.readAllBytes(file));
        publisher.publish(image);
        updateLastAppliedTermIndex(snapshot.getTerm(), snapshot.getIndex());
        log.info("Loaded metadata snapshot {} (image version {}, {} topic(s), {} broker(s))", file.getFileName(),
                image.version(), image.topics().size(), image.brokers().size());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public long takeSnapshot() throws IOException {
        // Called on the thread that applies entries, so the image and the last applied index agree.
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
        // Ratis drops the log before this index once we return: the snapshot must be on disk by then.
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(MetadataImages.encode(publisher.image()));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(target.toPath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), last));
        return last.getIndex();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        CommandReply reply = apply(data, entry.getIndex());
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply.encode())));
    }

    private CommandReply apply(byte[] data, long index) {
        MetadataImage before = publisher.image();
        MetadataCommand command;
        try {
            command = MetadataCommandCodec.decode(data);
        } catch (IOException | RuntimeException e) {
            // Every node fails the same entry the same way, so the images stay equal.
            log.error("Metadata log entry {} cannot be read; skipped", index, e);
            return CommandReply.failed(before.version(), new ApiError(Errors.UNKNOWN_SERVER_ERROR,
                    "unreadable metadata log entry: " + e.getMessage()));
        }
        try {
            ChangeResult<?> result = ControllerLogic.apply(before, command);
            publisher.publish(result.image());
            return CommandReply.success(result.image().version(),
                    MetadataCommandCodec.encodeResult(command, result.response()));
        } catch (ApiException e) {
            return CommandReply.failed(before.version(), e.error());
        } catch (RuntimeException e) {
            log.error("Metadata change {} at log index {} failed", command.getClass().getSimpleName(), index, e);
            return CommandReply.failed(before.version(), new ApiError(Errors.UNKNOWN_SERVER_ERROR, e.toString()));
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        byte[] data = request.getContent().toByteArray();
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            byte kind = in.readByte();
            return switch (kind) {
                case QueryMessages.HEARTBEAT -> duties.heartbeat(QueryMessages.Heartbeat.read(in))
                        .thenApply(reply -> Message.valueOf(ByteString.copyFrom(reply.encode())));
                case QueryMessages.DESCRIBE_QUORUM -> CompletableFuture.completedFuture(
                        Message.valueOf(ByteString.copyFrom(QueryMessages.encode(duties.describeQuorum()))));
                default -> CompletableFuture.failedFuture(new IOException("unknown query kind " + kind));
            };
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        duties.leaderChanged(newLeaderId == null ? -1 : Integer.parseInt(newLeaderId.toString()));
    }

    @Override
    public void notifyLeaderReady() {
        duties.becameLeader();
    }
}
