package io.fjord.network;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.BaseRecords;
import io.fjord.protocol.Writable;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a response through its own write method without writing anything, to find the
 * {@link FileRecords} in it: the encoder needs their total size before it allocates the buffer for
 * everything else, and a response that is dropped unsent must give their references back.
 * The generated codec is the one place that knows where records fields are, so it is asked rather
 * than taught to anything else.
 */
final class FileRecordsScan implements Writable {
    private List<FileRecords> found;
    private long bytes;

    /**
     * The file records of {@code body} as written in {@code version}. When the body cannot be
     * written in that version (a handler bug), its records are released before the error goes on,
     * since nothing else would find them.
     */
    static FileRecordsScan of(ApiMessage body, short version) {
        FileRecordsScan scan = new FileRecordsScan();
        try {
            body.write(scan, version);
        } catch (RuntimeException e) {
            try {
                releaseInNewestVersion(body);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return scan;
    }

    /**
     * Releases the file records of a body that its own version could not walk: the newest version
     * has every current field, so it reaches every records field.
     */
    private static void releaseInNewestVersion(ApiMessage body) {
        FileRecordsScan scan = new FileRecordsScan();
        body.write(scan, body.highestSupportedVersion());
        scan.releaseAll();
    }

    boolean isEmpty() {
        return found == null;
    }

    /** Total size of the file records found. */
    long fileBytes() {
        return bytes;
    }

    /** Gives back the response's reference on every file record found. */
    void releaseAll() {
        if (found != null) {
            for (FileRecords records : found) {
                records.release();
            }
            found = null;
        }
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof FileRecords file) {
            if (found == null) {
                found = new ArrayList<>();
            }
            found.add(file);
            bytes += file.sizeInBytes();
        }
    }

    @Override
    public void writeByte(byte value) {
    }

    @Override
    public void writeShort(short value) {
    }

    @Override
    public void writeInt(int value) {
    }

    @Override
    public void writeLong(long value) {
    }

    @Override
    public void writeByteArray(byte[] bytes) {
    }

    @Override
    public void writeUtf8(String value, int encodedLength) {
    }

    @Override
    public void writeUnsignedVarint(int value) {
    }

    @Override
    public void writeVarint(int value) {
    }

    @Override
    public void writeUnsignedVarlong(long value) {
    }

    @Override
    public void writeVarlong(long value) {
    }
}
