package io.fjord.controller;

import io.fjord.metadata.ApiError;
import io.fjord.partition.TopicPartition;
import io.fjord.protocol.Errors;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** The field encodings the metadata command and result codecs share: big-endian, strings length-prefixed UTF-8. */
final class CodecIo {

    private CodecIo() {
    }

    /** Writing to memory; an IOException cannot happen, so callers need not declare it. */
    @FunctionalInterface
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    static byte[] bytes(Body body) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return buffer.toByteArray();
    }

    static void string(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
    }

    static String string(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        byte[] utf8 = new byte[count(in)];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    static void uuid(DataOutputStream out, UUID id) throws IOException {
        out.writeBoolean(id != null);
        if (id != null) {
            out.writeLong(id.getMostSignificantBits());
            out.writeLong(id.getLeastSignificantBits());
        }
    }

    static UUID uuid(DataInputStream in) throws IOException {
        return in.readBoolean() ? new UUID(in.readLong(), in.readLong()) : null;
    }

    /** A list of ints, or null. */
    static void ints(DataOutputStream out, List<Integer> ints) throws IOException {
        out.writeInt(ints == null ? -1 : ints.size());
        if (ints != null) {
            for (int v : ints) {
                out.writeInt(v);
            }
        }
    }

    static List<Integer> ints(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size == -1) {
            return null;
        }
        checkCount(in, size);
        List<Integer> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(in.readInt());
        }
        return out;
    }

    static void error(DataOutputStream out, ApiError error) throws IOException {
        out.writeShort(error.code());
        string(out, error.message());
    }

    static ApiError error(DataInputStream in) throws IOException {
        short code = in.readShort();
        String message = string(in);
        // A code this build does not know (written by a newer one) still fails the request, just less precisely.
        Errors error = Objects.requireNonNullElse(Errors.forCode(code), Errors.UNKNOWN_SERVER_ERROR);
        if (error == Errors.NONE && message == null) {
            return ApiError.NONE;
        }
        return new ApiError(error, message);
    }

    static void topicPartition(DataOutputStream out, TopicPartition tp) throws IOException {
        string(out, tp.topic());
        out.writeInt(tp.partition());
    }

    static TopicPartition topicPartition(DataInputStream in) throws IOException {
        return new TopicPartition(string(in), in.readInt());
    }

    /** A count of items that follow; refuses negative ones and ones the remaining bytes cannot hold. */
    static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        checkCount(in, count);
        return count;
    }

    private static void checkCount(DataInputStream in, int count) throws IOException {
        if (count < 0 || count > in.available()) {
            throw new IOException("count " + count + " out of range");
        }
    }
}
