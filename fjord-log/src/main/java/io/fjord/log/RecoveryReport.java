package io.fjord.log;

import java.nio.file.Path;
import java.util.List;

/**
 * What opening a log found and repaired.
 *
 * @param cleanShutdown      whether the previous run left the clean shutdown marker
 * @param recoveryPoint      the checkpointed recovery point the scan started from (unclean opens)
 * @param segmentsScanned    segments whose every batch was read and checked
 * @param rebuiltIndexes     segments whose indexes were missing or failed their sanity check
 * @param truncations        every cut, in file order
 */
public record RecoveryReport(boolean cleanShutdown, long recoveryPoint, int segmentsScanned,
                             List<Path> rebuiltIndexes, List<Truncation> truncations) {

    /**
     * One cut: {@code bytes} bytes of {@code file} from {@code position} on were dropped because of {@code reason}.
     * A whole segment removed because an earlier one was cut shows position 0.
     */
    public record Truncation(Path file, long position, long bytes, String reason) {
    }
}
