package io.fjord.network;

import io.fjord.protocol.BaseRecords;
import io.fjord.protocol.ByteBufAccessor;
import io.fjord.protocol.Writable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a response as the sequence of parts a socket sends in order: everything but file-backed
 * records goes into one pooled buffer, allocated once at its exact final size; wherever
 * {@link FileRecords} sit, the bytes written so far are cut off as a slice of that buffer (no copy)
 * and a {@link FileRecordsRegion} follows, so record bytes go from the page cache to the socket
 * without passing through the heap.
 *
 * <p>With {@code copyFiles} the record bytes are read into the buffer instead, which is what a TLS
 * listener will need: the bytes must pass through the JVM to be encrypted, so sendfile is out there.
 */
final class SendBuilder implements Writable {
    private final ByteBuf buf;
    private final ByteBufAccessor out;
    private final boolean copyFiles;
    private final List<Object> parts = new ArrayList<>();
    /** Start of the buffer bytes not yet handed out as a part. */
    private int cut;

    /** @param bufferBytes every byte of the frame that is not sent from a file, size prefix included */
    SendBuilder(ByteBufAllocator alloc, int bufferBytes, boolean copyFiles) {
        this.buf = alloc.ioBuffer(bufferBytes, bufferBytes);
        this.out = new ByteBufAccessor(buf);
        this.copyFiles = copyFiles;
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (!(records instanceof FileRecords file)) {
            out.writeRecords(records);
        } else if (file.sizeInBytes() == 0) {
            return; // the length prefix already said it all
        } else if (copyFiles) {
            try {
                int at = buf.writerIndex();
                file.readInto(buf.nioBuffer(at, file.sizeInBytes()));
                buf.writerIndex(at + file.sizeInBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read records to send", e);
            }
        } else {
            cutBuffer();
            parts.add(new FileRecordsRegion(file));
        }
    }

    private void cutBuffer() {
        int end = buf.writerIndex();
        if (end > cut) {
            parts.add(buf.retainedSlice(cut, end - cut));
            cut = end;
        }
    }

    /**
     * The parts to write, in order; each holds its own reference and is released by the channel
     * once written (or failed). Checks that the buffer was filled exactly.
     */
    List<Object> finish() {
        if (buf.writerIndex() != buf.capacity()) {
            throw new IllegalStateException("response wrote " + buf.writerIndex() + " bytes besides its file records,"
                    + " expected " + buf.capacity());
        }
        cutBuffer();
        buf.release();
        return parts;
    }

    /** Lets go of everything built so far, when encoding failed. */
    void discard() {
        for (Object part : parts) {
            ReferenceCountUtil.release(part);
        }
        parts.clear();
        buf.release();
    }

    ByteBuf buffer() {
        return buf;
    }

    @Override
    public void writeByte(byte value) {
        out.writeByte(value);
    }

    @Override
    public void writeShort(short value) {
        out.writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        out.writeInt(value);
    }

    @Override
    public void writeLong(long value) {
        out.writeLong(value);
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        out.writeByteArray(bytes);
    }

    @Override
    public void writeUtf8(String value, int encodedLength) {
        out.writeUtf8(value, encodedLength);
    }
}
