package io.fjord.protocol;

/**
 * A {@code records} field: record batches that the codec carries as opaque bytes and never parses.
 * Implementations are in-memory slices here and file slices in the log.
 */
public interface BaseRecords {
    int sizeInBytes();
}
