package io.fjord.cli;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Unix signals Process cannot send (it has SIGTERM and SIGKILL only): SIGSTOP freezes a node
 * without closing its sockets, which is how a long GC pause or a stalled machine looks to the others.
 */
final class Signals {
    private Signals() {
    }

    /** Runs {@code kill -SIGNAL pid}; fails when kill does not succeed. */
    static void send(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new AssertionError("kill -" + signal + " " + process.pid() + " did not finish in 10 s");
        }
        String out = new String(kill.getInputStream().readAllBytes()).trim();
        if (kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed: " + out);
        }
    }
}
