package io.fjord.log;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The process {@link CrashRecoveryTest} kills: opens the log, prints {@code READY <log end offset>}, then
 * appends deterministic batches with group-commit flushing forever, printing {@code F <first> <last> E} for
 * each batch once its flushed future completes. A line is complete only with its trailing E, so a line cut
 * by the kill is not taken as a report.
 */
public final class CrashChild {
    /** Unflushed batches allowed in flight, so the append rate follows the fsync rate. */
    private static final int WINDOW = 32;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        PrintStream out = System.out;
        LogFlusher flusher = new LogFlusher("crash-child-flusher");
        Log log = Log.open(dir, CrashRecoveryTest.CONFIG, flusher);
        synchronized (out) {
            out.println("READY " + log.logEndOffset());
            out.flush();
        }
        ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        for (;;) {
            long base = log.logEndOffset();
            LogAppendInfo info = log.appendAsLeader(ByteBuffer.wrap(CrashRecoveryTest.expectedBatch(seed, base)));
            long first = info.firstOffset();
            long last = info.lastOffset();
            inFlight.add(log.flushedFuture(last).thenRun(() -> {
                synchronized (out) {
                    out.println("F " + first + " " + last + " E");
                    out.flush();
                }
            }));
            while (inFlight.size() > WINDOW) {
                inFlight.poll().join();
            }
        }
    }
}
