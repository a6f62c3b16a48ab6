package io.fjord.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a log's leader epoch cache up when the log opens. The checkpoint is read and trimmed to the log's
 * bounds as recovery left them (a crash may leave entries for records that were cut, or below a log start
 * that moved). Without a checkpoint (a log written before epochs were kept) or with a damaged one, the cache
 * is rebuilt from the epochs in the batch headers, which is what the checkpoint records in the first place,
 * and written out so the next open need not scan again.
 */
final class LeaderEpochLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochLoader.class);

    private LeaderEpochLoader() {
    }

    /**
     * @param created a new log (no segment, no checkpoint was there): nothing is read
     * @throws LogStorageException when the segments cannot be read or a rebuilt checkpoint cannot be written
     */
    static LeaderEpochCache load(Path dir, String name, List<LogSegment> segments, long logStartOffset,
                                 long logEndOffset, boolean created) {
        Path file = dir.resolve(LeaderEpochCache.FILE_NAME);
        if (created) {
            return LeaderEpochCache.empty(file);
        }
        List<EpochEntry> stored;
        boolean damaged = false;
        try {
            stored = LeaderEpochCache.readFile(file);
        } catch (IOException e) {
            LOG.warn("{}: ignoring damaged leader epoch checkpoint ({}); rebuilding it from the batch headers",
                    name, e.getMessage());
            stored = null;
            damaged = true;
        }
        LeaderEpochCache cache;
        if (stored != null) {
            cache = LeaderEpochCache.of(file, stored);
        } else if (damaged || logEndOffset > logStartOffset) {
            cache = LeaderEpochCache.of(file, scan(name, segments));
            cache.write();
            LOG.info("{}: rebuilt the leader epoch cache from the log: {}", name, cache.entries());
        } else {
            return LeaderEpochCache.empty(file);
        }
        cache.truncateFromEnd(logEndOffset);
        cache.truncateFromStart(logStartOffset);
        return cache;
    }

    /** Where each new epoch starts, as the appends recorded it: batches whose epoch is above all before them. */
    static List<EpochEntry> scan(String name, List<LogSegment> segments) {
        List<EpochEntry> entries = new ArrayList<>();
        for (LogSegment segment : segments) {
            try {
                segment.forEachBatchEpoch((epoch, baseOffset) -> {
                    if (epoch > (entries.isEmpty() ? LeaderEpochCache.UNDEFINED_EPOCH : entries.getLast().epoch())) {
                        entries.add(new EpochEntry(epoch, baseOffset));
                    }
                });
            } catch (IOException e) {
                throw new LogStorageException(name + ": cannot read " + segment.logFile() + " for leader epochs", e);
            }
        }
        return entries;
    }
}
