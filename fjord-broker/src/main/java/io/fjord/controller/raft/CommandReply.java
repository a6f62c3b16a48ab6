package io.fjord.controller.raft;

import io.fjord.metadata.ApiError;
import io.fjord.protocol.Errors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What applying one metadata log entry answered, as the Ratis reply carries it back to the node that
 * asked: the image version after the entry (so that node can wait until it sees that version itself)
 * and either the encoded result or the error that failed the whole change.
 */
record CommandReply(long imageVersion, byte[] result, ApiError failure) {

    static CommandReply success(long imageVersion, byte[] result) {
        return new CommandReply(imageVersion, result, null);
    }

    static CommandReply failed(long imageVersion, ApiError failure) {
        return new CommandReply(imageVersion, null, failure);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(imageVersion);
            out.writeBoolean(failure == null);
            if (failure == null) {
                WireFormat.writeBytes(out, result);
            } else {
                out.writeShort(failure.code());
                WireFormat.writeString(out, failure.message());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    static CommandReply decode(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        long version = in.readLong();
        if (in.readBoolean()) {
            return success(version, WireFormat.readBytes(in));
        }
        Errors error = Errors.forCode(in.readShort());
        return failed(version, new ApiError(error, WireFormat.readString(in)));
    }
}
