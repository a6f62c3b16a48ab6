package io.fjord.log;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.IntPredicate;

/**
 * A memory-mapped file of fixed-size entries, appended by the log's single writer and searched by any
 * thread. The entry count is published through a volatile after the entry's bytes are written, so a reader
 * that sees count n can read entries below n without locks. The file is preallocated while its segment is
 * active and trimmed to its entries when the segment rolls, so a trimmed file's length tells its count.
 */
abstract class MappedIndex {
    protected final long baseOffset;
    private final int entrySize;
    private volatile Path file;
    /** Replaced on resize; an older mapping stays valid for entries below the count it was read with. */
    private volatile MappedByteBuffer buffer;
    private volatile int entries;
    private int maxEntries;

    /**
     * Opens {@code file}, creating it when missing. With {@code keepEntries} an existing file's whole length
     * counts as entries (trimmed files); the mapping is then grown to {@code mapBytes} if that is larger.
     */
    MappedIndex(Path file, long baseOffset, int entrySize, int mapBytes, boolean keepEntries) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        int existing = 0;
        if (keepEntries && Files.exists(file)) {
            long length = Files.size(file);
            if (length > Integer.MAX_VALUE) {
                throw new IOException(file + " is too large for an index (" + length + " bytes)");
            }
            existing = (int) (length / entrySize);
        }
        this.entries = existing;
        map(Math.max(existing * entrySize, roundDown(mapBytes)), !keepEntries);
    }

    private int roundDown(int bytes) {
        return bytes / entrySize * entrySize;
    }

    private void map(int bytes, boolean truncateFirst) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            // FileChannel.truncate costs a size check and two seeks even when there is nothing to cut, and
            // every new segment (a thousand of them for a new topic of a thousand partitions) maps two indexes.
            long size = channel.size();
            if (truncateFirst && size > 0) {
                channel.truncate(0);
                size = 0;
            }
            if (size > bytes) {
                channel.truncate(bytes);
            }
            // Mapping past the end extends the file (sparse), which is the preallocation.
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
            maxEntries = bytes / entrySize;
        }
    }

    /** Remaps to hold {@code maxBytes} (never fewer than the current entries). */
    final void resize(int maxBytes) throws IOException {
        int bytes = Math.max(entries * entrySize, roundDown(maxBytes));
        if (bytes != buffer.capacity()) {
            map(bytes, false);
        }
    }

    /** Shrinks the file to exactly its entries, as a rolled segment keeps it. */
    final void trimToEntries() throws IOException {
        resize(entries * entrySize);
    }

    final Path file() {
        return file;
    }

    final int entries() {
        return entries;
    }

    final int maxEntries() {
        return maxEntries;
    }

    final boolean isFull() {
        return entries >= maxEntries;
    }

    final MappedByteBuffer buffer() {
        return buffer;
    }

    /** Publishes entries written below {@code count}, or drops those at and above it. */
    final void setEntries(int count) {
        entries = count;
    }

    final int relativeOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit an index based at " + baseOffset);
        }
        return (int) relative;
    }

    /**
     * The last of the first {@code n} slots for which {@code inPrefix} holds, or -1, by binary search:
     * {@code inPrefix} must hold for some prefix of the slots and for none after it.
     */
    static int lastSlotWhere(int n, IntPredicate inPrefix) {
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (inPrefix.test(mid)) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    final void force() {
        buffer.force();
    }

    final void renameTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        file = target;
    }

    final void deleteIfExists() throws IOException {
        Files.deleteIfExists(file);
    }
}
