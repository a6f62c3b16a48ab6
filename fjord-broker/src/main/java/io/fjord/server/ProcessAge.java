package io.fjord.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How long ago this process started, for the ready line. */
final class ProcessAge {
    /** Linux reports process start times in clock ticks; USER_HZ is 100 on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessAge() {
    }

    /** The age in milliseconds, or empty when the platform cannot tell. */
    static Optional<Long> millis() {
        Optional<Long> linux = fromProc();
        if (linux.isPresent()) {
            return linux;
        }
        // Elsewhere the start instant is all there is. On Linux it is derived from the boot time,
        // which the kernel gives in whole seconds: up to a second off, hence /proc first.
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis());
    }

    private static Optional<Long> fromProc() {
        try {
            Path stat = Path.of("/proc/self/stat");
            Path uptime = Path.of("/proc/uptime");
            if (!Files.isReadable(stat) || !Files.isReadable(uptime)) {
                return Optional.empty();
            }
            double secondsSinceBoot = Double.parseDouble(Files.readString(uptime).trim().split("\\s+")[0]);
            String s = Files.readString(stat);
            // The command name (field 2) may hold spaces and parentheses; fields are counted after its last ')'.
            String[] fields = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
            // starttime is field 22 overall, the 20th after the command name.
            long startTicks = Long.parseLong(fields[19]);
            long ageMillis = Math.round((secondsSinceBoot - startTicks / TICKS_PER_SECOND) * 1000);
            return ageMillis >= 0 ? Optional.of(ageMillis) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
