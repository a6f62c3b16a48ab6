package io.fjord.record;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A byte array that grows by doubling, also usable as the sink of the compression streams so they
 * write straight into it. Callers that need a bound (decompression) enforce it before growing.
 */
final class GrowableBytes extends OutputStream {
    /** The largest array the JVM reliably allocates. */
    static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private byte[] array;
    private int size;

    GrowableBytes(int initialCapacity) {
        array = new byte[Math.max(16, initialCapacity)];
    }

    byte[] array() {
        return array;
    }

    int size() {
        return size;
    }

    int capacity() {
        return array.length;
    }

    void size(int newSize) {
        if (newSize < 0 || newSize > array.length) {
            throw new IllegalArgumentException("size " + newSize + " outside 0.." + array.length);
        }
        size = newSize;
    }

    /** Makes room for {@code extra} more bytes after {@link #size()}. */
    void ensureWritable(int extra) {
        long needed = (long) size + extra;
        if (needed > array.length) {
            grow(needed);
        }
    }

    /** Grows to at least {@code minCapacity}, doubling so repeated small writes stay linear overall. */
    void grow(long minCapacity) {
        grow(minCapacity, MAX_CAPACITY);
    }

    /** As {@link #grow(long)}, but doubling never goes past {@code ceiling} (a decompression bound). */
    void grow(long minCapacity, int ceiling) {
        if (minCapacity > ceiling) {
            throw new IllegalArgumentException("cannot grow past " + ceiling + " bytes (asked for " + minCapacity + ")");
        }
        if (minCapacity <= array.length) {
            return;
        }
        long doubled = Math.min(ceiling, 2L * array.length);
        array = Arrays.copyOf(array, (int) Math.max(doubled, minCapacity));
    }

    @Override
    public void write(int b) {
        ensureWritable(1);
        array[size++] = (byte) b;
    }

    @Override
    public void write(byte[] src, int off, int len) {
        ensureWritable(len);
        System.arraycopy(src, off, array, size, len);
        size += len;
    }
}
